"""Reads for studying: what to show next, how much is left, how today went.

Order, as in Anki: cards in (re)learning that are due, then reviews due (oldest first), then new cards
in course order up to the daily limit, then learning cards due within the next 20 minutes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from studyapp.accounts.models import User
from studyapp.content.models import Card, Question

from . import scheduler
from .models import ItemState, ReviewLog, ReviewSettings, ReviewState

LEARN_AHEAD = timedelta(minutes=20)
MAX_ANSWER_MS = 60_000  # as Anki: a longer pause counts as one minute
ACTIVE = [ItemState.LEARNING, ItemState.RELEARNING, ItemState.REVIEW]


def review_settings(user: User) -> ReviewSettings:
    """The learner's settings, created with the defaults the first time."""
    try:
        return user.review_settings  # type: ignore[attr-defined]
    except ReviewSettings.DoesNotExist:
        settings, _ = ReviewSettings.objects.get_or_create(user=user)
        user.review_settings = settings  # type: ignore[attr-defined]
        return settings


def scheduler_settings(user: User) -> scheduler.Settings:
    return review_settings(user).scheduler_settings(user.time_zone or "UTC")


@dataclass(frozen=True, slots=True, kw_only=True)
class StudyItem:
    """One thing to show: a flashcard or a question, with the revision the grade form must echo."""

    kind: str  # "card" | "question"
    card: Card | None
    question: Question | None
    state: ReviewState | None  # None: a card never seen
    memory: scheduler.Memory

    @property
    def item_id(self) -> int:
        return self.card.pk if self.card else self.question.pk  # type: ignore[union-attr]

    @property
    def revision(self) -> int:
        return self.state.revision if self.state else 0

    @property
    def is_new(self) -> bool:
        return self.memory.state == "new"


@dataclass(frozen=True, slots=True, kw_only=True)
class Counts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


def day_bounds(user: User, now: datetime) -> tuple[datetime, datetime]:
    settings = scheduler_settings(user)
    start = scheduler.day_start(scheduler.study_day(now, settings), settings)
    return start, scheduler.next_day_start(now, settings)


def logs_today(user: User, now: datetime) -> QuerySet[ReviewLog]:
    start, _ = day_bounds(user, now)
    return ReviewLog.objects.filter(user=user, reviewed_at__gte=start, undo__isnull=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Today:
    reviews: int  # reviews today that still count (not undone)
    new_left: int  # new cards the daily limit still allows


def today(user: User, now: datetime) -> Today:
    """Today's reviews and what is left of the new-card limit: one query."""
    done = logs_today(user, now).aggregate(n=Count("pk"), new=Count("pk", filter=Q(was_new=True)))
    return Today(reviews=done["n"], new_left=max(0, review_settings(user).new_per_day - done["new"]))


def new_left_today(user: User, now: datetime) -> int:
    return today(user, now).new_left


def _states(user: User, now: datetime, topic_id: int | None) -> QuerySet[ReviewState]:
    return ReviewState.objects.for_user(user).studiable(now=now).in_topic(topic_id)


def _new_cards(user: User, now: datetime, topic_id: int | None) -> QuerySet[Card]:
    """Live cards the learner has not started, and has not suspended or buried (a NOT EXISTS
    probe per card on the (user, card) unique index)."""
    blocked = ReviewState.objects.filter(user=user, card=OuterRef("pk")).filter(
        ~Q(state=ItemState.NEW) | Q(suspended=True) | Q(buried_until__gt=now)
    )
    cards = Card.objects.live().filter(note__retired_at__isnull=True).exclude(Exists(blocked))
    return cards.filter(note__topic_id=topic_id) if topic_id else cards


def _item(state: ReviewState) -> StudyItem:
    """The item behind a state, loaded by primary key with what the screen shows of it (cheaper to
    build than joining it into the queue queries)."""
    if state.card_id:
        state.card = Card.objects.select_related("note__course").get(pk=state.card_id)
        return StudyItem(kind="card", card=state.card, question=None, state=state, memory=state.memory)
    state.question = Question.objects.select_related("current_version", "note__course").get(pk=state.question_id)
    return StudyItem(kind="question", card=None, question=state.question, state=state, memory=state.memory)


# States in the queue: seen cards, and questions sent here by a wrong quiz answer (new, but due).
IN_QUEUE = Q(state__in=ACTIVE) | Q(state=ItemState.NEW, question__isnull=False, due__isnull=False)
# Shown before reviews: (re)learning cards and missed questions. Filtering on the state first lets
# the (user, state, due) index find them without walking every review that is due.
LEARNING_FIRST = Q(state__in=[ItemState.LEARNING, ItemState.RELEARNING]) | Q(state=ItemState.NEW, question__isnull=False)
COUNT_CAP = 1000  # like Anki, the screen need not count past a thousand reviews


def next_item(user: User, *, now: datetime, topic_id: int | None = None, new_left: int | None = None) -> StudyItem | None:
    """What to show next, or None when nothing is due (not even ahead). ``new_left`` saves a query
    when the caller already knows it."""
    states = _states(user, now, topic_id)
    # Two small queries, each walking the (user, state, due) index, rather than one that sorts
    # every due item.
    learning = states.filter(LEARNING_FIRST, due__lte=now).order_by("due", "pk").first()
    due = learning or states.filter(state=ItemState.REVIEW, due__lte=now).order_by("due", "pk").first()
    if due:
        return _item(due)
    if (new_left_today(user, now) if new_left is None else new_left) > 0:
        card = (
            _new_cards(user, now, topic_id).select_related("note__course").order_by("position")
            .annotate(has_state=Exists(ReviewState.objects.filter(user=user, card=OuterRef("pk"))))
            .first()
        )  # fmt: skip
        if card:
            state = ReviewState.objects.for_user(user).filter(card=card).first() if card.has_state else None
            return StudyItem(kind="card", card=card, question=None, state=state, memory=state.memory if state else scheduler.NEW)
    ahead = states.filter(LEARNING_FIRST, due__lte=now + LEARN_AHEAD).order_by("due", "pk").first()
    return _item(ahead) if ahead else None


def counts(user: User, *, now: datetime, topic_id: int | None = None, new_left: int | None = None) -> Counts:
    """What is left to study now: new (within today's limit), (re)learning due within the next
    20 minutes (as Anki counts them), reviews due (counted up to COUNT_CAP)."""
    states = _states(user, now, topic_id)
    learning = states.filter(LEARNING_FIRST, due__lte=now + LEARN_AHEAD).count()
    review = states.filter(state=ItemState.REVIEW, due__lte=now)[:COUNT_CAP].count()
    left = new_left_today(user, now) if new_left is None else new_left
    new = _new_cards(user, now, topic_id).order_by()[:left].count() if left else 0
    return Counts(new=new, learning=learning, review=review)


@dataclass(frozen=True, slots=True, kw_only=True)
class DaySummary:
    reviews: int
    correct: int
    seconds: int
    next_due: datetime | None
    due_tomorrow: int

    @property
    def percent_correct(self) -> int:
        return round(100 * self.correct / self.reviews) if self.reviews else 0


def day_summary(user: User, *, now: datetime, topic_id: int | None = None) -> DaySummary:
    today = logs_today(user, now).aggregate(n=Count("pk"), correct=Count("pk", filter=Q(rating__gt=1)), ms=Sum("duration_ms"))
    upcoming = _states(user, now, topic_id).filter(state__in=ACTIVE, due__gt=now)
    _, tomorrow = day_bounds(user, now)
    return DaySummary(
        reviews=today["n"], correct=today["correct"], seconds=(today["ms"] or 0) // 1000,
        next_due=upcoming.order_by("due").values_list("due", flat=True).first(),
        due_tomorrow=upcoming.filter(due__lt=tomorrow + timedelta(days=1)).count(),
    )  # fmt: skip


def counts_by_topic(user: User, *, now: datetime) -> dict[int, Counts]:
    """:func:`counts` for every topic at once (three queries)."""
    topic = Coalesce("card__note__topic_id", "question__topic_id")
    due = (
        ReviewState.objects.for_user(user).studiable(now=now).filter(IN_QUEUE, due__lte=now + LEARN_AHEAD)
        .annotate(topic_id=topic).values("topic_id")
        .annotate(learning=Count("pk", filter=~Q(state=ItemState.REVIEW)), review=Count("pk", filter=Q(state=ItemState.REVIEW, due__lte=now)))
    )  # fmt: skip
    fresh = dict(_new_cards(user, now, None).values_list("note__topic_id").annotate(n=Count("pk")).order_by())
    left = new_left_today(user, now)
    rows = {row["topic_id"]: row for row in due}
    return {
        topic_id: Counts(new=min(left, fresh.get(topic_id, 0)), learning=rows.get(topic_id, {}).get("learning", 0), review=rows.get(topic_id, {}).get("review", 0))
        for topic_id in set(fresh) | set(rows)
    }
