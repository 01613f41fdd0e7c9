"""Reads for studying: what to show next, how much is left, how today went.

Order, as in Anki: cards in (re)learning that are due, then reviews due (oldest first), then new cards
in course order up to the daily limit, then learning cards due within the next 20 minutes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
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


def new_left_today(user: User, now: datetime) -> int:
    introduced = logs_today(user, now).filter(was_new=True).count()
    return max(0, review_settings(user).new_per_day - introduced)


def _states(user: User, now: datetime, topic_id: int | None) -> QuerySet[ReviewState]:
    return ReviewState.objects.for_user(user).studiable(now=now).in_topic(topic_id)


def _new_cards(user: User, now: datetime, topic_id: int | None) -> QuerySet[Card]:
    blocked = ReviewState.objects.for_user(user).filter(card__isnull=False).filter(
        ~Q(state=ItemState.NEW) | Q(suspended=True) | Q(buried_until__gt=now)
    )
    cards = Card.objects.live().filter(note__retired_at__isnull=True).exclude(pk__in=blocked.values("card_id"))
    return cards.filter(note__topic_id=topic_id) if topic_id else cards


def _item(state: ReviewState) -> StudyItem:
    kind = "card" if state.card_id else "question"
    return StudyItem(kind=kind, card=state.card, question=state.question, state=state, memory=state.memory)


# States in the queue: seen cards, and questions sent here by a wrong quiz answer (new, but due).
IN_QUEUE = Q(state__in=ACTIVE) | Q(state=ItemState.NEW, question__isnull=False, due__isnull=False)


def next_item(user: User, *, now: datetime, topic_id: int | None = None) -> StudyItem | None:
    """What to show next, or None when nothing is due (not even ahead)."""
    states = _states(user, now, topic_id).filter(IN_QUEUE).select_related(
        "card__note__course", "question__current_version", "question__note__course"
    )
    due = (
        states.filter(due__lte=now)
        .annotate(priority=Case(When(state=ItemState.REVIEW, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("priority", "due", "pk")
        .first()
    )
    if due:
        return _item(due)
    if new_left_today(user, now) > 0:
        card = _new_cards(user, now, topic_id).select_related("note__course").order_by("position").first()
        if card:
            state = ReviewState.objects.for_user(user).filter(card=card).first()
            return StudyItem(kind="card", card=card, question=None, state=state, memory=state.memory if state else scheduler.NEW)
    ahead = states.filter(state__in=[ItemState.LEARNING, ItemState.RELEARNING], due__lte=now + LEARN_AHEAD).order_by("due").first()
    return _item(ahead) if ahead else None


def counts(user: User, *, now: datetime, topic_id: int | None = None) -> Counts:
    """What is left to study now: new (within today's limit), (re)learning due within the next
    20 minutes (as Anki counts them), reviews due."""
    due = _states(user, now, topic_id).filter(IN_QUEUE, due__lte=now + LEARN_AHEAD).aggregate(
        learning=Count("pk", filter=~Q(state=ItemState.REVIEW)),
        review=Count("pk", filter=Q(state=ItemState.REVIEW, due__lte=now)),
    )
    new = min(new_left_today(user, now), _new_cards(user, now, topic_id).count())
    return Counts(new=new, learning=due["learning"], review=due["review"])


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
