"""Writes of spaced-repetition state. Each is one transaction and safe against double submits and
concurrent tabs: the item's state row is locked, and the revision the learner saw must still be current."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet

from studyapp.accounts.models import User
from studyapp.content import cached
from studyapp.content.models import Card
from studyapp.core import pagecache, versions
from studyapp.core.prepared import Prepared
from studyapp.questions.models import Question

from . import scheduler
from .models import ActionKind, ItemAction, ItemState, ReviewLog, ReviewState, UndoneAction, UndoneReview
from .queue import MAX_ANSWER_MS, change_token, review_settings, scheduler_settings

LEECH_LAPSES = 8


class InvalidRating(ValueError):
    """The rating is not 1, 2, 3 or 4."""


class ItemNotFound(LookupError):
    """No such card still in the course, or no such published question."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewResult:
    recorded: bool  # False: a repeat of a review already counted, or a stale tab: nothing changed
    state: ReviewState


AREA = "srs"  # the learner's versions (core.versions.of_learner) that pages built from their review states are kept under


def _changed(user: User) -> None:
    """Every write to a learner's review states calls this, inside its transaction: the pages kept
    for them (the card browser, core.pagecache.signed_in_page) are built afresh after the commit."""
    versions.bump_learner(user.pk, AREA)


def _locked(field: str, live: bool) -> Prepared[ReviewState]:
    def build(user: int, item: int) -> QuerySet[ReviewState]:
        states = ReviewState.objects.select_for_update(of=("self",)).filter(user_id=user, **{f"{field}_id": item})
        return states.live() if live else states

    return Prepared(build)


# A learner's state of one card or question, locked: read by every rating and action, compiled once.
_LOCKED_STATES = {(kind, live): _locked(kind, live) for kind in ("card", "question") for live in (False, True)}


def _locked_state(user: User, kind: str, item_id: int, *, live: bool = False) -> ReviewState | None:
    try:
        return _LOCKED_STATES["card" if kind == "card" else "question", live].get(user.pk, item_id)
    except ReviewState.DoesNotExist:
        return None


def _check_item(kind: str, item_id: int) -> tuple[int, str]:
    """The live card's or published question's (course id, source key); ItemNotFound otherwise."""
    if kind not in {"card", "question"}:
        raise ItemNotFound(f"unknown kind {kind!r}")
    items = (
        Card.objects.live().values_list("course_id", "source_key")
        if kind == "card"
        else Question.objects.published().values_list("pk", "source_key")
    )
    found = items.filter(pk=item_id).first()
    if found is None:
        raise ItemNotFound(f"no {kind} {item_id}")
    return found


def sibling_prefix(source_key: str) -> str | None:
    """Cards of one cloze are keyed ``id/c1``, ``id/c2`` (content.parsing.cards): siblings share
    ``id/``. A basic card (``id``) has none."""
    base, slash, _ = source_key.partition("/")
    return f"{base}/" if slash else None


def _bury_siblings(user: User, *, card_id: int, course_id: int, source_key: str, now: datetime) -> list[int]:
    """Bury the other cards of the reviewed card's cloze until the next study day, as Anki does by
    default: new ones, and reviews due before then. Cards in (re)learning are left alone (their
    steps are minutes apart), as are suspended ones. Returns the card ids buried.

    Queries: none for a basic card; for a cloze, its siblings (once, then from the cache), their
    states (locked), and the writes."""
    prefix = sibling_prefix(source_key)
    if prefix is None:
        return []
    siblings = pagecache.remember(  # only a load changes which cards a cloze has, and it bumps the content's version
        f"cloze-siblings:{card_id}",
        lambda: list(
            Card.objects.live().filter(course_id=course_id, source_key__startswith=prefix).exclude(pk=card_id).values_list("pk", flat=True)
        ),
    )
    if not siblings:
        return []
    until = scheduler.next_day_start(now, scheduler_settings(user))
    states = {s.card_id: s for s in ReviewState.objects.select_for_update(of=("self",)).filter(user=user, card_id__in=siblings)}
    buried = [
        s
        for s in states.values()
        if not s.suspended
        and (s.state == ItemState.NEW or (s.state == ItemState.REVIEW and s.due is not None and s.due < until))
        and (s.buried_until is None or s.buried_until < until)
    ]
    for state in buried:
        state.buried_until = until
        state.revision += 1
    ReviewState.objects.bulk_update(buried, ["buried_until", "revision"])
    fresh = [card for card in siblings if card not in states]
    # A sibling never seen gets a state that only says "buried" (a new state is a card not started).
    # ignore_conflicts: another tab's first review of that sibling created its state meanwhile.
    ReviewState.objects.bulk_create(
        [ReviewState(user=user, card_id=card, added_at=now, buried_until=until) for card in fresh], ignore_conflicts=True
    )
    return sorted([s.card_id for s in buried if s.card_id is not None] + fresh)


def record_review(
    *, user: User, kind: str, item_id: int, revision: int, rating: int, now: datetime, shown_at: datetime | None = None
) -> ReviewResult:
    """Rate one item. ``revision`` is the one shown with it: if the item changed since (the same
    answer posted twice, another tab), nothing is recorded and the current state is returned.

    Queries: the item's state (locked), the log row, the state row: three; a card seen for the
    first time needs one more, to check it is still in the course. Reviewing a card of a cloze
    buries its siblings (unless the learner turned that off): a few more, see :func:`_bury_siblings`.
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
        course_id, source_key = _check_item(kind, item_id)
        if revision != 0:
            raise ItemNotFound(f"no review state for {kind} {item_id} at revision {revision}")
        state = ReviewState(user=user, added_at=now, **{f"{kind}_id": item_id})
    elif state.revision != revision:
        return ReviewResult(recorded=False, state=state)
    elif state.card_id is not None:
        card = cached.card(state.card_id)  # its key finds its cloze siblings, at no query
        course_id, source_key = card.course_id, card.source_key

    settings = scheduler_settings(user)
    before = state.memory
    seed = (state.pk or item_id) * 7919 + before.reps
    after = scheduler.review(before, rating, now=now, settings=settings, seed=seed)
    state.set_memory(after)
    state.revision += 1
    state.buried_until = None
    state.leech = state.leech or after.lapses >= LEECH_LAPSES
    state.save()  # an INSERT the first time: a race with another first review ends in IntegrityError
    _changed(user)
    buried: list[int] = []
    if kind == "card" and review_settings(user).bury_siblings:
        buried = _bury_siblings(user, card_id=item_id, course_id=course_id, source_key=source_key, now=now)
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
        buried_siblings=buried,
    )
    return ReviewResult(recorded=True, state=state)


@transaction.atomic
def undo_last_review(*, user: User, now: datetime) -> ReviewState | None:
    """Take back the learner's latest review that still counts; None when there is nothing to undo.

    The review stays in the log, marked undone; the item goes back to its state before it, and the
    siblings it buried that are still buried come back.
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
    _changed(user)
    if log.buried_siblings:
        ReviewState.objects.filter(user=user, card_id__in=log.buried_siblings, buried_until__gt=now).update(
            buried_until=None, revision=F("revision") + 1
        )
    return state


def _state_for_change(user: User, kind: str, item_id: int, now: datetime) -> ReviewState:
    state = _locked_state(user, kind, item_id)
    if state is None:
        _check_item(kind, item_id)
        state = ReviewState.objects.create(user=user, added_at=now, **{f"{kind}_id": item_id})
    return state


# What each action changes. An action's log row keeps these fields before and after it.
MEMORY_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    ActionKind.BURY: ("buried_until",),
    ActionKind.UNBURY: ("buried_until",),
    ActionKind.SUSPEND: ("suspended",),
    ActionKind.UNSUSPEND: ("suspended",),
    ActionKind.FLAG: ("flagged",),
    ActionKind.UNFLAG: ("flagged",),
    ActionKind.RESET: (*MEMORY_FIELDS, "leech", "buried_until"),
}
_DATETIME_FIELDS = {"due", "last_review", "buried_until"}
# A flag changes nothing the scheduler reads, so the grade form shown with the card stays valid.
_KEEPS_REVISION = {ActionKind.FLAG, ActionKind.UNFLAG}


def _snapshot(state: ReviewState, fields: Iterable[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in fields:
        value = getattr(state, name)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return values


def _restore(state: ReviewState, snapshot: dict[str, object]) -> None:
    for name, value in snapshot.items():
        setattr(state, name, datetime.fromisoformat(value) if name in _DATETIME_FIELDS and isinstance(value, str) else value)


def _apply(user: User, state: ReviewState, kind: str, now: datetime) -> None:
    if kind == ActionKind.BURY:
        state.buried_until = scheduler.next_day_start(now, scheduler_settings(user))
    elif kind == ActionKind.UNBURY:
        state.buried_until = None
    elif kind in {ActionKind.SUSPEND, ActionKind.UNSUSPEND}:
        state.suspended = kind == ActionKind.SUSPEND
    elif kind in {ActionKind.FLAG, ActionKind.UNFLAG}:
        state.flagged = kind == ActionKind.FLAG
    elif kind == ActionKind.RESET:
        state.set_memory(scheduler.NEW)
        # A missed question stays in the queue, due now, as enqueue_question put it there.
        state.due = now if state.question_id else None
        state.leech, state.buried_until = False, None
    else:
        raise ValueError(f"unknown action {kind!r}")


def _act(user: User, states: Iterable[ReviewState], kind: str, now: datetime) -> list[ItemAction]:
    """Apply ``kind`` to locked ``states`` and log one row per state it changed (one batch)."""
    _changed(user)  # also when nothing changed: the state may be new (a card flagged before it was seen)
    fields = ACTION_FIELDS[kind]
    batch = uuid.uuid4()
    changed, actions = [], []
    for state in states:
        before = _snapshot(state, fields)
        _apply(user, state, kind, now)
        after = _snapshot(state, fields)
        if after == before:
            continue
        if kind not in _KEEPS_REVISION:
            state.revision += 1
        changed.append(state)
        actions.append(ItemAction(user=user, review_state=state, kind=kind, batch=batch, acted_at=now, before=before, after=after))
    ReviewState.objects.bulk_update(changed, [*fields, "revision"])
    return ItemAction.objects.bulk_create(actions)


def _act_on_one(user: User, kind: str, item_id: int, action: str, now: datetime) -> ReviewState:
    state = _state_for_change(user, kind, item_id, now)
    _act(user, [state], action, now)
    return state


@transaction.atomic
def set_suspended(*, user: User, kind: str, item_id: int, suspended: bool, now: datetime) -> ReviewState:
    return _act_on_one(user, kind, item_id, ActionKind.SUSPEND if suspended else ActionKind.UNSUSPEND, now)


@transaction.atomic
def bury(*, user: User, kind: str, item_id: int, now: datetime) -> ReviewState:
    """Hide the item until the next study day starts (4 a.m. in the learner's time zone)."""
    return _act_on_one(user, kind, item_id, ActionKind.BURY, now)


@transaction.atomic
def set_flag(*, user: User, kind: str, item_id: int, flagged: bool, now: datetime) -> ReviewState:
    return _act_on_one(user, kind, item_id, ActionKind.FLAG if flagged else ActionKind.UNFLAG, now)


BULK_ACTIONS = (ActionKind.UNSUSPEND, ActionKind.UNFLAG, ActionKind.UNBURY, ActionKind.RESET)


@transaction.atomic
def bulk_change(*, user: User, state_ids: Iterable[int], kind: str, now: datetime) -> int:
    """The card browser's bulk actions on the learner's own states (ids of anyone else's are
    ignored): one batch, taken back by one undo. Returns how many items changed."""
    if kind not in BULK_ACTIONS:
        raise ValueError(f"{kind!r} is not a bulk action")
    states = ReviewState.objects.select_for_update(of=("self",)).filter(user=user, pk__in=list(state_ids)).order_by("pk")
    return len(_act(user, states, kind, now))


@dataclass(frozen=True, slots=True, kw_only=True)
class Undone:
    """What an undo took back: a review, or an action (``kind``) on ``count`` items."""

    kind: str  # "review" or an ActionKind
    count: int


class AlreadyUndone(LookupError):
    """The change the Undo form named is no longer the latest: undone already (a second click, the
    same form posted twice), or another change came since (another tab). Nothing was undone."""


@transaction.atomic
def undo_last_change(*, user: User, now: datetime, expected: str | None = None) -> Undone | None:
    """Undo (U): take back the learner's latest review or action (a whole batch) that still counts;
    None when there is nothing to undo. Nothing is deleted or rewritten: an undo appends an
    UndoneReview or UndoneActions. An item changed since (another tab) keeps its newer state.

    ``expected``: the :func:`~studyapp.srs.queue.undo_token` the Undo form was shown with; when the
    learner's changes no longer stand so, :class:`AlreadyUndone` is raised and nothing changes. The
    learner's row is locked first, so two undos of one learner run one after the other."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    review = ReviewLog.objects.filter(user=user, undo__isnull=True).order_by("-reviewed_at", "-pk").values_list("reviewed_at", "pk").first()
    action = ItemAction.objects.filter(user=user, undo__isnull=True).order_by("-acted_at", "-pk").first()
    if expected is not None and expected != change_token(review[1] if review else None, action.pk if action else None):
        raise AlreadyUndone("that change is no longer the latest")
    if action is not None and (review is None or action.acted_at >= review[0]):
        return _undo_batch(user, action, now)
    if review is not None and undo_last_review(user=user, now=now) is not None:
        return Undone(kind="review", count=1)
    return None


def _undo_batch(user: User, latest: ItemAction, now: datetime) -> Undone:
    actions = list(ItemAction.objects.filter(user=user, batch=latest.batch, undo__isnull=True).order_by("-pk"))
    states = ReviewState.objects.select_for_update(of=("self",)).in_bulk([a.review_state_id for a in actions])
    restored = []
    for action in actions:
        state = states[action.review_state_id]
        if _snapshot(state, action.after) == action.after:
            _restore(state, action.before)
            if action.kind not in _KEEPS_REVISION:
                state.revision += 1
            restored.append(state)
    ReviewState.objects.bulk_update(restored, [*ACTION_FIELDS[latest.kind], "revision"])
    _changed(user)
    UndoneAction.objects.bulk_create([UndoneAction(action=a, undone_at=now) for a in actions])
    return Undone(kind=latest.kind, count=len(restored))


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
    _changed(user)
    return state


def leeches(user: User) -> "list[ReviewState]":
    return list(
        ReviewState.objects.for_user(user)
        .live()
        .filter(Q(leech=True))
        .select_related("card__note__course", "question__current_version", "question__placement__note__course")
        .order_by("-lapses")
    )
