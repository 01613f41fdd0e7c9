"""Grading of attempts and items. Pure: standard library only, no Django.

How one answer is graded lives in :mod:`studyapp.questions.content` (``grade()`` for every kind, with
:class:`Policy` and :class:`Grade`, imported here so that ``quizzes.grading.Policy`` and ``Grade`` keep
working: the first migration names ``grading.Policy``). What stays here is what a quiz adds: penalties
for later tries, the quiz grade from several attempts, the exam's scaled score and item statistics.

Marks are ``Decimal`` throughout; nothing here rounds except :func:`scaled_score` (to a whole number,
as the exam reports it). Item statistics are descriptive numbers, so they are floats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from studyapp.questions.content import ONE, ZERO, Grade, Policy

__all__ = [
    "ONE",
    "PASS_LINE_RAW",
    "SCALED_MAX",
    "SCALED_MIN",
    "SCALED_PASS",
    "ZERO",
    "Grade",
    "GradeMethod",
    "Policy",
    "discrimination_index",
    "facility_index",
    "final_grade",
    "passed",
    "scaled_score",
    "with_penalty",
]

# The scaled score: an estimate, see scaled_score().
SCALED_MIN, SCALED_PASS, SCALED_MAX = 100, 700, 1000
PASS_LINE_RAW = Decimal("0.72")


class GradeMethod(StrEnum):
    """Which of a learner's attempts gives the quiz grade (Moodle's "grading method")."""

    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


def _decimal(value: Decimal | int | str) -> Decimal:
    # Floats would bring binary noise into marks (0.1 + 0.2 != 0.3): refuse them.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise TypeError(f"a fraction must be a Decimal, an int or a string, got {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"a fraction must be finite, got {value!r}")
    return number


def with_penalty(fraction: Decimal, *, tries: int, penalty: Decimal) -> Decimal:
    """Moodle's "interactive with multiple tries" rule: each wrong try before the right one costs
    ``penalty`` (a fraction of the question's marks): ``max(0, fraction - penalty * (tries - 1))``.

    A 3-mark question with penalty 1/3 scores 3, 2, 1 when answered right on try 1, 2, 3.
    ``tries`` counts the try that produced ``fraction`` (1 for the first); it must be at least 1, and
    ``penalty`` must lie in [0, 1].
    """
    if tries < 1:
        raise ValueError(f"tries starts at 1, got {tries}")
    if not ZERO <= penalty <= ONE:
        raise ValueError(f"a penalty lies between 0 and 1, got {penalty}")
    return max(ZERO, fraction - penalty * (tries - 1))


def final_grade(grades: Sequence[Decimal], method: GradeMethod | str) -> Decimal | None:
    """The quiz grade from the attempts' grades, oldest first, by Moodle's grading ``method``:
    ``"highest"``, ``"average"`` (unrounded), ``"first"`` or ``"last"``. Attempts of 40, 80, 60 give
    80, 60, 40, 60. ``None`` when there is no attempt yet; ``ValueError`` for an unknown method.
    """
    method = GradeMethod(method)
    if not grades:
        return None
    match method:
        case GradeMethod.HIGHEST:
            return max(grades)
        case GradeMethod.AVERAGE:
            return sum(grades, ZERO) / len(grades)
        case GradeMethod.FIRST:
            return grades[0]
        case GradeMethod.LAST:
            return grades[-1]


def scaled_score(correct: int, total: int) -> int:
    """An ESTIMATE of the exam's 100-1000 scaled score from a raw score of ``correct`` out of ``total``.

    AWS does not publish its scaling (it equates forms of different difficulty), so this is a
    piecewise-linear mapping around a commonly quoted estimate of the pass line, 72 % raw:

    * 0 % maps to 100, 72 % to 700 and 100 % to 1000, linear in between
      (below the line: ``100 + 600 * raw / 0.72``; above: ``700 + 300 * (raw - 0.72) / 0.28``);
    * rounded to the nearest integer, halves up; ``total == 0`` gives 100.

    So 47 of 65 (72.3 %) is 703, a pass, and 46 of 65 (70.8 %) is 690, a fail. Every question counts
    here, whereas the real exam leaves 15 of its 65 questions unscored.
    """
    if total < 0 or not 0 <= correct <= total:
        raise ValueError(f"need 0 <= correct <= total, got {correct} of {total}")
    if total == 0:
        return SCALED_MIN
    raw, line = Fraction(correct, total), Fraction(PASS_LINE_RAW)
    if raw <= line:
        scaled = SCALED_MIN + (SCALED_PASS - SCALED_MIN) * raw / line
    else:
        scaled = SCALED_PASS + (SCALED_MAX - SCALED_PASS) * (raw - line) / (1 - line)
    return math.floor(scaled + Fraction(1, 2))


def passed(scaled: int) -> bool:
    """Whether a scaled score passes: 700 or more (the exam is compensatory, no per-domain minimum)."""
    return scaled >= SCALED_PASS


def _exact(values: Sequence[Decimal | int]) -> list[Fraction]:
    return [Fraction(_decimal(v)) for v in values]


def facility_index(marks: Sequence[Decimal | int], max_mark: Decimal | int) -> float | None:
    """Moodle's facility index of a question: ``100 * mean(marks) / max_mark`` (the percentage of
    the marks that learners obtained). ``None`` when nobody answered it."""
    if _decimal(max_mark) <= 0:
        raise ValueError(f"max_mark must be positive, got {max_mark}")
    if not marks:
        return None
    values = _exact(marks)
    return float(100 * sum(values) / len(values) / Fraction(_decimal(max_mark)))


def discrimination_index(question_marks: Sequence[Decimal | int], totals: Sequence[Decimal | int]) -> float | None:
    """Moodle's discrimination index of a question: 100 x the Pearson correlation (sample covariance
    over the product of sample standard deviations) between the question's marks and the rest of each
    attempt, i.e. the attempt's total minus this question's mark.

    ``question_marks[i]`` and ``totals[i]`` belong to the same attempt. ``None`` with fewer than two
    attempts or when either variance is zero (everyone scored the same); ``ValueError`` when the
    sequences differ in length.
    """
    if len(question_marks) != len(totals):
        raise ValueError(f"{len(question_marks)} question marks for {len(totals)} totals")
    n = len(question_marks)
    if n < 2:
        return None
    xs = _exact(question_marks)
    ys = [total - x for total, x in zip(_exact(totals), xs, strict=True)]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / (n - 1)
    variance_x = sum((x - mean_x) ** 2 for x in xs) / (n - 1)
    variance_y = sum((y - mean_y) ** 2 for y in ys) / (n - 1)
    if variance_x == 0 or variance_y == 0:
        return None
    return 100 * float(covariance) / math.sqrt(variance_x * variance_y)
