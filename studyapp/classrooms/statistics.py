"""Item statistics of a quiz assignment (issue 14, point 5): per question, Moodle's facility and
discrimination indexes and the answers given per option; for the quiz, the attempts counted and
their mean and median grade.

Which attempts count: each learner's first finished attempt (Moodle's default, "first attempt", for
its statistics report), for every learner of the class, active or removed (their work is kept);
attempts by the class's instructors, or by anyone not a learner of it, are left out. A question
scores its slot's fraction (0 to 1, one mark); an attempt's grade is the mean of its fractions, as a
percentage. Four queries, whatever the size of the class.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from studyapp.content.models import QuestionPlacement
from studyapp.questions.content import CHOICE_KINDS
from studyapp.questions.models import QuestionVersion
from studyapp.quizzes.grading import discrimination_index, facility_index
from studyapp.quizzes.models import Attempt, AttemptQuestion, Mode

from .item_stats import Summary, needs_review, no_index_reason, summarise, tally
from .models import Assignment

SORTS = ("facility", "discrimination")
Sort = Literal["", "facility", "discrimination"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionCount:
    """One option of a version, in its stored order, and how many attempts chose it."""

    text: str
    right: bool
    count: int
    percent: float  # of the attempts that saw this version


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionAnswers:
    """The answers given to one version of a question. ``options`` is empty for a kind that is not
    answered by choosing (short answer, numerical, matching): only answered and unanswered are counted."""

    number: int
    attempts: int
    options: tuple[OptionCount, ...]
    unanswered: int

    @property
    def unanswered_percent(self) -> float:
        return 100 * self.unanswered / self.attempts if self.attempts else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionStats:
    question_id: int
    number: int  # 1-based, in the quiz's order
    stem: str  # the latest version seen
    kind: str
    attempts: int  # attempts counted that had this question
    facility: float | None  # percent
    discrimination: float | None
    discrimination_reason: str  # why there is none ("" when there is)
    needs_review: bool  # a negative discrimination index
    url: str  # the question in its note, "" when it is in no note
    versions: tuple[VersionAnswers, ...]  # oldest first

    @property
    def right_answers(self) -> tuple[str, ...]:
        """The right option(s) of the latest version seen."""
        return tuple(option.text for option in self.versions[-1].options if option.right) if self.versions else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemStatistics:
    summary: Summary
    questions: tuple[QuestionStats, ...]

    @property
    def flagged(self) -> tuple[QuestionStats, ...]:
        return tuple(q for q in self.questions if q.needs_review)

    def sorted_by(self, sort: str) -> tuple[QuestionStats, ...]:
        """The questions lowest index first (the hardest, or the least discriminating), those without
        an index last; in the quiz's order for any other ``sort``."""
        if sort not in SORTS:
            return self.questions

        def key(q: QuestionStats) -> tuple[bool, float, int]:
            value = q.facility if sort == "facility" else q.discrimination
            return (value is None, value if value is not None else 0.0, q.number)

        return tuple(sorted(self.questions, key=key))


def counted_attempts(assignment: Assignment) -> list[int]:
    """The ids of the attempts the statistics count: each learner's first finished one (one query)."""
    if assignment.quiz_id is None:
        raise ValueError(f"assignment {assignment.pk} is not a quiz")
    learners = assignment.classroom.memberships.learners().values("user_id")  # active or removed
    rows = (
        Attempt.objects.filter(quiz_id=assignment.quiz_id, mode=Mode.ASSIGNED, finished_at__isnull=False, user_id__in=learners)
        .order_by("user_id", "started_at", "pk")
        .values_list("user_id", "pk")
    )
    first: dict[int, int] = {}
    for user_id, attempt_id in rows:
        first.setdefault(user_id, attempt_id)
    return list(first.values())


def item_statistics(assignment: Assignment) -> ItemStatistics:
    """The statistics of a quiz assignment's counted attempts (four queries)."""
    attempt_ids = counted_attempts(assignment)
    slots = list(
        AttemptQuestion.objects.filter(attempt_id__in=attempt_ids)
        .order_by("attempt_id", "position")
        .values_list("attempt_id", "question_id", "version_id", "position", "selected", "fraction")
    )
    totals: dict[int, Decimal] = defaultdict(Decimal)
    sizes: dict[int, int] = defaultdict(int)
    by_question: dict[int, list[tuple[int, int, int, list[int] | None, Decimal]]] = defaultdict(list)
    for attempt_id, question_id, version_id, position, selected, fraction in slots:
        mark = fraction if fraction is not None else Decimal(0)  # a finished attempt has every slot graded
        totals[attempt_id] += mark
        sizes[attempt_id] += 1
        by_question[question_id].append((attempt_id, version_id, position, selected, mark))
    if not by_question:
        return ItemStatistics(summary=summarise([]), questions=())
    versions = QuestionVersion.objects.in_bulk({row[1] for rows in by_question.values() for row in rows})
    placements = QuestionPlacement.objects.select_related("note__course", "question").in_bulk(list(by_question))
    order = {qid: i for i, qid in enumerate(assignment.quiz.question_ids or [])} if assignment.quiz else {}

    def place(qid: int) -> tuple[int, int, int]:
        return (order.get(qid, len(order)), min(row[2] for row in by_question[qid]), qid)

    questions = []
    for number, question_id in enumerate(sorted(by_question, key=place), start=1):
        rows = by_question[question_id]
        marks = [row[4] for row in rows]
        rests = [totals[row[0]] - row[4] for row in rows]
        discrimination = discrimination_index(marks, [totals[row[0]] for row in rows])
        answers = _answers(rows, versions)
        latest = versions[max(rows, key=lambda row: versions[row[1]].number)[1]].content
        placement = placements.get(question_id)
        questions.append(
            QuestionStats(
                question_id=question_id,
                number=number,
                stem=latest.stem,
                kind=str(latest.kind),
                attempts=len(rows),
                facility=facility_index(marks, 1),
                discrimination=discrimination,
                discrimination_reason="" if discrimination is not None else no_index_reason(marks, rests),
                needs_review=needs_review(discrimination),
                url=placement.get_absolute_url() if placement else "",
                versions=answers,
            )
        )
    grades = [100 * totals[a] / sizes[a] for a in attempt_ids if sizes[a]]
    return ItemStatistics(summary=summarise(grades), questions=tuple(questions))


def _answers(
    rows: Sequence[tuple[int, int, int, list[int] | None, Decimal]], versions: dict[int, QuestionVersion]
) -> tuple[VersionAnswers, ...]:
    """The answers per version seen, oldest version first, each in its stored option order."""
    by_version: dict[int, list[list[int] | None]] = defaultdict(list)
    for _, version_id, _, selected, _ in rows:
        by_version[version_id].append(selected)
    result = []
    for version_id in sorted(by_version, key=lambda v: versions[v].number):
        content = versions[version_id].content
        choices = content.choices if content.kind in CHOICE_KINDS else ()
        counted = tally(by_version[version_id], len(choices))
        if not choices:  # answered or not is all there is to count
            counted = tally(([0] if s else None for s in by_version[version_id]), 1)
        result.append(
            VersionAnswers(
                number=versions[version_id].number,
                attempts=counted.attempts,
                options=tuple(
                    OptionCount(text=choice.text, right=choice.right, count=n, percent=100 * n / counted.attempts)
                    for choice, n in zip(choices, counted.counts, strict=False)
                ),
                unanswered=counted.unanswered,
            )
        )
    return tuple(result)


def csv_rows(stats: ItemStatistics) -> list[list[object]]:
    """The statistics as spreadsheet rows: a header, then one row per option of each version of each
    question (a question's own figures repeated on each), for :func:`~.export.csv_text`."""
    header: list[object] = [
        "Question",
        "Question id",
        "Stem",
        "Attempts",
        "Facility index (%)",
        "Discrimination index",
        "Needs review",
        "Version",
        "Answer",
        "Right answer",
        "Chosen by",
        "Chosen by (%)",
    ]
    rows: list[list[object]] = [header]
    for q in stats.questions:
        figures: list[object] = [
            q.number,
            q.question_id,
            q.stem,
            q.attempts,
            _two(q.facility),
            _two(q.discrimination),
            "yes" if q.needs_review else "no",
        ]
        for version in q.versions:
            for option in version.options:
                rows.append([*figures, version.number, option.text, "yes" if option.right else "no", option.count, _two(option.percent)])
            rows.append([*figures, version.number, "(no answer)", "", version.unanswered, _two(version.unanswered_percent)])
    return rows


def _two(value: float | None) -> Decimal | str:
    return "" if value is None else Decimal(f"{value:.2f}")
