import pytest

from studyapp.accounts.models import Role, User
from studyapp.classrooms import services
from studyapp.classrooms.access import ClassroomAccess, access_classroom
from studyapp.classrooms.models import Classroom
from studyapp.content.models import Course
from tests.conftest import NOW
from tests.factories import UserFactory


@pytest.fixture
def instructor(db) -> User:
    return UserFactory(username="teacher", role=Role.INSTRUCTOR, first_name="Ada", last_name="Teach")


@pytest.fixture
def classroom(instructor: User, demo_course: Course) -> Classroom:
    return services.create_classroom(by=instructor, name="Evening group", course=demo_course, now=NOW)


def enrol(user: User, classroom: Classroom) -> None:
    services.join_classroom(user=user, classroom=classroom, now=NOW)


@pytest.fixture
def member(classroom: Classroom) -> User:
    """A learner of ``classroom``."""
    user = UserFactory(username="member")
    enrol(user, classroom)
    return user


def as_teacher(user: User, classroom: Classroom) -> ClassroomAccess:
    return access_classroom(user, classroom.pk, as_instructor=True)
