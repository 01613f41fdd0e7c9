"""Status and grade of one learner on one assignment: the rules every class page shares."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from studyapp.classrooms.progress import Finished, Late, Rules, Status, goal_cell, quiz_cell

DUE = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
BEFORE, AFTER = DUE - timedelta(days=1), DUE + timedelta(days=1)


def attempts(*scores: str, at: datetime = BEFORE) -> list[Finished]:
    return [Finished(finished_at=at + timedelta(minutes=i), score=Decimal(s)) for i, s in enumerate(scores)]


@pytest.mark.parametrize(("method", "grade"), [("highest", "80"), ("average", "60"), ("first", "40"), ("last", "60")])
def test_grading_methods_follow_moodle(method, grade):
    cell = quiz_cell(finished=attempts("0.4", "0.8", "0.6"), in_progress=False, method=method, rules=Rules(due=DUE), now=AFTER)
    assert cell.status == Status.GRADED and cell.grade == Decimal(grade)


@pytest.mark.parametrize(
    ("late", "penalty", "status", "grade"),
    [(Late.ACCEPT, 0, Status.LATE, "80"), (Late.PENALTY, 25, Status.LATE, "60"), (Late.REFUSE, 0, Status.GRADED, "80")],
)
def test_a_quiz_finished_after_the_due_date(late, penalty, status, grade):
    cell = quiz_cell(
        finished=attempts("0.8", at=DUE + timedelta(seconds=5)),
        in_progress=False,
        method="highest",
        rules=Rules(due=DUE, late=late, penalty_percent=penalty),
        now=AFTER,
    )
    # Under "refuse" the attempt closed at the due date: the seconds of network grace are not late.
    assert (cell.status, cell.grade) == (status, Decimal(grade))


def test_the_penalty_applies_to_late_attempts_only():
    rules = Rules(due=DUE, late=Late.PENALTY, penalty_percent=50)
    cell = quiz_cell(finished=[*attempts("0.6"), *attempts("1", at=AFTER)], in_progress=False, method="highest", rules=rules, now=AFTER)
    assert cell.status == Status.GRADED and cell.grade == Decimal(60)  # 60 on time beats 100 late halved


def test_an_extension_moves_lateness():
    finished = attempts("0.9", at=AFTER)
    assert quiz_cell(finished=finished, in_progress=False, method="last", rules=Rules(due=DUE), now=AFTER).status == Status.LATE
    extended = Rules(due=AFTER + timedelta(hours=1))
    assert quiz_cell(finished=finished, in_progress=False, method="last", rules=extended, now=AFTER).status == Status.GRADED


def test_not_started_in_progress_overdue_and_excused():
    none = quiz_cell(finished=[], in_progress=False, method="highest", rules=Rules(due=DUE), now=BEFORE)
    assert (none.status, none.grade, none.overdue) == (Status.NOT_STARTED, None, False)
    assert quiz_cell(finished=[], in_progress=False, method="highest", rules=Rules(due=DUE), now=AFTER).overdue
    assert quiz_cell(finished=[], in_progress=True, method="highest", rules=Rules(due=DUE), now=BEFORE).status == Status.IN_PROGRESS
    excused = quiz_cell(finished=attempts("1"), in_progress=False, method="highest", rules=Rules(due=DUE, excused=True), now=AFTER)
    assert (excused.status, excused.grade) == (Status.EXCUSED, None)


@pytest.mark.parametrize(
    ("on_time", "so_far", "now", "late", "status", "grade", "overdue"),
    [
        ("0", "0", BEFORE, Late.ACCEPT, Status.NOT_STARTED, None, False),
        ("0.5", "0.5", BEFORE, Late.ACCEPT, Status.IN_PROGRESS, None, False),
        ("1", "1", BEFORE, Late.ACCEPT, Status.GRADED, "100", False),
        ("1.7", "1.7", BEFORE, Late.ACCEPT, Status.GRADED, "100", False),  # past the goal: still 100
        ("0.5", "0.5", AFTER, Late.ACCEPT, Status.IN_PROGRESS, "50", True),
        ("0.5", "1", AFTER, Late.ACCEPT, Status.LATE, "100", False),
        ("0.5", "1", AFTER, Late.PENALTY, Status.LATE, "80", False),
        ("0.5", "1", AFTER, Late.REFUSE, Status.GRADED, "50", True),
        ("0", "0", AFTER, Late.REFUSE, Status.GRADED, "0", True),
    ],
)
def test_goals_and_notes(on_time, so_far, now, late, status, grade, overdue):
    cell = goal_cell(on_time=Decimal(on_time), so_far=Decimal(so_far), rules=Rules(due=DUE, late=late, penalty_percent=20), now=now)
    assert (cell.status, cell.grade, cell.overdue) == (status, None if grade is None else Decimal(grade), overdue)
