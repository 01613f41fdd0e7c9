"""Practice from "Questions I wrote": an author practises their own published questions (issue 16,
point 7). Drafts and other authors' questions stay out; learners are not offered the choice."""

import random
from decimal import Decimal

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from studyapp.accounts.models import Role, User
from studyapp.questions import services as question_services
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import Question, Status
from studyapp.quizzes import services
from studyapp.quizzes.models import Attempt
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def written(by: User, stem: str, *, status: Status = Status.PUBLISHED) -> Question:
    choices = (Choice(text="Right", fraction=Decimal(1)), Choice(text="Wrong", fraction=Decimal(0)))
    content = QuestionContent(kind=Kind.SINGLE, stem=stem, choices=choices)
    return question_services.create_question(content=content, by=by, now=NOW, category="$course$/top/Mine", status=status)


@pytest.fixture
def author(db) -> User:
    return UserFactory(username="author", role=Role.AUTHOR)


@pytest.fixture
def mine(author: User, demo_course) -> list[Question]:
    """Two published questions ``author`` wrote, beside a draft of theirs, another author's
    published question and the demo course's questions."""
    written(author, "A draft of mine", status=Status.DRAFT)
    written(UserFactory(username="someone", role=Role.AUTHOR), "Someone else's")
    return [written(author, "My first"), written(author, "My second")]


def drawn(attempt: Attempt) -> set[int]:
    return set(attempt.slots.values_list("question_id", flat=True))


def test_my_questions_draws_only_my_published_questions(author, mine):
    choice = services.PracticeChoice(count=10, mine=True)
    attempt = services.start_practice(user=author, choice=choice, now=NOW, rng=random.Random(1))
    assert drawn(attempt) == {q.pk for q in mine}
    assert attempt.options["mine"] is True


def test_the_course_source_is_unchanged_and_still_holds_every_published_question(author, mine):
    attempt = services.start_practice(user=author, choice=services.PracticeChoice(count=10), now=NOW, rng=random.Random(1))
    assert {q.pk for q in mine} < drawn(attempt)
    assert "mine" not in attempt.options


def test_someone_who_wrote_nothing_published_gets_an_empty_pool(demo_course):
    with pytest.raises(services.EmptyPool):
        services.start_practice(user=UserFactory(), choice=services.PracticeChoice(mine=True), now=NOW, rng=random.Random(1))


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_practice_form_offers_questions_i_wrote_to_authors_only(author, demo_course):
    assertContains(signed_in(author).get("/quiz/practice/"), "Questions I wrote")
    assertNotContains(signed_in(UserFactory(username="learner")).get("/quiz/practice/"), "Questions I wrote")


def test_starting_from_questions_i_wrote_practises_them(author, mine):
    response = signed_in(author).post("/quiz/practice/", {"source": "mine", "count": "5", "only": "all"})
    attempt = Attempt.objects.for_user(author).get()
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert drawn(attempt) == {q.pk for q in mine}


def test_an_author_with_no_published_question_is_told_so(author, demo_course):
    written(author, "Only a draft", status=Status.DRAFT)
    response = signed_in(author).post("/quiz/practice/", {"source": "mine", "count": "5", "only": "all"})
    assertContains(response, "None of the questions you wrote matches that choice")
    assert not Attempt.objects.exists()


def test_a_learner_cannot_post_the_source(demo_course):
    learner = UserFactory(username="learner")
    response = signed_in(learner).post("/quiz/practice/", {"source": "mine", "count": "5", "only": "all"})
    attempt = Attempt.objects.for_user(learner).get()
    assert response.status_code == 302
    assert "mine" not in attempt.options, "the field is not theirs: the course's questions"
