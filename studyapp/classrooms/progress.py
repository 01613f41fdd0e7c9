"""Where a learner stands on one assignment: its status and grade. Pure: standard library only.

The gradebook, the learner's page and the learner's own list of work all ask these functions, so a
status means the same everywhere. Grades are percentages as ``Decimal`` (0 to 100), rounding left
to the page; ``None`` means no grade yet.

- A quiz's grade comes from its finished attempts by the quiz's grading method (Moodle's: highest,
  average, first or last); an attempt finished after the learner's due date is late, and under a
  "penalty" late policy its grade loses that percentage of itself.
- A flashcard goal and notes to read are measured as a share of the goal reached: by the due date
  (on time) and by now (late work included). Past the due date an unfinished goal is graded on what
  was reached by then; finished late, it is late (and penalised under "penalty"); "refuse" ignores
  what came after the due date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from studyapp.quizzes.grading import GradeMethod, final_grade

HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)


class Status(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    SUBMITTED = "submitted"  # finished, its grade not released to the learner yet
    LATE = "late"
    GRADED = "graded"
    EXCUSED = "excused"


class Late(StrEnum):
    """An assignment's late policy (the values of ``classrooms.models.LatePolicy``)."""

    ACCEPT = "accept"
    PENALTY = "penalty"
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """What every kind of assignment is measured against, for one learner."""

    due: datetime  # the learner's own: an extension moves it
    late: Late = Late.ACCEPT
    penalty_percent: int = 0
    excused: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Finished:
    """One finished attempt: when, and its score as a fraction (0 to 1)."""

    finished_at: datetime
    score: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    status: Status
    grade: Decimal | None  # percent
    overdue: bool = False  # past the due date with the work not done
    progress: Decimal | None = None  # goals and notes: share of the goal reached so far, percent

    @property
    def done(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.LATE, Status.GRADED, Status.EXCUSED)


def percent_text(value: Decimal) -> str:
    """A grade as the gradebook writes it, page and CSV: to a tenth, "80" rather than "80.0"."""
    return f"{value.quantize(Decimal('0.1')):f}".removesuffix(".0")


def _penalised(percent: Decimal, rules: Rules) -> Decimal:
    if rules.late == Late.PENALTY:
        return percent * (HUNDRED - rules.penalty_percent) / HUNDRED
    return percent


def quiz_cell(*, finished: Sequence[Finished], in_progress: bool, method: GradeMethod | str, rules: Rules, now: datetime) -> Cell:
    """A quiz assignment: ``finished`` attempts oldest first, ``in_progress`` when one is under way."""
    if rules.excused:
        return Cell(status=Status.EXCUSED, grade=None)
    if not finished:
        overdue = now > rules.due
        return Cell(status=Status.IN_PROGRESS if in_progress else Status.NOT_STARTED, grade=None, overdue=overdue and not in_progress)
    # Under "refuse" an attempt cannot run past the due date (it closes then, plus a few seconds'
    # grace for the network), so none of its attempts counts as late.
    late = [rules.late != Late.REFUSE and attempt.finished_at > rules.due for attempt in finished]
    grades = [
        _penalised(attempt.score * HUNDRED, rules) if is_late else attempt.score * HUNDRED
        for attempt, is_late in zip(finished, late, strict=True)
    ]
    grade = final_grade(grades, method)
    return Cell(status=Status.LATE if late[0] else Status.GRADED, grade=grade)


def goal_cell(*, on_time: Decimal, so_far: Decimal, rules: Rules, now: datetime) -> Cell:
    """A flashcard goal or notes to read: ``on_time`` is the share of the goal (0 to 1) reached by
    the due date, ``so_far`` the share reached by now (late work included)."""
    on_time, so_far = min(ONE, max(ZERO, on_time)), min(ONE, max(ZERO, so_far))
    progress = so_far * HUNDRED
    if rules.excused:
        return Cell(status=Status.EXCUSED, grade=None, progress=progress)
    if on_time >= ONE:
        return Cell(status=Status.GRADED, grade=HUNDRED, progress=progress)
    if now <= rules.due:
        return Cell(status=Status.IN_PROGRESS if so_far > ZERO else Status.NOT_STARTED, grade=None, progress=progress)
    if rules.late == Late.REFUSE:
        return Cell(status=Status.GRADED, grade=on_time * HUNDRED, progress=on_time * HUNDRED, overdue=True)
    if so_far >= ONE:
        return Cell(status=Status.LATE, grade=_penalised(HUNDRED, rules), progress=progress)
    started = Status.IN_PROGRESS if so_far > ZERO else Status.NOT_STARTED
    return Cell(status=started, grade=on_time * HUNDRED, progress=progress, overdue=True)
