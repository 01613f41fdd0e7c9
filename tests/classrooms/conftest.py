from datetime import timedelta

import pytest

from studyapp.accounts.models import Role, User
from studyapp.classrooms import services
from studyapp.classrooms.access import ClassroomAccess, access_classroom
from studyapp.classrooms.models import Assignment, Classroom, Invitation
from studyapp.content.models import Course
from studyapp.questions.models import Question
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


@pytest.fixture
def invitation(instructor: User, classroom: Classroom) -> Invitation:
    """An address on ``classroom``'s imported roster with no account yet."""
    return Invitation.objects.create(
        classroom=classroom, email="newcomer@example.com", name="Nia Newcomer", invited_by=instructor, created_at=NOW
    )


def fixed_quiz(instructor: User, classroom: Classroom, question_ids: list[int], *, title: str = "Week 1 quiz") -> Assignment:
    """A quiz assignment of these questions, in this order (not shuffled), open from NOW for a week,
    set through the service as an instructor would."""
    setup = services.QuizSetup(source=services.QuizSource.QUESTIONS, question_ids=tuple(question_ids), shuffle_questions=False)
    schedule = services.Schedule(opens_at=NOW, due_at=NOW + timedelta(days=7))
    return services.create_assignment(as_teacher(instructor, classroom), title=title, schedule=schedule, quiz=setup, now=NOW)


@pytest.fixture
def quiz_assignment(instructor: User, classroom: Classroom) -> Assignment:
    """A quiz assignment of ``classroom`` over the demo course's published questions (a fixed list),
    open from NOW for a week. Its attempts are Mode.ASSIGNED attempts at ``assignment.quiz``."""
    return fixed_quiz(instructor, classroom, list(Question.objects.published().order_by("pk").values_list("pk", flat=True)))
