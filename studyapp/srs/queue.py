"""Reads for studying: what to show next, how much is left, how today went.

Order, as in Anki: cards in (re)learning that are due, then reviews due (oldest first), then new cards
in course order up to the daily limit, then learning cards due within the next 20 minutes. With the
study setting "Include beyond-exam cards" off, cards tagged beyond-exam are left out of all of it.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from studyapp.accounts.models import User
from studyapp.content import cached
from studyapp.content.models import Card, Note, QuestionPlacement, beyond_exam_sql, excluding_tag
from studyapp.content.parsing.types import BEYOND_EXAM
from studyapp.questions.models import Question

from . import scheduler
from .models import ItemAction, ItemState, ReviewLog, ReviewSettings, ReviewState, UndoneAction, UndoneReview

LEARN_AHEAD = timedelta(minutes=20)
MAX_ANSWER_MS = 60_000  # as Anki: a longer pause counts as one minute
ACTIVE = [ItemState.LEARNING, ItemState.RELEARNING, ItemState.REVIEW]


def review_settings(user: User) -> ReviewSettings:
    """The learner's settings, created with the defaults the first time."""
    try:
        return user.review_settings
    except ReviewSettings.DoesNotExist:
        settings, _ = ReviewSettings.objects.get_or_create(user=user)
        user.review_settings = settings
        return settings


def local_date(user: User, now: datetime) -> date:
    """The learner's calendar date at ``now``, in their time zone."""
    return now.astimezone(zoneinfo.ZoneInfo(user.time_zone or "UTC")).date()


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
        if self.card:
            return self.card.pk
        assert self.question is not None, "an item is a card or a question"
        return self.question.pk

    @property
    def revision(self) -> int:
        return self.state.revision if self.state else 0

    @property
    def is_new(self) -> bool:
        return self.memory.state == "new"

    @property
    def label(self) -> str:
        """What the study screen calls it: its real state ("Learning", not "Review", for a card
        still on its learning steps); a question sent by a wrong answer says so."""
        if self.kind == "question":
            return "Question you missed" if self.is_new else f"Question you missed · {ItemState(self.memory.state).label}"
        return "New card" if self.is_new else ItemState(self.memory.state).label


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
    actions: int = 0  # bury, suspend, flag... today that still hold (Undo can take them back)
    undo_token: str = field(default="", compare=False)  # what the Undo form names (see :func:`undo_token`); not a count


# The study screen runs after every rating, so its reads below are SQL written out: through the ORM
# they cost about 0.5 ms each to build, twenty times what the database takes to answer them
# (docs/performance.md). They apply the rules of ReviewStateQuerySet.studiable() and of
# _new_cards(); tests/srs/test_queue.py checks that the two agree on every kind of item.
STATE, LOG, UNDO = ReviewState._meta.db_table, ReviewLog._meta.db_table, UndoneReview._meta.db_table
ACTION, UNDO_ACTION = ItemAction._meta.db_table, UndoneAction._meta.db_table
CARD, QUESTION, NOTE, PLACE = Card._meta.db_table, Question._meta.db_table, Note._meta.db_table, QuestionPlacement._meta.db_table
# Shown before reviews: (re)learning cards and questions missed in a quiz (new, with a due date; a new
# card is never in this group, even with a due date). Testing the state first lets the
# (user, state, due) index find them without walking every review that is due.
LEARNING_FIRST_SQL = "(s.state IN ('learning', 'relearning') OR (s.state = 'new' AND s.question_id IS NOT NULL))"
BEYOND_EXAM_CARD = beyond_exam_sql("c.tags")


def exam_only(user: User) -> bool:
    """Whether the learner's queue leaves beyond-exam cards out (their study setting is off)."""
    return not review_settings(user).include_beyond_exam_cards


def _studiable_sql(topic_id: int | None, *, exam_only: bool = False) -> str:
    """FROM and WHERE for the learner's studiable states (alias ``s``), in one topic or all;
    ``exam_only``: without beyond-exam cards (the learner's study setting)."""
    return f"""FROM {STATE} s
        LEFT JOIN {CARD} c ON c.id = s.card_id
        LEFT JOIN {QUESTION} q ON q.id = s.question_id
        {f"LEFT JOIN {NOTE} n ON n.id = c.note_id LEFT JOIN {PLACE} p ON p.question_id = s.question_id" if topic_id else ""}
        WHERE s.user_id = %(user)s AND c.retired_at IS NULL AND (q.id IS NULL OR q.status = 'published')
          AND NOT s.suspended AND (s.buried_until IS NULL OR s.buried_until <= %(now)s)
          {"AND (n.topic_id = %(topic)s OR p.topic_id = %(topic)s)" if topic_id else ""}
          {f"AND NOT (c.id IS NOT NULL AND {BEYOND_EXAM_CARD})" if exam_only else ""}"""


def _new_cards_sql(topic_id: int | None, *, exam_only: bool = False) -> str:
    """FROM and WHERE for :func:`_new_cards` (alias ``c``)."""
    return f"""FROM {CARD} c JOIN {NOTE} n ON n.id = c.note_id
        WHERE c.retired_at IS NULL AND n.retired_at IS NULL
          {"AND n.topic_id = %(topic)s" if topic_id else ""}
          {f"AND NOT {BEYOND_EXAM_CARD}" if exam_only else ""}
          AND NOT EXISTS (SELECT 1 FROM {STATE} b WHERE b.user_id = %(user)s AND b.card_id = c.id
                          AND (b.state <> 'new' OR b.suspended OR b.buried_until > %(now)s))"""


type SqlParams = dict[str, int | str | None]


def _params(user: User, now: datetime, topic_id: int | None = None, **more: int | datetime) -> SqlParams:
    adapt = connection.ops.adapt_datetimefield_value  # as the ORM stores them (naive UTC text on SQLite)
    values = {"user": user.pk, "now": now, "topic": topic_id, **more}
    return {name: adapt(value) if isinstance(value, datetime) else value for name, value in values.items()}


def _one_row(sql: str, params: SqlParams) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _first_state_sql(condition: str, topic_id: int | None, *, exam_only: bool = False) -> str:
    """The first studiable state meeting ``condition`` (a constant of this module, never input)."""
    return f"SELECT s.* {_studiable_sql(topic_id, exam_only=exam_only)} AND {condition} ORDER BY s.due, s.id LIMIT 1"


def _first_state(condition: str, params: SqlParams, topic_id: int | None, *, exam_only: bool = False) -> ReviewState | None:
    return next(iter(ReviewState.objects.raw(_first_state_sql(condition, topic_id, exam_only=exam_only), params)), None)


# The latest review and the latest action that still count: what Undo takes back next (the newer of
# the two), in the order srs.services.undo_last_change() reads them.
_LATEST_REVIEW_SQL = f"""(SELECT l2.id FROM {LOG} l2 WHERE l2.user_id = %(user)s
    AND NOT EXISTS (SELECT 1 FROM {UNDO} u2 WHERE u2.review_id = l2.id) ORDER BY l2.reviewed_at DESC, l2.id DESC LIMIT 1)"""
_LATEST_ACTION_SQL = f"""(SELECT a2.id FROM {ACTION} a2 WHERE a2.user_id = %(user)s
    AND NOT EXISTS (SELECT 1 FROM {UNDO_ACTION} ua2 WHERE ua2.action_id = a2.id) ORDER BY a2.acted_at DESC, a2.id DESC LIMIT 1)"""


def change_token(review_id: int | None, action_id: int | None) -> str:
    """The undo token for the latest review and action ids that still count (None: there is none)."""
    return f"{review_id or 0}-{action_id or 0}"


def undo_token(user: User) -> str:
    """Names the learner's undoable changes as they stand: the ids of the latest review and the latest
    action that still count. Any undo or new change gives another token (ids only grow), so the Undo
    form carries it as the grade form carries a revision, and a repeated undo finds it stale."""
    review_id, action_id = _one_row(f"SELECT {_LATEST_REVIEW_SQL}, {_LATEST_ACTION_SQL}", {"user": user.pk})
    return change_token(review_id, action_id)


def today(user: User, now: datetime) -> Today:
    """Today's reviews, what is left of the new-card limit, today's actions and the undo token: one query."""
    start, _ = day_bounds(user, now)
    reviews, new, actions, review_id, action_id = _one_row(
        f"""SELECT COUNT(*), COUNT(CASE WHEN l.was_new THEN 1 END),
              (SELECT COUNT(*) FROM {ACTION} a WHERE a.user_id = %(user)s AND a.acted_at >= %(start)s
                 AND NOT EXISTS (SELECT 1 FROM {UNDO_ACTION} ua WHERE ua.action_id = a.id)),
              {_LATEST_REVIEW_SQL}, {_LATEST_ACTION_SQL}
            FROM {LOG} l
            WHERE l.user_id = %(user)s AND l.reviewed_at >= %(start)s
              AND NOT EXISTS (SELECT 1 FROM {UNDO} u WHERE u.review_id = l.id)""",
        _params(user, now, start=start),
    )
    new_left = max(0, review_settings(user).new_per_day - new)
    return Today(reviews=reviews, new_left=new_left, actions=actions, undo_token=change_token(review_id, action_id))


def new_left_today(user: User, now: datetime) -> int:
    return today(user, now).new_left


def _item(state: ReviewState) -> StudyItem:
    """The item behind a state, with what the screen shows of it."""
    if state.card_id:
        state.card = cached.card(state.card_id)
        return StudyItem(kind="card", card=state.card, question=None, state=state, memory=state.memory)
    assert state.question_id is not None, "a state is for a card or a question"
    state.question = cached.question(state.question_id)
    return StudyItem(kind="question", card=None, question=state.question, state=state, memory=state.memory)


COUNT_CAP = 1000  # like Anki, the screen need not count past a thousand reviews


def next_item(user: User, *, now: datetime, topic_id: int | None = None, new_left: int | None = None) -> StudyItem | None:
    """What to show next, or None when nothing is due (not even ahead). ``new_left`` saves a query
    when the caller already knows it."""
    params = _params(user, now, topic_id, ahead=now + LEARN_AHEAD)
    scope = exam_only(user)
    # (Re)learning first, then reviews: two small queries, each walking the (user, state, due)
    # index, rather than one that sorts every due item.
    due = _first_state(f"{LEARNING_FIRST_SQL} AND s.due <= %(now)s", params, topic_id, exam_only=scope) or _first_state(
        "s.state = 'review' AND s.due <= %(now)s", params, topic_id, exam_only=scope
    )
    if due:
        return _item(due)
    if (new_left_today(user, now) if new_left is None else new_left) > 0:
        row = _one_row(
            f"""SELECT c.id, EXISTS (SELECT 1 FROM {STATE} b WHERE b.user_id = %(user)s AND b.card_id = c.id)
                {_new_cards_sql(topic_id, exam_only=scope)} ORDER BY c.position, c.id LIMIT 1""",
            params,
        )
        if row:
            card = cached.card(row[0])
            state = ReviewState.objects.for_user(user).filter(card=card).first() if row[1] else None
            return StudyItem(kind="card", card=card, question=None, state=state, memory=state.memory if state else scheduler.NEW)
    ahead = _first_state(f"{LEARNING_FIRST_SQL} AND s.due <= %(ahead)s", params, topic_id, exam_only=scope)
    return _item(ahead) if ahead else None


def counts(user: User, *, now: datetime, topic_id: int | None = None, new_left: int | None = None) -> Counts:
    """What is left to study now: new (within today's limit), (re)learning due within the next
    20 minutes (as Anki counts them), reviews due (counted up to COUNT_CAP). One query."""
    left = new_left_today(user, now) if new_left is None else new_left
    scope = exam_only(user)
    studiable = _studiable_sql(topic_id, exam_only=scope)
    learning, review, new = _one_row(
        f"""SELECT
              (SELECT COUNT(*) {studiable} AND {LEARNING_FIRST_SQL} AND s.due <= %(ahead)s),
              (SELECT COUNT(*) FROM (SELECT 1 AS one {studiable} AND s.state = 'review' AND s.due <= %(now)s LIMIT %(cap)s) reviews_due),
              (SELECT COUNT(*) FROM (SELECT 1 AS one {_new_cards_sql(topic_id, exam_only=scope)} LIMIT %(left)s) fresh)""",
        _params(user, now, topic_id, ahead=now + LEARN_AHEAD, cap=COUNT_CAP, left=left),
    )
    return Counts(new=new, learning=learning, review=review)


# The other pages (the day's summary, the study overview) read through the ORM.
# States in the queue: seen cards, and questions sent here by a wrong quiz answer (new, but due).
IN_QUEUE = Q(state__in=ACTIVE) | Q(state=ItemState.NEW, question__isnull=False, due__isnull=False)


def _states(user: User, now: datetime, topic_id: int | None) -> QuerySet[ReviewState]:
    scope = not exam_only(user)
    return ReviewState.objects.for_user(user).studiable(now=now).exam_scope(include_beyond_exam_cards=scope).in_topic(topic_id)


def _new_cards(user: User, now: datetime, topic_id: int | None) -> QuerySet[Card]:
    """Live cards the learner has not started, and has not suspended or buried (a NOT EXISTS
    probe per card on the (user, card) unique index)."""
    blocked = ReviewState.objects.filter(user=user, card=OuterRef("pk")).filter(
        ~Q(state=ItemState.NEW) | Q(suspended=True) | Q(buried_until__gt=now)
    )
    cards = Card.objects.live().filter(note__retired_at__isnull=True).exclude(Exists(blocked))
    if exam_only(user):
        cards = excluding_tag(cards, BEYOND_EXAM)
    return cards.filter(note__topic_id=topic_id) if topic_id else cards


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
        reviews=today["n"],
        correct=today["correct"],
        seconds=(today["ms"] or 0) // 1000,
        next_due=upcoming.order_by("due").values_list("due", flat=True).first(),
        due_tomorrow=upcoming.filter(due__lt=tomorrow + timedelta(days=1)).count(),
    )


def counts_by_topic(user: User, *, now: datetime) -> dict[int, Counts]:
    """:func:`counts` for every topic at once (three queries)."""
    topic = Coalesce("card__note__topic_id", "question__placement__topic_id")
    due = (
        ReviewState.objects.for_user(user)
        .studiable(now=now)
        .exam_scope(include_beyond_exam_cards=not exam_only(user))
        .filter(IN_QUEUE, due__lte=now + LEARN_AHEAD)
        .annotate(topic_id=topic)
        .values("topic_id")
        .annotate(
            learning=Count("pk", filter=~Q(state=ItemState.REVIEW)), review=Count("pk", filter=Q(state=ItemState.REVIEW, due__lte=now))
        )
    )
    fresh = dict(_new_cards(user, now, None).values_list("note__topic_id").annotate(n=Count("pk")).order_by())
    left = new_left_today(user, now)
    rows = {row["topic_id"]: row for row in due}
    return {
        topic_id: Counts(
            new=min(left, fresh.get(topic_id, 0)),
            learning=rows.get(topic_id, {}).get("learning", 0),
            review=rows.get(topic_id, {}).get("review", 0),
        )
        for topic_id in set(fresh) | set(rows)
    }
