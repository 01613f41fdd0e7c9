"""Reads shaped for the quiz pages."""

from collections import defaultdict
from decimal import Decimal

from studyapp.content.models import Topic
from studyapp.content.parsing.types import DOMAINS
from studyapp.srs.charts import bar_chart

from . import blueprint, grading, services
from .models import Attempt, AttemptQuestion, Mode


def question_screen(slot: AttemptQuestion, total: int) -> dict[str, object]:
    """The question as shown (options in the attempt's order), and once answered, the feedback."""
    content = slot.version.content
    return {
        "slot": slot,
        "content": content,
        "options": content.shown(slot.option_order, selected=slot.selected or ()),
        "total": total,
        "answered": slot.answered_at is not None,
        "next_position": slot.position + 1 if slot.position < total else None,
    }


def results(attempt: Attempt) -> dict[str, object]:
    slots = list(attempt.slots.select_related("question__placement", "version"))
    marks = sum((s.fraction or Decimal(0) for s in slots), Decimal(0))
    by_domain: dict[str, list[Decimal]] = defaultdict(list)
    by_topic: dict[int, list[Decimal]] = defaultdict(list)
    for slot in slots:
        by_domain[slot.question.domain].append(slot.fraction or Decimal(0))
        by_topic[slot.question.placement.topic_id].append(slot.fraction or Decimal(0))
    topics = Topic.objects.in_bulk(list(by_topic))
    correct = sum(1 for s in slots if s.fraction == 1)
    mock = attempt.mode == Mode.MOCK and attempt.finished_at is not None
    scaled = grading.scaled_score(correct, len(slots)) if mock else None
    return {
        "mock": mock,
        "scaled": scaled,
        "passed": None if scaled is None else grading.passed(scaled),
        "correct": correct,
        "time_used": (attempt.finished_at - attempt.started_at) if attempt.finished_at else None,
        "attempt": attempt,
        "slots": slots,
        "answered": sum(1 for s in slots if s.answered_at),
        "marks": marks,
        "total": len(slots),
        "percent": round(100 * marks / len(slots)) if slots else 0,
        "domains": [(code, DOMAINS[code], _percent(by_domain[code]), len(by_domain[code])) for code in DOMAINS if code in by_domain],
        "topics": sorted(((topics[t].title, _percent(v), len(v)) for t, v in by_topic.items()), key=lambda row: row[1]),
        "missed": [s for s in slots if s.answered_at and s.fraction != 1],
        "unanswered": [s for s in slots if not s.answered_at],
    }


def _percent(values: list[Decimal]) -> int:
    return round(100 * sum(values, Decimal(0)) / len(values)) if values else 0


def mock_start(user) -> dict[str, object]:
    quiz = services.mock_quiz()
    targets = blueprint.targets(quiz.blueprint())
    minutes = None if quiz.time_limit is None else quiz.time_limit.total_seconds() / 60
    return {
        "quiz": quiz,
        "minutes": f"{minutes:g}" if minutes is not None else None,
        "in_progress": services.in_progress_mock(user),
        "targets": [(DOMAINS[code], count) for code, count in targets.items()],
        "pass_mark": grading.SCALED_PASS,
    }


def _clock(attempt: Attempt, now) -> dict[str, object]:
    left = max(0, int((attempt.deadline - now).total_seconds())) if attempt.deadline else 0
    return {
        "seconds_left": left,
        "clock": f"{left // 60}:{left % 60:02d}",
        "grace_seconds": int(services.grace(attempt).total_seconds()),
    }


def mock_question(attempt: Attempt, slot: AttemptQuestion, *, now) -> dict[str, object]:
    content = slot.version.content
    slots = list(attempt.slots.only("position", "answered_at", "flagged").order_by("position"))
    return {
        "attempt": attempt,
        "slot": slot,
        "content": content,
        "options": content.shown(slot.option_order, selected=slot.selected or ()),
        "total": len(slots),
        "map": slots,
        "answered_count": sum(1 for s in slots if s.answered_at),
        **_clock(attempt, now),
    }


def mock_review(attempt: Attempt, *, now) -> dict[str, object]:
    slots = list(attempt.slots.select_related("version").order_by("position"))
    return {
        "attempt": attempt,
        "slots": slots,
        "unanswered": [s for s in slots if not s.answered_at],
        "flagged": [s for s in slots if s.flagged],
        **_clock(attempt, now),
    }


def history(user) -> dict[str, object]:
    """The learner's attempts, newest first, and a chart of mock scores, oldest first."""
    attempts = list(Attempt.objects.for_user(user).prefetch_related("slots")[:50])
    for attempt in attempts:
        if attempt.mode == Mode.MOCK and attempt.finished_at:
            slots = attempt.slots.all()
            attempt.scaled = grading.scaled_score(sum(1 for s in slots if s.fraction == 1), len(slots))
    mocks = [a for a in reversed(attempts) if getattr(a, "scaled", None) is not None]
    chart = (
        bar_chart([(f"{a.started_at:%d %b}", a.scaled) for a in mocks], title="Mock exam scores", unit="of 1000", label_every=1)
        if mocks
        else ""
    )
    return {"attempts": attempts, "scores_chart": chart}


def readiness(user, recall: dict[int, tuple[float | None, int, int]]) -> dict[str, object] | None:
    """The course home's readiness panel: the last mock exam by domain, beside the predicted recall
    of the cards seen (``recall`` is :func:`studyapp.srs.reports.recall_by_topic`). None: nothing yet."""
    last = Attempt.objects.for_user(user).filter(mode=Mode.MOCK, finished_at__isnull=False).order_by("-finished_at").first()
    seen = [(value, count) for value, count, _ in recall.values() if value is not None and count]
    cards = sum(count for _, count in seen)
    average_recall = round(100 * sum(value * count for value, count in seen) / cards) if cards else None
    if last is None and average_recall is None:
        return None
    mock = results(last) if last else None
    return {
        "mock": mock,
        "recall": average_recall,
        "cards_seen": cards,
        "ready": bool(mock and mock["passed"] and (average_recall or 0) >= 85),
    }
