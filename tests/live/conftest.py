import random
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from studyapp.accounts.models import Role, User
from studyapp.content.models import Course
from studyapp.live import services
from studyapp.live.models import Game, GameQuestion, Player
from studyapp.questions import services as question_services
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import Question, Status
from studyapp.quizzes.models import Quiz, Selection
from tests.conftest import NOW
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    """Each test starts as a fresh server process would (ids come back after a test's rollback)."""
    services._slots.clear()


@pytest.fixture
def host(db) -> User:
    return UserFactory(username="host", role=Role.INSTRUCTOR)


def playable_ids() -> list[int]:
    return list(Question.objects.published().filter(kind__in=services.LIVE_KINDS).order_by("pk").values_list("pk", flat=True))


def make_question(stem: str, right: str, *wrong: str, explanation: str = "") -> Question:
    """A published single-answer question, the right option first."""
    choices = [Choice(text=right, fraction=Decimal(1)), *(Choice(text=text, fraction=Decimal(0)) for text in wrong)]
    content = QuestionContent(kind=Kind.SINGLE, stem=stem, choices=tuple(choices), explanation=explanation)
    return question_services.create_question(content=content, by=None, now=NOW, status=Status.PUBLISHED, domain="D3")


@pytest.fixture
def questions(db) -> list[Question]:
    return [
        make_question(
            "Which service runs code without servers?",
            "AWS Lambda",
            "Amazon EC2",
            "Amazon Lightsail",
            "AWS Batch",
            explanation="Lambda runs functions on demand.",
        ),
        make_question("Where are container images stored?", "Amazon ECR", "Amazon ECS", "AWS Fargate", "Amazon S3 Glacier"),
        make_question("What runs containers without managing servers?", "AWS Fargate", "Amazon EC2", "AWS Outposts"),
    ]


@pytest.fixture
def quiz(host: User, demo_course: Course, questions: list[Question]) -> Quiz:
    """Three single-answer questions, in order, options as written (the right one first)."""
    ids = [q.pk for q in questions]
    return Quiz.objects.create(
        title="Compute warm-up",
        owner=host,
        selection=Selection.FIXED,
        question_ids=ids,
        question_count=3,
        shuffle_questions=False,
        shuffle_options=False,
    )


@pytest.fixture
def game(host: User, quiz: Quiz) -> Game:
    return services.create_game(host=host, quiz=quiz, now=NOW, rng=random.Random(1), time_limit_seconds=20)


def join(game: Game, nickname: str, *, user: User | None = None, now: datetime = NOW) -> Player:
    return services.join_game(pin=game.pin, nickname=nickname, user=user, now=now)


def right_button(game: Game, position: int) -> int:
    """The button (0-based, as shown) of a right answer to question ``position``."""
    slot = GameQuestion.objects.select_related("version").get(game=game, position=position)
    content = slot.version.content
    return next(i for i, stored in enumerate(slot.option_order) if content.choices[stored].fraction == 1)


def wrong_button(game: Game, position: int) -> int:
    slot = GameQuestion.objects.select_related("version").get(game=game, position=position)
    content = slot.version.content
    return next(i for i, stored in enumerate(slot.option_order) if content.choices[stored].fraction <= 0)


def start(game: Game, *, now: datetime = NOW) -> Game:
    """Open question 1 at ``now``."""
    return services.advance(game_id=game.pk, from_position=0, now=now).game


SECOND = timedelta(seconds=1)
