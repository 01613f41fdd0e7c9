"""Reads shaped for the quiz pages."""

from collections import defaultdict
from decimal import Decimal

from studyapp.content.models import Topic
from studyapp.content.parsing.types import DOMAINS

from .models import Attempt, AttemptQuestion

LETTERS = "ABCDEFGHIJ"


def question_screen(slot: AttemptQuestion, total: int) -> dict[str, object]:
    """The question as shown (options in the attempt's order), and once answered, the feedback."""
    data = slot.version.data
    chosen = set(slot.selected or [])
    options = []
    for shown, stored in enumerate(slot.option_order):
        option = data["options"][stored]
        options.append({
            "index": shown, "letter": LETTERS[shown], "html": option["html"], "feedback_html": option["feedback_html"],
            "right": Decimal(option["fraction"]) > 0, "chosen": stored in chosen,
        })  # fmt: skip
    return {
        "slot": slot, "data": data, "options": options, "total": total, "answered": slot.answered_at is not None,
        "multiple": data["kind"] == "multiple", "next_position": slot.position + 1 if slot.position < total else None,
        "right_count": sum(1 for o in options if o["right"]),
    }  # fmt: skip


def results(attempt: Attempt) -> dict[str, object]:
    slots = list(attempt.slots.select_related("question__topic", "question__note__course", "version"))
    marks = sum((s.fraction or Decimal(0) for s in slots), Decimal(0))
    by_domain: dict[str, list[Decimal]] = defaultdict(list)
    by_topic: dict[int, list[Decimal]] = defaultdict(list)
    for slot in slots:
        by_domain[slot.question.domain].append(slot.fraction or Decimal(0))
        by_topic[slot.question.topic_id].append(slot.fraction or Decimal(0))
    topics = Topic.objects.in_bulk(list(by_topic))
    return {
        "attempt": attempt, "slots": slots, "answered": sum(1 for s in slots if s.answered_at),
        "marks": marks, "total": len(slots), "percent": round(100 * marks / len(slots)) if slots else 0,
        "domains": [(code, DOMAINS[code], _percent(by_domain[code]), len(by_domain[code])) for code in DOMAINS if code in by_domain],
        "topics": sorted(((topics[t].title, _percent(v), len(v)) for t, v in by_topic.items()), key=lambda row: row[1]),
        "missed": [s for s in slots if s.answered_at and s.fraction != 1],
        "unanswered": [s for s in slots if not s.answered_at],
    }  # fmt: skip


def _percent(values: list[Decimal]) -> int:
    return round(100 * sum(values, Decimal(0)) / len(values)) if values else 0
