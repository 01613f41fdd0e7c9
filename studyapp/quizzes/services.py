"""Starting and answering practice quizzes. Writes are verb-named, atomic, and lock the slot they
change, so a double-submitted or concurrent answer counts once."""

import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from studyapp.accounts.models import User
from studyapp.content.models import Question
from studyapp.srs.services import enqueue_question

from . import grading
from .blueprint import shuffle_options
from .models import Attempt, AttemptQuestion, Mode

MIN_QUESTIONS, MAX_QUESTIONS = 5, 65
FILTERS = {"all": "All questions", "unseen": "Only ones I have not answered", "missed": "Only ones I got wrong last time", "flagged": "Only ones I flagged"}


class EmptyPool(ValueError):
    """No question matches the learner's choice."""


class InvalidAnswer(ValueError):
    """The answer names options the question does not have, or too many for a single answer."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PracticeChoice:
    topic_ids: list[int] = field(default_factory=list)  # empty: every topic
    domains: list[str] = field(default_factory=list)  # empty: every domain
    count: int = 10
    only: str = "all"


def practice_pool(user: User, choice: PracticeChoice) -> QuerySet[Question]:
    """The live questions matching ``choice`` for this learner."""
    pool = Question.objects.live().filter(note__retired_at__isnull=True, current_version__isnull=False)
    if choice.topic_ids:
        pool = pool.filter(topic_id__in=choice.topic_ids)
    if choice.domains:
        pool = pool.filter(domain__in=choice.domains)
    answered = AttemptQuestion.objects.filter(attempt__user=user, question=OuterRef("pk"), answered_at__isnull=False)
    if choice.only == "unseen":
        pool = pool.exclude(Exists(answered))
    elif choice.only == "missed":
        latest = answered.order_by("-answered_at").values("fraction")[:1]
        pool = pool.alias(last=latest).filter(last__lt=1)
    elif choice.only == "flagged":
        pool = pool.filter(Exists(AttemptQuestion.objects.filter(attempt__user=user, question=OuterRef("pk"), flagged=True)))
    return pool


def start_practice(*, user: User, choice: PracticeChoice, now: datetime, rng: random.Random) -> Attempt:
    """A new practice attempt: ``choice.count`` questions drawn at random from the pool, options shuffled."""
    ids = list(practice_pool(user, choice).values_list("pk", flat=True))
    if not ids:
        raise EmptyPool("no question matches that choice")
    options = {"topics": choice.topic_ids, "domains": choice.domains, "count": choice.count, "only": choice.only}
    return start_questions(user=user, question_ids=rng.sample(ids, min(choice.count, len(ids))), now=now, rng=rng, options=options)


@transaction.atomic
def start_questions(
    *, user: User, question_ids: list[int], now: datetime, rng: random.Random, options: dict[str, object] | None = None
) -> Attempt:
    """A practice attempt of exactly these questions (shuffled), each at its current version."""
    chosen = list(question_ids)
    rng.shuffle(chosen)
    questions = Question.objects.live().select_related("current_version").in_bulk(chosen)
    chosen = [qid for qid in chosen if qid in questions and questions[qid].current_version]
    if not chosen:
        raise EmptyPool("none of those questions is still in the course")
    attempt = Attempt.objects.create(user=user, mode=Mode.PRACTICE, started_at=now, options=options or {"retry": True})
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt, position=position, question_id=qid, version=questions[qid].current_version,
            option_order=list(shuffle_options(len(questions[qid].current_version.data["options"]), rng=rng)),
        )  # fmt: skip
        for position, qid in enumerate(chosen, start=1)
    )
    return attempt


@transaction.atomic
def answer(*, user: User, attempt_id: int, position: int, shown: list[int], now: datetime) -> AttemptQuestion:
    """Answer one question of a practice attempt with the options chosen (by shown position, 0-based).

    Practice gives feedback at once, so the first answer is final: a repeat returns the slot as it
    is. A wrong answer sends the question to the learner's review queue.
    Raises AttemptQuestion.DoesNotExist for a slot that is not this learner's.
    """
    slot = (
        AttemptQuestion.objects.select_for_update(of=("self",))
        .select_related("attempt", "version", "question")
        .get(attempt_id=attempt_id, attempt__user=user, position=position)
    )
    if slot.answered_at is not None:
        return slot
    order = slot.option_order
    if not shown or any(not 0 <= index < len(order) for index in shown):
        raise InvalidAnswer("choose one of the options shown")
    selected = sorted({order[index] for index in shown})
    data = slot.version.data
    try:
        result = grading.grade(kind=data["kind"], fractions=grading.option_fractions(data["options"]), selected=selected, policy=slot.attempt.policy)
    except ValueError as error:
        raise InvalidAnswer(str(error)) from error
    slot.selected, slot.fraction, slot.answered_at = selected, result.fraction, now
    slot.save(update_fields=["selected", "fraction", "answered_at"])
    if not result.correct:
        enqueue_question(user=user, question=slot.question, now=now)
    if not slot.attempt.slots.filter(answered_at__isnull=True).exists():
        Attempt.objects.filter(pk=slot.attempt_id, finished_at__isnull=True).update(finished_at=now)
    return slot


@transaction.atomic
def set_flag(*, user: User, attempt_id: int, position: int, flagged: bool) -> AttemptQuestion:
    slot = AttemptQuestion.objects.select_for_update(of=("self",)).get(attempt_id=attempt_id, attempt__user=user, position=position)
    slot.flagged = flagged
    slot.save(update_fields=["flagged"])
    return slot


def score(slots: list[AttemptQuestion]) -> tuple[Decimal, int]:
    """Marks and number of questions."""
    return sum((slot.fraction or Decimal(0) for slot in slots), Decimal(0)), len(slots)
