"""The class door, and the rule it lends the attempt door: an instructor reads the attempts of the
learners of the classes they teach, and no one else's."""

import random

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from studyapp.accounts.models import Role
from studyapp.classrooms import services
from studyapp.classrooms.access import access_classroom
from studyapp.classrooms.models import MembershipStatus
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.access import access_attempt
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import as_teacher

pytestmark = pytest.mark.django_db


def test_missing_and_foreign_classes_are_the_same_404(classroom):
    outsider = UserFactory()
    for class_id in (classroom.pk, classroom.pk + 1000):
        with pytest.raises(Http404, match="No such class"):
            access_classroom(outsider, class_id)


def test_a_learner_of_the_class_gets_a_403_on_instructor_pages(classroom, member):
    assert not access_classroom(member, classroom.pk).teaches
    with pytest.raises(PermissionDenied):
        access_classroom(member, classroom.pk, as_instructor=True)


def test_an_instructor_reads_their_learners_attempts_only_while_they_are_in_the_class(instructor, classroom, member, demo_course):
    attempt = quiz_services.start_practice(user=member, choice=quiz_services.PracticeChoice(count=2), now=NOW, rng=random.Random(1))
    assert access_attempt(instructor, attempt.pk, as_instructor=True) == attempt
    with pytest.raises(Http404):
        access_attempt(instructor, attempt.pk)  # only when asked as an instructor
    other_teacher = UserFactory(role=Role.INSTRUCTOR)
    services.create_classroom(by=other_teacher, name="Other", course=demo_course, now=NOW)
    with pytest.raises(Http404):
        access_attempt(other_teacher, attempt.pk, as_instructor=True)
    services.set_learner_status(as_teacher(instructor, classroom), user_id=member.pk, status=MembershipStatus.REMOVED, now=NOW)
    with pytest.raises(Http404):
        access_attempt(instructor, attempt.pk, as_instructor=True)
