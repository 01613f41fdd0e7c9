"""Kahoot's scoring, pure: standard library only, no Django, no clock (times come in as milliseconds).

* A right answer scores ``round((1 − (response time ÷ time limit) ÷ 2) × 1000)`` points, rounded half
  up: 2 s of a 30 s limit gives 967, an answer at the limit 500. Any answer within 0.5 s scores the
  full 1000.
* A streak bonus of +100 per consecutive right answer after the first, at most +500: the second right
  answer in a row earns +100, the third +200, the sixth and after +500.
* A wrong answer (or none) scores 0 and ends the streak.
* An answer after the time limit is refused (:class:`TooLate`): the caller stores nothing.

Standings rank by score, ties sharing a rank (1, 2, 2, 4), then by nickname for a stable order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "FULL_POINTS",
    "FULL_POINTS_WITHIN_MS",
    "STREAK_BONUS_CAP",
    "STREAK_BONUS_STEP",
    "Scored",
    "Standing",
    "TooLate",
    "base_points",
    "rank_in",
    "score",
    "standings",
    "streak_bonus",
]

FULL_POINTS = 1000
FULL_POINTS_WITHIN_MS = 500
STREAK_BONUS_STEP = 100
STREAK_BONUS_CAP = 500


class TooLate(ValueError):
    """The answer arrived after the question's time limit."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Scored:
    """What one answer earned: ``base`` for speed, ``bonus`` for the streak it extends, and the
    player's ``streak`` (consecutive right answers) after it."""

    correct: bool
    base: int
    bonus: int
    streak: int

    @property
    def points(self) -> int:
        return self.base + self.bonus


def base_points(*, response_ms: int, limit_ms: int) -> int:
    """Points for a right answer given ``response_ms`` after the question was sent.

    >>> base_points(response_ms=2000, limit_ms=30000)
    967
    """
    if limit_ms <= 0:
        raise ValueError("a time limit must be positive")
    if response_ms < 0:
        raise ValueError("a response time cannot be negative")
    if response_ms > limit_ms:
        raise TooLate(f"answered after {response_ms} ms of a {limit_ms} ms limit")
    if response_ms <= FULL_POINTS_WITHIN_MS:
        return FULL_POINTS
    exact = (1 - Fraction(response_ms, limit_ms) / 2) * FULL_POINTS
    return int(exact + Fraction(1, 2))  # half up; exact is positive


def streak_bonus(streak: int) -> int:
    """The bonus for the ``streak``-th right answer in a row (1 for the first)."""
    if streak < 1:
        return 0
    return min((streak - 1) * STREAK_BONUS_STEP, STREAK_BONUS_CAP)


def score(*, correct: bool, response_ms: int, limit_ms: int, streak_before: int) -> Scored:
    """Score one answer. Raises :class:`TooLate` past the limit, right or wrong, so a late answer is
    refused whatever it says."""
    base = base_points(response_ms=response_ms, limit_ms=limit_ms)
    if not correct:
        return Scored(correct=False, base=0, bonus=0, streak=0)
    streak = streak_before + 1
    return Scored(correct=True, base=base, bonus=streak_bonus(streak), streak=streak)


@dataclass(frozen=True, slots=True, kw_only=True)
class Standing:
    rank: int
    nickname: str
    score: int


def standings(players: Iterable[tuple[str, int]]) -> list[Standing]:
    """``(nickname, score)`` pairs ranked: highest score first, equal scores share a rank."""
    ordered = sorted(players, key=lambda pair: (-pair[1], pair[0].casefold(), pair[0]))
    ranked: list[Standing] = []
    for index, (nickname, points) in enumerate(ordered):
        rank = ranked[-1].rank if ranked and ranked[-1].score == points else index + 1
        ranked.append(Standing(rank=rank, nickname=nickname, score=points))
    return ranked


def rank_in(points: int, ascending_scores: Sequence[int]) -> int:
    """The rank a score of ``points`` has among ``ascending_scores`` (every player's score, sorted
    ascending, this player's included): 1 + how many scored more."""
    return len(ascending_scores) - bisect_right(ascending_scores, points) + 1
