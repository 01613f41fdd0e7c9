"""Writes of spaced-repetition state. Each is one transaction and safe against double submits and
concurrent tabs: the item's state row is locked, and the revision the learner saw must still be current."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from studyapp.accounts.models import User
from studyapp.content.models import Card
from studyapp.questions.models import Question

from . import scheduler
from .models import ItemState, ReviewLog, ReviewState, UndoneReview
from .queue import MAX_ANSWER_MS, scheduler_settings

LEECH_LAPSES = 8


class InvalidRating(ValueError):
    """The rating is not 1, 2, 3 or 4."""


class ItemNotFound(LookupError):
    """No such live card or question."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewResult:
    recorded: bool  # False: a repeat of a review already counted, or a stale tab: nothing changed
    state: ReviewState


def _locked_state(user: User, kind: str, item_id: int, *, live: bool = False) -> ReviewState | None:
    field = "card" if kind == "card" else "question"
    states = ReviewState.objects.select_for_update(of=("self",)).filter(user=user, **{f"{field}_id": item_id})
    if live:
        states = states.live()
    return states.first()


def _check_item(kind: str, item_id: int) -> None:
    items = Card.objects.live() if kind == "card" else Question.objects.published()
    if kind not in {"card", "question"} or not items.filter(pk=item_id).exists():
        raise ItemNotFound(f"no {kind} {item_id}")


def record_review(
    *, user: User, kind: str, item_id: int, revision: int, rating: int, now: datetime, shown_at: datetime | None = None
) -> ReviewResult:
    """Rate one item. ``revision`` is the one shown with it: if the item changed since (the same
    answer posted twice, another tab), nothing is recorded and the current state is returned.

    Queries: the item's state (locked), the log row, the state row: three; a card seen for the
    first time needs one more, to check it is still in the course.
    """
    if rating not in scheduler.RATINGS or isinstance(rating, bool):
        raise InvalidRating(f"rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), got {rating!r}")
    if kind not in {"card", "question"}:
        raise ItemNotFound(f"unknown kind {kind!r}")
    try:
        return _record_review(user=user, kind=kind, item_id=item_id, revision=revision, rating=rating, now=now, shown_at=shown_at)
    except IntegrityError:
        # Two first reviews of one item raced and the other created its state: that one counts.
        state = ReviewState.objects.get(user=user, **{f"{kind}_id": item_id})
        return ReviewResult(recorded=False, state=state)


@transaction.atomic
def _record_review(
    *, user: User, kind: str, item_id: int, revision: int, rating: int, now: datetime, shown_at: datetime | None
) -> ReviewResult:
    state = _locked_state(user, kind, item_id, live=True)
    if state is None:
        _check_item(kind, item_id)
        if revision != 0:
            raise ItemNotFound(f"no review state for {kind} {item_id} at revision {revision}")
        state = ReviewState(user=user, added_at=now, **{f"{kind}_id": item_id})
    elif state.revision != revision:
        return ReviewResult(recorded=False, state=state)

    settings = scheduler_settings(user)
    before = state.memory
    seed = (state.pk or item_id) * 7919 + before.reps
    after = scheduler.review(before, rating, now=now, settings=settings, seed=seed)
    state.set_memory(after)
    state.revision += 1
    state.buried_until = None
    state.leech = state.leech or after.lapses >= LEECH_LAPSES
    state.save()  # an INSERT the first time: a race with another first review ends in IntegrityError
    duration = None if shown_at is None else max(0, min(MAX_ANSWER_MS, int((now - shown_at).total_seconds() * 1000)))
    ReviewLog.objects.create(
        user=user,
        review_state=state,
        rating=rating,
        reviewed_at=now,
        duration_ms=duration,
        was_new=before.state == "new",
        state_before=before.to_dict(),
        state_after=after.to_dict(),
    )
    return ReviewResult(recorded=True, state=state)


@transaction.atomic
def undo_last_review(*, user: User, now: datetime) -> ReviewState | None:
    """Take back the learner's latest review that still counts; None when there is nothing to undo.

    The review stays in the log, marked undone; the item goes back to its state before it.
    """
    log = ReviewLog.objects.filter(user=user, undo__isnull=True).select_related("review_state").order_by("-reviewed_at", "-pk").first()
    if log is None:
        return None
    state = ReviewState.objects.select_for_update(of=("self",)).get(pk=log.review_state_id)
    if state.memory.to_dict() != log.state_after:  # changed since (another tab): undoing would lose that
        return None
    UndoneReview.objects.create(review=log, undone_at=now)
    state.set_memory(scheduler.Memory.from_dict(log.state_before))
    state.revision += 1
    state.leech = state.lapses >= LEECH_LAPSES
    state.save()
    return state


def _state_for_change(user: User, kind: str, item_id: int, now: datetime) -> ReviewState:
    state = _locked_state(user, kind, item_id)
    if state is None:
        _check_item(kind, item_id)
        state = ReviewState.objects.create(user=user, added_at=now, **{f"{kind}_id": item_id})
    return state


@transaction.atomic
def set_suspended(*, user: User, kind: str, item_id: int, suspended: bool, now: datetime) -> ReviewState:
    state = _state_for_change(user, kind, item_id, now)
    state.suspended = suspended
    state.revision += 1
    state.save(update_fields=["suspended", "revision"])
    return state


@transaction.atomic
def bury(*, user: User, kind: str, item_id: int, now: datetime) -> ReviewState:
    """Hide the item until the next study day starts (4 a.m. in the learner's time zone)."""
    state = _state_for_change(user, kind, item_id, now)
    state.buried_until = scheduler.next_day_start(now, scheduler_settings(user))
    state.revision += 1
    state.save(update_fields=["buried_until", "revision"])
    return state


@transaction.atomic
def set_flag(*, user: User, kind: str, item_id: int, flagged: bool, now: datetime) -> ReviewState:
    state = _state_for_change(user, kind, item_id, now)
    state.flagged = flagged
    state.save(update_fields=["flagged"])
    return state


@transaction.atomic
def enqueue_question(*, user: User, question: Question, now: datetime) -> ReviewState:
    """Put a question the learner answered wrongly into their review queue, due now.

    A question already in the queue becomes due now again (as a lapse would make it); its
    memory is kept.
    """
    state = _locked_state(user, "question", question.pk)
    if state is None:
        try:
            with transaction.atomic():
                state = ReviewState.objects.create(user=user, question=question, added_at=now, due=now)
        except IntegrityError:
            state = _locked_state(user, "question", question.pk)
            assert state is not None, "the state a concurrent request created, which made ours fail"
    if state.state != ItemState.NEW and (state.due is None or state.due > now):
        ReviewState.objects.filter(pk=state.pk).update(due=now, revision=state.revision + 1)
        state.refresh_from_db()
    return state


def leeches(user: User) -> "list[ReviewState]":
    return list(
        ReviewState.objects.for_user(user)
        .live()
        .filter(Q(leech=True))
        .select_related("card__note__course", "question__current_version", "question__placement__note__course")
        .order_by("-lapses")
    )
