"""What a quiz adds to grading (penalties, grading methods, the scaled score, item statistics), checked
against the exam's rules and Moodle's (shared/reference/exam-and-quiz.md). How one answer is graded is
tested with the question content, in tests/questions/test_content.py."""

from decimal import Decimal as D

import pytest

from studyapp.quizzes.grading import (
    Grade,
    GradeMethod,
    discrimination_index,
    facility_index,
    final_grade,
    passed,
    scaled_score,
    with_penalty,
)


@pytest.mark.parametrize(
    ("fraction", "correct", "partially"),
    [
        (D(1), True, False),
        (D(0), False, False),
        (D("0.5"), False, True),
        (D("0.9999999"), True, False),
        (D("1.5"), True, False),
        (D(-1), False, False),
    ],
)
def test_grade_value_clamps_and_flags(fraction, correct, partially):
    result = Grade.of(fraction)
    assert (result.correct, result.partially) == (correct, partially)
    assert 0 <= result.fraction <= 1


@pytest.mark.parametrize(
    ("tries", "penalty", "marks"),
    [
        (1, D(1) / 3, "3.00"),  # the reference: 3, 2, 1 on try 1, 2, 3
        (2, D(1) / 3, "2.00"),
        (3, D(1) / 3, "1.00"),
        (4, D(1) / 3, "0.00"),  # never below zero
        (3, D("0.3333333"), "1.00"),  # as Moodle stores the penalty
        (5, D(0), "3.00"),
    ],
)
def test_with_penalty_scores_later_tries_lower(tries, penalty, marks):
    assert (3 * with_penalty(D(1), tries=tries, penalty=penalty)).quantize(D("0.01")) == D(marks)


def test_with_penalty_applies_to_partial_fractions():
    assert with_penalty(D("0.5"), tries=3, penalty=D("0.1")) == D("0.3")
    assert with_penalty(D("0.5"), tries=3, penalty=D("0.3")) == 0


@pytest.mark.parametrize(("tries", "penalty"), [(0, D("0.1")), (1, D("-0.1")), (1, D("1.5"))])
def test_with_penalty_rejects_nonsense(tries, penalty):
    with pytest.raises(ValueError):
        with_penalty(D(1), tries=tries, penalty=penalty)


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", D(80)), ("average", D(60)), ("first", D(40)), ("last", D(60)), (GradeMethod.HIGHEST, D(80))],
)
def test_final_grade_by_method(method, expected):
    assert final_grade([D(40), D(80), D(60)], method) == expected


def test_final_grade_without_attempts_is_none():
    assert final_grade([], "average") is None


def test_final_grade_rejects_unknown_method():
    with pytest.raises(ValueError):
        final_grade([D(40)], "best_two")


@pytest.mark.parametrize(
    ("correct", "total", "scaled"),
    [
        (0, 65, 100),
        (65, 65, 1000),
        (0, 0, 100),
        (36, 50, 700),  # exactly 72 %: the pass line
        (18, 25, 700),
        (47, 65, 703),  # 72.3 %: a pass
        (46, 65, 690),  # 70.8 %: a fail
        (50, 100, 517),  # 100 + 600 * 0.5 / 0.72 = 516.67
        (86, 100, 850),  # 700 + 300 * 0.14 / 0.28
        (1, 65, 113),  # 100 + 600 * (1/65) / 0.72 = 112.82
    ],
)
def test_scaled_score_estimate(correct, total, scaled):
    assert scaled_score(correct, total) == scaled


def test_scaled_score_rises_with_the_raw_score_and_passes_from_the_line():
    scores = [scaled_score(correct, 65) for correct in range(66)]
    assert scores == sorted(scores)
    assert [passed(score) for score in scores].index(True) == 47  # 47 / 65 is the first above 72 %


@pytest.mark.parametrize(("correct", "total"), [(66, 65), (-1, 65), (0, -1)])
def test_scaled_score_rejects_impossible_raw_scores(correct, total):
    with pytest.raises(ValueError):
        scaled_score(correct, total)


@pytest.mark.parametrize(("scaled", "expected"), [(100, False), (699, False), (700, True), (1000, True)])
def test_passed_at_700(scaled, expected):
    assert passed(scaled) is expected


# The reference example: six students, three 1-mark questions.
ROWS = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 0, 0]]
TOTALS = [sum(row) for row in ROWS]


@pytest.mark.parametrize(("question", "facility", "discrimination"), [(0, 66.67, 34.30), (1, 50.00, 0.00), (2, 33.33, 34.30)])
def test_item_statistics_match_the_reference(question, facility, discrimination):
    marks = [D(row[question]) for row in ROWS]
    assert round(facility_index(marks, D(1)), 2) == facility
    assert round(discrimination_index(marks, TOTALS), 2) == discrimination


@pytest.mark.parametrize(
    ("marks", "totals"),
    [
        ([D(1), D(1), D(1)], [2, 3, 1]),  # everyone right: the question does not discriminate
        ([D(1), D(0), D(1)], [2, 1, 2]),  # the rest of the attempt is the same for all
        ([D(1)], [1]),  # one attempt: no sample variance
        ([], []),
    ],
)
def test_discrimination_index_is_none_without_variance(marks, totals):
    assert discrimination_index(marks, totals) is None


def test_item_statistics_edge_cases():
    assert facility_index([], D(1)) is None
    assert facility_index([D("1.5"), D("0.5")], D(2)) == 50.0
    with pytest.raises(ValueError):
        facility_index([D(1)], D(0))
    with pytest.raises(ValueError):
        discrimination_index([D(1), D(0)], [1])
