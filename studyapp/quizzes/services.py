"""Practice sessions and the mock exam: which questions a quiz may draw, starting, answering,
autosaving and submitting. Writes are verb-named, atomic, and lock the row they change, so a
double-submitted or concurrent answer counts once."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from studyapp.accounts.models import User
from studyapp.content.models import excluding_tag
from studyapp.content.parsing import types
from studyapp.core.prepared import Prepared
from studyapp.questions.content import InvalidResponse, Policy, grade
from studyapp.questions.models import Question
from studyapp.srs.services import enqueue_question

from . import blueprint as blueprint_module
from .access import SLOT, with_question, with_version
from .blueprint import shuffle_options
from .models import EXAM_MODES, Attempt, AttemptQuestion, Feedback, Mode, Quiz, Selection, Shown
from .signals import attempt_submitted

MIN_QUESTIONS, MAX_QUESTIONS = 5, 65
FILTERS = {
    "all": "All questions",
    "unseen": "Only ones I have not answered",
    "missed": "Only ones I got wrong last time",
    "flagged": "Only ones I flagged",
}


class EmptyPool(ValueError):
    """No question matches the learner's choice."""


class InvalidAnswer(ValueError):
    """The answer names options the question does not have, or too many for a single answer."""


class NothingMissed(ValueError):
    """Every question of the attempt was answered right: there is nothing to retry."""


REPEAT_WINDOW = timedelta(seconds=10)
"""A practice start repeated this soon with the same choices (a double click, a form sent again)
resumes the attempt it made instead of making another: see :func:`start_questions`."""

# The locked reads of an answer and an autosave, compiled once (core.prepared).
_PRACTICE_SLOT: Prepared[AttemptQuestion] = Prepared(
    lambda attempt, user, position: (
        AttemptQuestion.objects.select_for_update(of=("self",))
        .select_related("attempt")
        .filter(attempt_id=attempt, attempt__user_id=user, attempt__mode=Mode.PRACTICE, position=position)
    )
)
_EXAM_ATTEMPT: Prepared[Attempt] = Prepared(
    lambda pk, user: Attempt.objects.select_for_update(of=("self",)).select_related("quiz").filter(pk=pk, user_id=user, mode__in=EXAM_MODES)
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PracticeChoice:
    topic_ids: list[int] = field(default_factory=list)  # empty: every topic
    domains: list[str] = field(default_factory=list)  # empty: every domain
    count: int = 10
    only: str = "all"
    include_beyond_exam: bool = False  # questions tagged beyond-exam: only when the learner asks
    mine: bool = False  # only the published questions the learner wrote (an author's "my questions")

    def quiz(self) -> Quiz:
        """The session as an unsaved quiz: the learner's rules, feedback and review after each answer."""
        return Quiz(
            title="Practice",
            selection=Selection.RULES,
            topic_ids=list(self.topic_ids),
            domains=list(self.domains),
            question_count=self.count,
            include_beyond_exam=self.include_beyond_exam,
            time_limit=None,
            feedback=Feedback.IMMEDIATE,
            show_marks=Shown.IMMEDIATELY,
            show_right_answers=Shown.IMMEDIATELY,
            show_explanations=Shown.IMMEDIATELY,
        )


BEYOND_EXAM = types.BEYOND_EXAM
"""The tag of questions that test what CLF-C02 does not ask; quizzes leave them out unless told."""


def questions_for(quiz: Quiz) -> QuerySet[Question]:
    """The published questions a quiz may draw from: its fixed list, or those its rules allow."""
    pool = Question.objects.published()
    if quiz.selection == Selection.FIXED:
        return pool.filter(pk__in=quiz.question_ids)
    if quiz.topic_ids:
        pool = pool.filter(placement__topic_id__in=quiz.topic_ids)
    if quiz.domains:
        pool = pool.filter(domain__in=quiz.domains)
    if not quiz.include_beyond_exam:
        pool = excluding_tag(pool, BEYOND_EXAM)
    return pool


def practice_pool(user: User, choice: PracticeChoice) -> QuerySet[Question]:
    """The published questions matching ``choice`` for this learner (``choice.mine``: of those, the
    ones they wrote)."""
    pool = questions_for(choice.quiz())
    if choice.mine:
        pool = pool.filter(author=user)
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
    """A new practice attempt: ``choice.count`` questions drawn at random from the pool, options
    shuffled; or, repeated within REPEAT_WINDOW with the same choice, the attempt it made."""
    ids = list(practice_pool(user, choice).values_list("pk", flat=True))
    if not ids:
        raise EmptyPool("no question matches that choice")
    options = {
        "topics": choice.topic_ids,
        "domains": choice.domains,
        "count": choice.count,
        "only": choice.only,
        "beyond_exam": choice.include_beyond_exam,
    }
    if choice.mine:
        options["mine"] = True
    return start_questions(user=user, question_ids=rng.sample(ids, min(choice.count, len(ids))), now=now, rng=rng, options=options)


@transaction.atomic
def start_questions(
    *, user: User, question_ids: list[int], now: datetime, rng: random.Random, options: dict[str, object] | None = None
) -> Attempt:
    """A practice attempt of exactly these questions (shuffled), each at its current version.

    Or the learner's practice attempt under way that was started with the same ``options`` less than
    :data:`REPEAT_WINDOW` ago: a repeated start resumes it. The learner's row is locked first, so
    starts that race (on PostgreSQL) run one after the other and the later ones find the first."""
    options = options or {"retry": True}
    User.objects.select_for_update().filter(pk=user.pk).first()
    if (recent := _recent_start(user, options, now)) is not None:
        return recent
    chosen = list(question_ids)
    rng.shuffle(chosen)
    found = set(Question.objects.published().filter(pk__in=chosen).values_list("pk", flat=True))
    chosen = [qid for qid in chosen if qid in found]
    if not chosen:
        raise EmptyPool("none of those questions is still in the course")
    attempt = Attempt.objects.create(user=user, mode=Mode.PRACTICE, started_at=now, options=options)
    _add_slots(attempt, chosen, rng)
    return attempt


def _recent_start(user: User, options: dict[str, object], now: datetime) -> Attempt | None:
    """The learner's practice attempt under way started with ``options`` within REPEAT_WINDOW of ``now``."""
    recent = Attempt.objects.for_user(user).filter(
        mode=Mode.PRACTICE, quiz__isnull=True, finished_at__isnull=True, started_at__gt=now - REPEAT_WINDOW, started_at__lte=now
    )
    return next((attempt for attempt in recent.order_by("-started_at", "-pk") if attempt.options == options), None)


def start_retry(*, user: User, attempt: Attempt, now: datetime, rng: random.Random) -> Attempt:
    """A practice attempt of the questions ``attempt`` (the learner's, finished) missed: answered
    wrongly or not answered. Repeated within REPEAT_WINDOW, it resumes the retry it made. Raises
    NothingMissed, or EmptyPool when none of them is still in the course."""
    missed = list(attempt.slots.exclude(fraction=1).values_list("question_id", flat=True))
    if not missed:
        raise NothingMissed("nothing was missed in that attempt")
    return start_questions(user=user, question_ids=missed, now=now, rng=rng, options={"retry": True, "of": attempt.pk})


@transaction.atomic
def answer(*, user: User, attempt_id: int, position: int, shown: list[int], now: datetime) -> AttemptQuestion:
    """Answer one question of a practice attempt with the options chosen (by shown position, 0-based).

    Practice gives feedback at once, so the first answer is final: a repeat returns the slot as it
    is. A wrong answer sends the question to the learner's review queue.
    Raises AttemptQuestion.DoesNotExist for a slot that is not this learner's.
    """
    slot = _PRACTICE_SLOT.get(attempt_id, user.pk, position)
    with_question(slot)  # what the feedback screen shows (the note the question comes from), cached
    if slot.answered_at is not None:
        return slot
    order = slot.option_order
    if not shown or any(not 0 <= index < len(order) for index in shown):
        raise InvalidAnswer("choose one of the options shown")
    selected = sorted({order[index] for index in shown})
    try:
        result = grade(slot.version.content, selected, policy=slot.attempt.policy)
    except InvalidResponse as error:
        raise InvalidAnswer(str(error)) from error
    slot.selected, slot.fraction, slot.answered_at = selected, result.fraction, now
    slot.save(update_fields=["selected", "fraction", "answered_at"])
    if not result.correct:  # practice: straight into the review queue
        enqueue_question(user=user, question=slot.question, now=now)
    if not slot.attempt.slots.filter(answered_at__isnull=True).exists():
        Attempt.objects.filter(pk=slot.attempt_id, finished_at__isnull=True).update(finished_at=now)
    return slot


class AlreadyFinished(ValueError):
    """A finished attempt stays in the learner's history: it cannot be abandoned."""


@transaction.atomic
def abandon_attempt(*, user: User, attempt_id: int, now: datetime) -> None:
    """Throw away an attempt under way, with its answers, as if it had not been started; a mock
    abandoned has no score. Raises Attempt.DoesNotExist for one that is not this learner's, and
    AlreadyFinished once it is finished (or its time ran out: it then counts as submitted)."""
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt_id, user=user)
    if attempt.finished_at is not None or (attempt.exam and expired(attempt, now)):
        raise AlreadyFinished("this attempt is already finished")
    attempt.delete()


@transaction.atomic
def set_flag(*, user: User, attempt_id: int, position: int, flagged: bool) -> AttemptQuestion:
    slot = AttemptQuestion.objects.select_for_update(of=("self",)).get(attempt_id=attempt_id, attempt__user=user, position=position)
    slot.flagged = flagged
    slot.save(update_fields=["flagged"])
    return slot


# --- mock exam -------------------------------------------------------------------------------


class TimeUp(Exception):
    """The attempt's deadline (plus grace) has passed: it is submitted with what was saved."""


class Finished(Exception):
    """The attempt is already submitted."""


MOCK_DEFAULTS: dict[str, Any] = {"questions": 65, "minutes": 90, "grace_seconds": 10, "weights": {}}


def mock_quiz() -> Quiz:
    """The built-in mock exam, as ``settings.STUDYAPP_MOCK`` describes it today.

    CLF-C02's format by default: 65 questions drawn by the exam's domain weights, 90 minutes, 10
    seconds' grace for slow networks, all-or-nothing marking, feedback once submitted. The setting
    overrides any of ``questions``, ``minutes``, ``grace_seconds`` and ``weights`` (the tests shorten
    the clock; a school could weight the domains its course covers). The row is kept in step with
    the setting, so attempts started under one format keep it while a later one takes the new.
    """
    config = MOCK_DEFAULTS | settings.STUDYAPP_MOCK
    wanted = {
        "title": "Mock exam",
        "selection": Selection.BLUEPRINT,
        "question_count": config["questions"],
        "weights": {domain: str(share) for domain, share in config["weights"].items()},
        "time_limit": timedelta(minutes=config["minutes"]),
        "grace_seconds": config["grace_seconds"],
        "policy": Policy.ALL_OR_NOTHING,
        "feedback": Feedback.DEFERRED,
    }
    quiz, created = Quiz.objects.get_or_create(key="mock", defaults=wanted)
    if not created and any(getattr(quiz, name) != value for name, value in wanted.items()):
        # A new format is a new quiz: attempts under way keep the one they started under (its
        # grace included), and the old row stays, unnamed, for their history.
        with transaction.atomic():
            Quiz.objects.filter(pk=quiz.pk).update(key="")
            quiz = Quiz.objects.create(key="mock", **wanted)
    return quiz


def bank_items() -> list["blueprint_module.BankItem"]:
    """Every question the mock may draw, as the blueprint sees it."""
    rows = questions_for(mock_quiz()).values_list("pk", "domain", "kind", "placement__topic_id", "option_count")
    return [
        blueprint_module.BankItem(id=pk, domain=domain, kind=kind, topic=str(topic), option_count=options)
        for pk, domain, kind, topic, options in rows
    ]


REVIEW_MOCK_KEY = "mock-review"


def review_mock_quiz() -> Quiz:
    """The mock exam in review mode (Tutorials Dojo's): the same draw as :func:`mock_quiz` (count
    and weights), untimed, with right or wrong, the right answers and the explanations after each
    answer. Its attempts run as practice does (mode ``practice``, through ``answer()``), so a wrong
    answer goes to the review queue at once; they never count as a timed mock (readiness, history
    chart)."""
    timed = mock_quiz()
    wanted = {
        "title": "Mock exam (review mode)",
        "selection": Selection.BLUEPRINT,
        "question_count": timed.question_count,
        "weights": timed.weights,
        "time_limit": None,
        "grace_seconds": 0,
        "policy": timed.policy,
        "feedback": Feedback.IMMEDIATE,
        "show_marks": Shown.IMMEDIATELY,
        "show_right_answers": Shown.IMMEDIATELY,
        "show_explanations": Shown.IMMEDIATELY,
    }
    quiz, created = Quiz.objects.get_or_create(key=REVIEW_MOCK_KEY, defaults=wanted)
    if not created and any(getattr(quiz, name) != value for name, value in wanted.items()):
        with transaction.atomic():  # as for the timed mock: attempts under way keep their format
            Quiz.objects.filter(pk=quiz.pk).update(key="")
            quiz = Quiz.objects.create(key=REVIEW_MOCK_KEY, **wanted)
    return quiz


def in_progress_mock(user: User, *, review: bool = False) -> Attempt | None:
    """The learner's timed mock under way (``review=True``: the review-mode one), if any."""
    which = Q(mode=Mode.PRACTICE, quiz__key=REVIEW_MOCK_KEY) if review else Q(mode=Mode.MOCK)
    return Attempt.objects.for_user(user).filter(which, finished_at__isnull=True).order_by("-started_at").first()


def previous_mock_questions(user: User) -> set[int]:
    """The questions of the learner's latest mock, timed or in review mode, finished or not (one
    abandoned is gone): what the next draw avoids, so two mocks in a row share as few questions as
    the bank allows (:func:`studyapp.quizzes.blueprint.repeat_bound`)."""
    latest = Attempt.objects.for_user(user).filter(quiz__selection=Selection.BLUEPRINT).order_by("-started_at", "-pk").values("pk")[:1]
    return set(AttemptQuestion.objects.filter(attempt_id__in=latest).values_list("question_id", flat=True))


@transaction.atomic
def start_mock(*, user: User, now: datetime, rng: random.Random, review: bool = False) -> Attempt:
    """A mock exam drawn by the blueprint, or the one already under way (it resumes). ``review``:
    the untimed review mode, with feedback after each question (see :func:`review_mock_quiz`).

    Exam-relevant questions only (:func:`questions_for` leaves beyond-exam ones out), exactly the
    blueprint's count per domain when the bank has them, and first those the learner's previous mock
    did not ask: two mocks in a row share at most ``max(0, 2 × count − pool)`` questions per domain.
    The same bank, previous mock and ``rng`` seed give the same draw."""
    User.objects.select_for_update().get(pk=user.pk)  # one start at a time per learner: a double click resumes
    current = in_progress_mock(user, review=review)
    if current is not None:
        return current
    quiz = review_mock_quiz() if review else mock_quiz()
    drawn = blueprint_module.draw(bank_items(), quiz.blueprint(), rng=rng, avoid=previous_mock_questions(user))
    if not drawn.items:
        raise EmptyPool("the question bank is empty")
    attempt = Attempt.objects.create(
        user=user,
        quiz=quiz,
        mode=Mode.PRACTICE if review else Mode.MOCK,
        policy=quiz.policy,
        started_at=now,
        deadline=None if quiz.time_limit is None else now + quiz.time_limit,
        options={"shortfall": drawn.shortfall, "counts": drawn.counts},
    )
    _add_slots(attempt, list(drawn.items), rng)
    return attempt


def queues_missed(attempt: Attempt) -> bool:
    """Whether the attempt's wrong answers go to the learner's review queue when it is submitted:
    not for an assigned quiz that keeps its right answers back after submitting (a flashcard would
    show them)."""
    quiz = attempt.quiz
    return attempt.mode != Mode.ASSIGNED or quiz is None or quiz.show_right_answers in (Shown.IMMEDIATELY, Shown.AFTER_SUBMIT)


def draw_for(quiz: Quiz, *, user: User, rng: random.Random) -> list[int]:
    """The questions of a new attempt at a saved quiz, in the order asked: its fixed list (in its
    order unless it shuffles), ``question_count`` drawn by its rules, or a blueprint draw as the mock
    makes (avoiding the learner's previous mock). Raises EmptyPool."""
    if quiz.selection == Selection.BLUEPRINT:
        chosen = list(blueprint_module.draw(bank_items(), quiz.blueprint(), rng=rng, avoid=previous_mock_questions(user)).items)
    elif quiz.selection == Selection.FIXED:
        published = set(questions_for(quiz).values_list("pk", flat=True))
        chosen = [qid for qid in quiz.question_ids if qid in published]
    else:
        ids = sorted(questions_for(quiz).values_list("pk", flat=True))
        chosen = rng.sample(ids, min(quiz.question_count, len(ids)))
    if not chosen:
        raise EmptyPool("no question of this quiz is in the course")
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    elif quiz.selection != Selection.FIXED:
        chosen.sort()
    return chosen


@transaction.atomic
def start_assigned(
    *, user: User, quiz: Quiz, now: datetime, rng: random.Random, deadline: datetime | None, options: dict[str, object]
) -> Attempt:
    """A new attempt at an assigned quiz, run in the exam pages (answers saved, graded when
    submitted), closing at ``deadline`` (plus the quiz's grace) when there is one. Who may start
    one, and when, is the caller's rule (the classroom's assignment)."""
    attempt = Attempt.objects.create(
        user=user, quiz=quiz, mode=Mode.ASSIGNED, policy=quiz.policy, started_at=now, deadline=deadline, options=options
    )
    _add_slots(attempt, draw_for(quiz, user=user, rng=rng), rng, shuffle=quiz.shuffle_options)
    return attempt


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedAnswer:
    """One question of an attempt made elsewhere (a live game): the version shown, the options in
    the order shown, and what was chosen (None: not answered)."""

    question_id: int
    version_id: int
    option_order: list[int]
    selected: list[int] | None
    answered_at: datetime | None


@transaction.atomic
def record_attempt(
    *, user: User, quiz: Quiz, started_at: datetime, finished_at: datetime, answers: list[RecordedAnswer], options: dict[str, object]
) -> Attempt:
    """A finished attempt at ``quiz`` made outside the quiz pages (a live game played from an
    assignment), graded as a submitted one is, so the classroom's gradebook counts it."""
    attempt = Attempt.objects.create(
        user=user, quiz=quiz, mode=Mode.ASSIGNED, policy=quiz.policy, started_at=started_at, deadline=None, options=options
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            position=position,
            question_id=answer.question_id,
            version_id=answer.version_id,
            option_order=answer.option_order,
            selected=answer.selected,
            answered_at=answer.answered_at,
        )
        for position, answer in enumerate(answers, start=1)
    )
    _submit(attempt, now=finished_at)
    return attempt


def _add_slots(attempt: Attempt, chosen: list[int], rng: random.Random, *, shuffle: bool = True) -> None:
    """One slot per question in ``chosen`` (published ones, so each has a current version), in that
    order; options shuffled unless ``shuffle=False`` (then in the order written)."""
    questions = Question.objects.only("current_version_id", "option_count").in_bulk(chosen)
    slots = []
    for position, qid in enumerate(chosen, start=1):
        version_id = questions[qid].current_version_id
        assert version_id is not None, "a published question has a version"
        count = questions[qid].option_count
        option_order = list(shuffle_options(count, rng=rng)) if shuffle else list(range(count))
        slots.append(AttemptQuestion(attempt=attempt, position=position, question_id=qid, version_id=version_id, option_order=option_order))
    AttemptQuestion.objects.bulk_create(slots)


def grace(attempt: Attempt) -> timedelta:
    """How long after its deadline the attempt still takes answers."""
    return attempt.quiz.grace if attempt.quiz else timedelta(0)


def expired(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + grace(attempt)


def save_answer(
    *, user: User, attempt_id: int, position: int, shown: list[int], now: datetime, toggle_flag: bool = False
) -> AttemptQuestion:
    """Autosave one answer of a mock (an empty list clears it). No feedback until submitted.

    ``toggle_flag`` also flags the question (or removes its flag) in the same transaction: every
    control of a mock question sends its answer first, so flagging never drops a choice. An answer
    sent again unchanged keeps the time it was first saved at.

    Raises TimeUp after the deadline plus grace (the attempt is then submitted with what was saved,
    and the late answer is not), Finished once submitted, InvalidAnswer for options the question
    does not have.
    """
    with transaction.atomic():
        attempt = _EXAM_ATTEMPT.get(attempt_id, user.pk)
        if attempt.finished_at is not None:
            raise Finished("this attempt is already submitted")
        late = expired(attempt, now)
        if late:
            assert attempt.deadline is not None  # expired() says so
            _submit(attempt, now=attempt.deadline + grace(attempt))
        else:
            return _save(attempt, position, shown, now, toggle_flag=toggle_flag)
    raise TimeUp("time is up")  # outside the transaction, so the submission above is kept


def _save(attempt: Attempt, position: int, shown: list[int], now: datetime, *, toggle_flag: bool = False) -> AttemptQuestion:
    slot = with_version(SLOT.get(attempt.pk, position))
    slot.attempt = attempt
    if any(not 0 <= index < len(slot.option_order) for index in shown):
        raise InvalidAnswer("choose one of the options shown")
    if len(shown) > 1 and not slot.version.content.multiple:
        raise InvalidAnswer("this question takes one answer")
    selected = sorted({slot.option_order[index] for index in shown}) or None
    changed = ["flagged"] if toggle_flag else []
    if selected != slot.selected:
        slot.selected, slot.answered_at = selected, now if selected else None
        changed += ["selected", "answered_at"]
    slot.flagged = slot.flagged != toggle_flag
    if changed:
        slot.save(update_fields=changed)
    return slot


@transaction.atomic
def submit_mock(*, user: User, attempt_id: int, now: datetime) -> Attempt:
    """Grade and close the attempt (a second submit changes nothing). After the deadline the
    attempt counts as submitted at the deadline, with what was saved by then."""
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt_id, user=user, mode__in=EXAM_MODES)
    if attempt.finished_at is None:
        _submit(attempt, now=min(now, attempt.deadline + grace(attempt)) if attempt.deadline else now)
    return attempt


def expire_if_due(attempt: Attempt, now: datetime) -> bool:
    """Submit a mock whose time is up; True when it is (or already was) closed."""
    if attempt.finished_at is not None:
        return True
    if attempt.exam and expired(attempt, now):
        submit_mock(user=attempt.user, attempt_id=attempt.pk, now=now)
        attempt.refresh_from_db()
        return True
    return False


def _submit(attempt: Attempt, *, now: datetime) -> None:
    slots = list(attempt.slots.select_related("version", "question").select_for_update(of=("self",)))
    for slot in slots:
        slot.fraction = grade(slot.version.content, slot.selected or [], policy=attempt.policy).fraction
    AttemptQuestion.objects.bulk_update(slots, ["fraction"])
    attempt.finished_at = now
    attempt.save(update_fields=["finished_at"])
    attempt_submitted.send(sender=Attempt, attempt=attempt)
    for slot in slots if queues_missed(attempt) else ():
        if slot.answered_at and slot.fraction != 1:  # answered wrongly: review it (unanswered ones were not tried)
            enqueue_question(user=attempt.user, question=slot.question, now=now)
