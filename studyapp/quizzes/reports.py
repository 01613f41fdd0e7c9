"""Reads shaped for the quiz pages."""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q

from studyapp.accounts.models import User
from studyapp.content.models import Topic, excluding_tag
from studyapp.content.parsing.types import DOMAINS
from studyapp.core.prepared import Prepared
from studyapp.questions.models import Question
from studyapp.srs.charts import score_chart
from studyapp.srs.queue import local_date, review_settings
from studyapp.srs.reports import Recall, recall_by_domain

from . import blueprint, grading, mock_html, services
from .models import Attempt, AttemptQuestion, Mode, Shown


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewShown:
    """What a finished attempt's pages may send: its marks (the score, right or wrong per
    question), the right answers, the explanations (general and per option). What is not shown is
    left out of the HTML, not hidden by CSS."""

    marks: bool
    right_answers: bool
    explanations: bool


EVERYTHING = ReviewShown(marks=True, right_answers=True, explanations=True)


def review_shown(attempt: Attempt, *, now: datetime, viewer: User) -> ReviewShown:
    """An assigned quiz's review options as its learner sees them now (an instructor reading the
    attempt sees everything). Practice and the mock show everything once answered or submitted."""
    quiz = attempt.quiz
    if quiz is None or attempt.mode != Mode.ASSIGNED or viewer.pk != attempt.user_id:
        return EVERYTHING
    finished = attempt.finished_at is not None

    def visible(when: str) -> bool:
        if when == Shown.NEVER or not finished:
            return False
        return when != Shown.AFTER_CLOSE or quiz.closes_at is None or now >= quiz.closes_at

    return ReviewShown(
        marks=visible(quiz.show_marks), right_answers=visible(quiz.show_right_answers), explanations=visible(quiz.show_explanations)
    )


def question_screen(slot: AttemptQuestion, total: int, *, now: datetime, viewer: User) -> dict[str, object]:
    """The question as shown (options in the attempt's order), and once answered, the feedback.

    A submitted exam's question (a mock, an assigned quiz) is its review: every question shows the
    right answer, answered or not, as far as the quiz's review options allow, and the page leads
    back and forth through the exam and to its results."""
    content = slot.version.content
    review = slot.attempt.exam and slot.attempt.finished_at is not None
    return {
        "slot": slot,
        "content": content,
        "options": content.shown(slot.option_order, selected=slot.selected or ()),
        "total": total,
        "answered": slot.answered_at is not None or review,
        "mock_review": review,
        "shown": review_shown(slot.attempt, now=now, viewer=viewer),
        "owner": viewer.pk == slot.attempt.user_id,
        "title": slot.attempt.quiz.title if slot.attempt.quiz else "Practice",
        "next_position": slot.position + 1 if slot.position < total else None,
        "previous_position": slot.position - 1 if slot.position > 1 else None,
    }


def duration_text(duration: timedelta) -> str:
    """A duration as a learner reads it, to the whole second: "1 min 2 s", "1 h 30 min", "45 s"."""
    seconds = int(duration.total_seconds())
    if seconds < 0:
        raise ValueError(f"a duration must not be negative, got {duration}")
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes or (hours and seconds):
        parts.append(f"{minutes} min")
    if seconds or not parts:
        parts.append(f"{seconds} s")
    return " ".join(parts)


def results(attempt: Attempt, *, now: datetime, viewer: User) -> dict[str, object]:
    slots = list(attempt.slots.select_related("question__placement", "version"))
    marks = sum((s.fraction or Decimal(0) for s in slots), Decimal(0))
    by_domain: dict[str, list[Decimal]] = defaultdict(list)
    by_topic: dict[int, list[Decimal]] = defaultdict(list)
    for slot in slots:
        by_domain[slot.question.domain].append(slot.fraction or Decimal(0))
        placement = getattr(slot.question, "placement", None)  # an authored question may have no topic
        if placement is not None:
            by_topic[placement.topic_id].append(slot.fraction or Decimal(0))
    topics = Topic.objects.in_bulk(list(by_topic))
    correct = sum(1 for s in slots if s.fraction == 1)
    review_mode = attempt.quiz is not None and attempt.quiz.key == services.REVIEW_MOCK_KEY
    mock = (attempt.mode == Mode.MOCK or review_mode) and attempt.finished_at is not None
    scaled = grading.scaled_score(correct, len(slots)) if mock else None
    return {
        "shown": review_shown(attempt, now=now, viewer=viewer),
        "owner": viewer.pk == attempt.user_id,
        "assigned": attempt.mode == Mode.ASSIGNED,
        "queued_missed": services.queues_missed(attempt),
        "mock": mock,
        "review_mode": review_mode,
        "scaled": scaled,
        "passed": None if scaled is None else grading.passed(scaled),
        "correct": correct,
        "time_used": duration_text(attempt.finished_at - attempt.started_at) if attempt.finished_at else None,
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


def sample_question(answer: str | None) -> dict[str, object] | None:
    """The public quizzes page's sample: the first single-answer question the mock may draw, its
    options in the order stable for its id. ``answer`` is the visitor's choice as sent (a shown
    position); once it names an option the page shows the feedback, anything else asks again.
    None: the bank is empty. Nothing is saved."""
    question = (
        services.questions_for(services.mock_quiz())
        .filter(kind="single", current_version__isnull=False)
        .select_related("current_version")
        .order_by("pk")
        .first()
    )
    if question is None or question.current_version is None:
        return None
    content = question.current_version.content
    order = content.stable_order(question.pk)
    chosen = int(answer) if answer is not None and answer.isdigit() and int(answer) < len(order) else None
    options = content.shown(order, selected=() if chosen is None else (order[chosen],))
    return {
        "content": content,
        "options": options,
        "answered": chosen is not None,
        "correct": chosen is not None and options[chosen].right,
        "invalid": answer is not None and chosen is None,
    }


def mock_start(user) -> dict[str, object]:
    """The mock's format, and per domain the exam's count beside what this bank will really draw;
    and at most how many questions two mocks in a row share (``repeats``)."""
    quiz = services.mock_quiz()
    targets = blueprint.targets(quiz.blueprint())
    bank = services.bank_items()
    drawn = blueprint.planned_counts(bank, quiz.blueprint())
    minutes = None if quiz.time_limit is None else quiz.time_limit.total_seconds() / 60
    rows = [(code, DOMAINS.get(code, code), targets[code], drawn[code]) for code in targets]
    return {
        "quiz": quiz,
        "minutes": f"{minutes:g}" if minutes is not None else None,
        "in_progress": services.in_progress_mock(user),
        "in_progress_review": services.in_progress_mock(user, review=True),
        "domains": rows,
        "drawn_total": sum(drawn.values()),
        "short": [name for _, name, target, count in rows if count < target],
        "repeats": sum(blueprint.repeat_bound(bank, quiz.blueprint()).values()),
        "pass_mark": grading.SCALED_PASS,
    }


def _clock(attempt: Attempt, now) -> dict[str, object]:
    left = max(0, int((attempt.deadline - now).total_seconds())) if attempt.deadline else 0
    return {
        "seconds_left": left,
        "clock": f"{left // 60}:{left % 60:02d}",
        "grace_seconds": int(services.grace(attempt).total_seconds()),
    }


# The question map of a mock, read on each of its screens: compiled once (core.prepared).
_MAP: Prepared[mock_html.MapItem] = Prepared(
    lambda attempt: (
        AttemptQuestion.objects.filter(attempt_id=attempt).order_by("position").values_list("position", "answered_at", "flagged")
    )
)


def mock_question(attempt: Attempt, slot: AttemptQuestion, *, now) -> dict[str, object]:
    content = slot.version.content
    slots = _MAP.list(attempt.pk)
    return {
        "attempt": attempt,
        "slot": slot,
        "content": content,
        "options": content.shown(slot.option_order, selected=slot.selected or ()),
        "total": len(slots),
        "map_html": mock_html.map_html(slots, slot.position),
        "answered_count": sum(1 for _, answered_at, _ in slots if answered_at),
        **_clock(attempt, now),
    }


def mock_saved(attempt: Attempt, slot: AttemptQuestion) -> dict[str, object]:
    """What an autosave or a flag sends back to the question page: its status, and (out of band)
    the slot's place in the question map and the count of answered questions."""
    counts = attempt.slots.aggregate(total=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    return {
        "attempt": attempt,
        "slot": slot,
        "map_item_html": mock_html.changed_item_html((slot.position, slot.answered_at, slot.flagged)),
        "saved": True,
        "oob": True,
        "total": counts["total"],
        "answered_count": counts["answered"],
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
    attempts = list(Attempt.objects.for_user(user).select_related("quiz").prefetch_related("slots")[:50])
    for attempt in attempts:
        if attempt.mode == Mode.MOCK and attempt.finished_at:
            slots = attempt.slots.all()
            attempt.scaled = grading.scaled_score(sum(1 for s in slots if s.fraction == 1), len(slots))
    mocks = [a for a in reversed(attempts) if getattr(a, "scaled", None) is not None]
    chart = score_chart(
        [(f"{a.started_at:%d %b}", a.scaled) for a in mocks],
        title="Mock exam scores",
        low=grading.SCALED_MIN,
        high=grading.SCALED_MAX,
        pass_mark=grading.SCALED_PASS,
    )
    return {"attempts": attempts, "scores_chart": chart}


# Too little to predict from: fewer cards seen than this, in the course or in one domain.
ENOUGH_CARDS = 30
ENOUGH_CARDS_IN_A_DOMAIN = 5
READY_RECALL = 0.85
EXAM_HOUR = 9  # recall is predicted for the exam day's morning, in the learner's time zone


def exam_day(user: User, *, today: date) -> date:
    """The learner's exam date (study settings), or two weeks from ``today`` when unset."""
    return review_settings(user).exam_day(today)


def _share(seen: int, total: int) -> int:
    """A percentage that says 100 only when all was seen (and 0 only when nothing was)."""
    if not total:
        return 0
    value = 100 * seen // total
    return max(value, 1) if seen else value


def _recall_percent(recall: Recall, *, enough: int, course_enough: bool) -> int | None:
    """Predicted recall as a whole percentage (rounded down), or None when there is too little data."""
    if not course_enough or recall.seen < enough or recall.recall is None:
        return None
    return int(100 * recall.recall)


def readiness(user: User, *, now: datetime, exam_date: date | None = None) -> dict[str, object] | None:
    """The course home's readiness panel. Per exam domain and overall: the share of the course seen
    (cards past new, questions answered in any attempt), the recall FSRS predicts on the exam date
    for the cards seen, and the last timed mock's score. Too little data gives None in place of a
    percentage. ``exam_date``: the learner's setting when not given. None: nothing to show yet."""
    today = local_date(user, now)
    day = exam_date or exam_day(user, today=today)
    morning = datetime.combine(day, time(EXAM_HOUR), tzinfo=zoneinfo.ZoneInfo(user.time_zone or "UTC")).astimezone(UTC)
    cards = recall_by_domain(user, at=max(now, morning))
    # Exam-relevant questions only: a beyond-exam one, answered in practice by choice, is not exam readiness.
    relevant = excluding_tag(Question.objects.published().filter(placement__isnull=False), services.BEYOND_EXAM)
    questions = dict(relevant.values_list("pk", "domain"))
    answered = set(
        AttemptQuestion.objects.filter(attempt__user=user, answered_at__isnull=False, question__in=list(questions))
        .values_list("question_id", flat=True)
        .distinct()
    )
    last = Attempt.objects.for_user(user).filter(mode=Mode.MOCK, finished_at__isnull=False).order_by("-finished_at").first()
    if last is None and not cards.overall.seen and not answered:
        return None
    mock = results(last, now=now, viewer=user) if last else None
    mock_by_domain = {code: (score, count) for code, _, score, count in (mock["domains"] if mock else [])}  # type: ignore[attr-defined]
    enough = cards.overall.seen >= ENOUGH_CARDS
    domains = []
    for code, name in DOMAINS.items():
        recall = cards.domains.get(code, Recall(seen=0, total=0, recall=None))
        asked = [pk for pk, domain in questions.items() if domain == code]
        seen_questions = sum(1 for pk in asked if pk in answered)
        score, count = mock_by_domain.get(code, (None, 0))
        domains.append(
            {
                "code": code,
                "number": code.removeprefix("domain-"),
                "name": name,
                "cards_seen": recall.seen,
                "cards_total": recall.total,
                "questions_seen": seen_questions,
                "questions_total": len(asked),
                "seen_percent": _share(recall.seen + seen_questions, recall.total + len(asked)),
                "recall": _recall_percent(recall, enough=ENOUGH_CARDS_IN_A_DOMAIN, course_enough=enough),
                "mock": score,
                "mock_count": count,
            }
        )
    overall = _recall_percent(cards.overall, enough=ENOUGH_CARDS, course_enough=enough)
    recall_ok = enough and cards.overall.recall is not None and cards.overall.recall >= READY_RECALL
    return {
        "exam_date": day,
        "days_left": max((day - today).days, 0),
        "exam_date_gone": day < today,
        "cards_seen": cards.overall.seen,
        "cards_total": cards.overall.total,
        "questions_seen": len(answered),
        "questions_total": len(questions),
        "seen_percent": _share(cards.overall.seen + len(answered), cards.overall.total + len(questions)),
        "enough": enough,
        "enough_cards": ENOUGH_CARDS,
        "recall": overall,
        "recall_ok": recall_ok,
        "mock": mock,
        "domains": domains,
        "ready": bool(mock and mock["passed"] and recall_ok),
    }
