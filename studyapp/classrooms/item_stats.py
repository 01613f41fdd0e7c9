"""The small arithmetic of a quiz's item statistics that Moodle's formulas leave out. Pure: the
standard library only, no Django.

The indexes themselves are :func:`studyapp.quizzes.grading.facility_index` and
:func:`~studyapp.quizzes.grading.discrimination_index`; this module says why an index could not be
computed, counts the answers given per option, and summarises the attempts' grades. Marks and grades
are ``Decimal``; nothing here rounds.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["MIN_ATTEMPTS", "Summary", "Tally", "needs_review", "no_index_reason", "summarise", "tally"]

MIN_ATTEMPTS = 2
"""A correlation needs at least two attempts (the sample variance divides by n - 1)."""


def no_index_reason(marks: Sequence[Decimal], rests: Sequence[Decimal]) -> str:
    """Why no discrimination index exists for these marks, in words a teacher reads ("" when one does).

    ``marks[i]`` is one attempt's mark on the question and ``rests[i]`` the rest of that attempt (its
    total minus this mark), as :func:`~studyapp.quizzes.grading.discrimination_index` takes them
    (there with the totals). Raises ``ValueError`` when the sequences differ in length.
    """
    if len(marks) != len(rests):
        raise ValueError(f"{len(marks)} marks for {len(rests)} rests")
    if len(marks) < MIN_ATTEMPTS:
        return f"Needs at least {MIN_ATTEMPTS} attempts with this question, has {len(marks)}."
    if len(set(marks)) == 1:
        return "Everyone scored the same on this question, so it cannot tell stronger learners from weaker ones."
    if len(set(rests)) == 1:
        return "Everyone scored the same on the rest of the quiz, so there is nothing to compare this question with."
    return ""


def needs_review(discrimination: float | None) -> bool:
    """A negative discrimination index: learners who did worse on the rest of the quiz did better on
    this question, which usually means a wrong key or a misleading wording."""
    return discrimination is not None and discrimination < 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """The answers to one version of a choice question: ``counts[i]`` attempts chose stored option
    ``i`` (a multiple-response answer counts once for each option it chose); ``unanswered`` attempts
    chose nothing; ``attempts`` is their total."""

    counts: tuple[int, ...]
    unanswered: int
    attempts: int


def tally(selections: Iterable[Sequence[int] | None], option_count: int) -> Tally:
    """Count ``selections`` (each attempt's stored option indexes, ``None`` or empty when it chose
    nothing) over ``option_count`` options. An index outside the options is not counted (it cannot
    come from a version's own attempts); an option chosen twice in one answer counts once."""
    if option_count < 0:
        raise ValueError(f"option_count must be at least 0, got {option_count}")
    counts = [0] * option_count
    unanswered = attempts = 0
    for selected in selections:
        attempts += 1
        chosen = {i for i in selected or () if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < option_count}
        if not chosen:
            unanswered += 1
        for index in chosen:
            counts[index] += 1
    return Tally(counts=tuple(counts), unanswered=unanswered, attempts=attempts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """The attempts' grades (percentages): how many, their mean and median (``None`` when there are none)."""

    count: int
    mean: Decimal | None
    median: Decimal | None


def summarise(grades: Sequence[Decimal]) -> Summary:
    """Count, mean and median of ``grades`` (Decimal percentages); the median of an even count is the
    mean of the two middle grades."""
    if not grades:
        return Summary(count=0, mean=None, median=None)
    return Summary(count=len(grades), mean=sum(grades, Decimal(0)) / len(grades), median=statistics.median(grades))
