"""Questions written in the bank's editor (issue 16, point 7) in classroom assignments: a fixed list
takes their ids like any other question's, once they are published."""

import random
from decimal import Decimal

import pytest

from studyapp.accounts.models import Role, User
from studyapp.classrooms import gradebook, services
from studyapp.questions import services as question_services
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import Question, Status
from studyapp.quizzes import services as quiz_services
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import fixed_quiz

pytestmark = pytest.mark.django_db


def written(by: User, *, status: Status = Status.PUBLISHED) -> Question:
    """A single-answer question an author wrote (no place in the course's notes, no topic)."""
    choices = (Choice(text="AWS Lambda", fraction=Decimal(1)), Choice(text="Amazon EC2", fraction=Decimal(0)))
    content = QuestionContent(kind=Kind.SINGLE, stem="Which runs code without servers?", choices=choices)
    return question_services.create_question(
        content=content, by=by, now=NOW, category="$course$/top/Mine", domain="domain-3", status=status
    )


@pytest.fixture
def author(db) -> User:
    return UserFactory(username="author", role=Role.AUTHOR)


def test_a_fixed_list_assignment_asks_an_authored_published_question_and_grades_it(instructor, classroom, member, author):
    question = written(author)
    assignment = fixed_quiz(instructor, classroom, [question.pk])
    attempt = services.start_assignment_quiz(user=member, assignment_id=assignment.pk, now=NOW, rng=random.Random(1))
    (slot,) = attempt.slots.all()
    assert (slot.question, slot.version) == (question, question.current_version)
    quiz_services.save_answer(user=member, attempt_id=attempt.pk, position=1, shown=[slot.option_order.index(0)], now=NOW)
    quiz_services.submit_mock(user=member, attempt_id=attempt.pk, now=NOW)
    (row,) = gradebook.build(classroom, now=NOW).rows
    assert row.cells[0].grade == 100


def test_a_draft_cannot_be_assigned(instructor, classroom, author):
    draft = written(author, status=Status.DRAFT)
    with pytest.raises(services.ClassroomError, match="No published question"):
        fixed_quiz(instructor, classroom, [draft.pk])
