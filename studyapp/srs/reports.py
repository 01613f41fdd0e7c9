"""Reads that shape the study pages: the overview, the review screen, statistics and the CSV export."""

import csv
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce, TruncDate

from studyapp.accounts.models import User
from studyapp.content.models import Card, Topic, excluding_tag
from studyapp.content.parsing.types import BEYOND_EXAM

from . import charts, queue, scheduler
from .models import ItemState, ReviewLog, ReviewState

FSRS_STATE_NUMBERS = {"new": 0, "learning": 1, "review": 2, "relearning": 3}


def overview(user: User, *, now: datetime) -> dict[str, object]:
    topics = list(Topic.objects.live().order_by("course", "position"))
    per_topic = queue.counts_by_topic(user, now=now)
    return {
        "counts": queue.counts(user, now=now),
        "topics": [(t, per_topic.get(t.pk)) for t in topics],
        "summary": queue.day_summary(user, now=now),
        "leech_count": ReviewState.objects.for_user(user).live().filter(leech=True).count(),
    }


def review_screen(user: User, *, now: datetime, topic: Topic | None, show: bool, shown_at: datetime) -> dict[str, object]:
    topic_id = topic.pk if topic else None
    today = queue.today(user, now)
    item = queue.next_item(user, now=now, topic_id=topic_id, new_left=today.new_left)
    counts = queue.counts(user, now=now, topic_id=topic_id, new_left=today.new_left)
    context: dict[str, object] = {
        "item": item,
        "show": show,
        "topic": topic,
        "counts": counts,
        "done": today.reviews,
        "progress_max": today.reviews + counts.total,
        "shown_ts": f"{shown_at.timestamp():.3f}",
        "can_undo": today.reviews > 0 or today.actions > 0,  # undo reaches back through today's reviews and actions
        "undo_token": today.undo_token,  # the change the Undo form takes back: a repeat of it does nothing
    }
    if item is None:
        context["summary"] = queue.day_summary(user, now=now, topic_id=topic_id)
        return context
    if item.question is not None:
        content = item.question.content
        context["content"] = content
        context["options"] = content.shown(content.stable_order(item.question.pk))  # as the notes do: never keyed first by habit
    flagged = item.state is not None and item.state.flagged
    context["actions"] = [
        ("bury", "Bury until tomorrow"),
        ("suspend", "Suspend"),
        ("unflag", "Remove flag") if flagged else ("flag", "Flag"),
    ]
    settings = queue.scheduler_settings(user)
    intervals = scheduler.preview(item.memory, now=now, settings=settings)
    context["buttons"] = [(rating, label, scheduler.format_interval(intervals[rating])) for rating, label in scheduler.RATINGS.items()]
    return context


class _Echo:
    def write(self, value: str) -> str:
        return value


def history_rows(user: User) -> Iterator[str]:
    """CSV lines: a header, then one row per review still counted, oldest first.

    ``card_id`` is the learner's item id (stable for a card or question), ``review_time`` is UTC ISO
    8601, ``review_rating`` 1–4, ``review_duration`` milliseconds, ``review_state`` FSRS's 0–3 before
    the review: the columns FSRS optimizers read.
    """
    writer = csv.writer(_Echo())
    yield writer.writerow(["card_id", "review_time", "review_rating", "review_duration", "review_state", "item_kind", "item_key", "topic"])
    rows = (
        ReviewLog.objects.filter(user=user, undo__isnull=True)
        .order_by("reviewed_at", "pk")
        .values_list(
            "review_state_id",
            "reviewed_at",
            "rating",
            "duration_ms",
            "state_before",
            "review_state__card__source_key",
            "review_state__question__source_key",
            "review_state__card__note__topic__slug",
            "review_state__question__placement__topic__slug",
        )
    )
    for state_id, when, rating, duration, before, card_key, question_key, card_topic, question_topic in rows.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                state_id,
                when.isoformat().replace("+00:00", "Z"),
                rating,
                "" if duration is None else duration,
                FSRS_STATE_NUMBERS.get(before.get("state"), 0),
                "card" if card_key else "question",
                card_key or question_key,
                card_topic or question_topic,
            ]
        )


def _per_study_day(queryset, field: str, settings: scheduler.Settings) -> dict[date, int]:
    shifted = ExpressionWrapper(F(field) - Value(timedelta(hours=settings.day_start_hour)), output_field=DateTimeField())
    rows = queryset.annotate(day=TruncDate(shifted, tzinfo=zoneinfo.ZoneInfo(settings.time_zone))).values("day").annotate(n=Count("pk"))
    return {row["day"]: row["n"] for row in rows}


def statistics(user: User, *, now: datetime) -> dict[str, object]:
    settings = queue.scheduler_settings(user)
    today = scheduler.study_day(now, settings)
    logs = ReviewLog.objects.filter(user=user, undo__isnull=True)
    year_start = scheduler.day_start(today - timedelta(days=370), settings)
    per_day = _per_study_day(logs.filter(reviewed_at__gte=year_start), "reviewed_at", settings)
    last_90 = [(today - timedelta(days=n)) for n in range(89, -1, -1)]
    states = ReviewState.objects.for_user(user).live().filter(suspended=False)
    due = _per_study_day(
        states.filter(due__lt=scheduler.day_start(today + timedelta(days=30), settings)).exclude(state=ItemState.NEW), "due", settings
    )
    overdue = sum(n for d, n in due.items() if d < today)
    next_30 = [(today + timedelta(days=n)) for n in range(30)]
    forecast = [(f"{d:%d %b}", due.get(d, 0) + (overdue if d == today else 0)) for d in next_30]

    included = not queue.exam_only(user)  # the card counts follow the queue: beyond-exam cards only when the setting includes them
    states_of_cards = ReviewState.objects.for_user(user).live().filter(card__isnull=False).exam_scope(include_beyond_exam_cards=included)
    by_state = dict(states_of_cards.values_list("state").annotate(n=Count("pk")))
    started = sum(n for s, n in by_state.items() if s != ItemState.NEW)
    course_cards = Card.objects.live().filter(note__retired_at__isnull=True)
    live_cards = (course_cards if included else excluding_tag(course_cards, BEYOND_EXAM)).count()

    mature = logs.filter(state_before__state="review").annotate(
        topic_id=Coalesce("review_state__card__note__topic_id", "review_state__question__placement__topic_id")
    )
    retention = {
        row["topic_id"]: row for row in mature.values("topic_id").annotate(n=Count("pk"), passed=Count("pk", filter=Q(rating__gt=1)))
    }
    topics = []
    for topic in Topic.objects.live().order_by("course", "position"):
        row = retention.get(topic.pk)
        topics.append((topic, row["n"] if row else 0, round(100 * row["passed"] / row["n"]) if row else None))
    total_reviews = sum(per_day.values())
    return {
        "reviews_chart": charts.bar_chart([(f"{d:%d %b}", per_day.get(d, 0)) for d in last_90], title="Reviews per day, last 90 days"),
        "forecast_chart": charts.bar_chart(forecast, title="Reviews due, next 30 days", unit="due", label_every=5),
        "heatmap": charts.heatmap(per_day, end=today),
        "state_counts": [
            ("New", max(0, live_cards - started)),
            ("Learning", by_state.get(ItemState.LEARNING, 0)),
            ("Review", by_state.get(ItemState.REVIEW, 0)),
            ("Relearning", by_state.get(ItemState.RELEARNING, 0)),
        ],
        "topics": topics,
        "reviews_last_year": total_reviews,
        "days_studied": sum(1 for v in per_day.values() if v),
        "streak": _streak(per_day, today),
    }


def _streak(per_day: dict[date, int], today: date) -> int:
    """Days in a row with reviews, ending today (or yesterday, if today has none yet)."""
    day = today if per_day.get(today) else today - timedelta(days=1)
    streak = 0
    while per_day.get(day):
        streak += 1
        day -= timedelta(days=1)
    return streak


@dataclass(frozen=True, slots=True, kw_only=True)
class Recall:
    """Cards seen (any state but new) of ``total`` live cards, and their average predicted recall
    at the moment asked about (None: none seen)."""

    seen: int
    total: int
    recall: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseRecall:
    overall: Recall
    domains: dict[str, Recall]  # by exam domain ("domain-1"..): a card counts in each domain of its note


def recall_by_domain(user: User, *, at: datetime) -> CourseRecall:
    """What FSRS predicts the learner will remember at ``at`` (an exam date, say) of the cards seen,
    for the whole course and per exam domain. Exam-relevant cards only: a beyond-exam card counts
    neither as seen nor in the totals, whatever the study setting. Three queries: settings, the
    learner's states, the course's cards."""
    settings = queue.scheduler_settings(user)
    seen: dict[str, list[float]] = defaultdict(list)
    overall: list[float] = []
    states = (
        ReviewState.objects.for_user(user)
        .live()
        .filter(card__isnull=False, card__note__retired_at__isnull=True)
        .exam_scope(include_beyond_exam_cards=False)
        .exclude(state=ItemState.NEW)
        .select_related("card__note")
        .only(*MEMORY_FIELDS, "card__note__domains")
    )
    for state in states:
        value = scheduler.retrievability(state.memory, now=at, settings=settings)
        if value is None:
            continue
        overall.append(value)
        for domain in set(state.card.note.domains):
            seen[domain].append(value)
    totals: dict[str, int] = defaultdict(int)
    cards = 0
    relevant = excluding_tag(Card.objects.live().filter(note__retired_at__isnull=True), BEYOND_EXAM)
    for (domains,) in relevant.values_list("note__domains"):
        cards += 1
        for domain in set(domains or ()):
            totals[domain] += 1

    def recall(values: list[float], total: int) -> Recall:
        return Recall(seen=len(values), total=total, recall=sum(values) / len(values) if values else None)

    return CourseRecall(overall=recall(overall, cards), domains={d: recall(seen[d], totals[d]) for d in totals.keys() | seen.keys()})


MEMORY_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


ENOUGH_CARDS_IN_A_TOPIC = 5  # fewer seen (unless the topic has fewer): too little to predict


def recall_by_topic(user: User, *, now: datetime) -> dict[int, tuple[float | None, int, int]]:
    """Per topic id: (average predicted recall of the cards seen, cards seen, cards never seen).
    The recall is None until :data:`ENOUGH_CARDS_IN_A_TOPIC` cards of the topic (or all of a smaller
    topic's) were seen: one card reviewed a minute ago is not "100 % recall"."""
    settings = queue.scheduler_settings(user)
    seen: dict[int, list[float]] = defaultdict(list)
    for state in (
        ReviewState.objects.for_user(user).live().filter(card__isnull=False).exclude(state=ItemState.NEW).select_related("card__note")
    ):
        value = scheduler.retrievability(state.memory, now=now, settings=settings)
        if value is not None:
            seen[state.card.note.topic_id].append(value)
    totals = dict(Card.objects.live().filter(note__retired_at__isnull=True).values_list("note__topic_id").annotate(n=Count("pk")))
    return {
        topic_id: (
            sum(values) / len(values) if values and len(values) >= min(ENOUGH_CARDS_IN_A_TOPIC, total) else None,
            len(values),
            total - len(values),
        )
        for topic_id, total in totals.items()
        for values in (seen[topic_id],)
    }
