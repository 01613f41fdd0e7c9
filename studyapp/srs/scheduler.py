"""Spaced-repetition scheduling: the only module that talks to ``fsrs``. Pure: no Django, no clock.

Every function takes ``now`` (an aware UTC datetime) and the learner's :class:`Settings`; memory
states go in and out as frozen :class:`Memory` values that the caller stores.

On top of FSRS this adds what Anki users expect:
- **study days**: review intervals count whole days, and a day starts at 4 a.m. in the learner's
  time zone, so a card due "tomorrow" becomes due at 4 a.m. tomorrow, not 24 hours after its review;
- **deterministic fuzz**: the interval spread is FSRS's own (``FUZZ_RANGES``), but drawn from a
  random generator seeded by the caller, so a replayed review gives the same answer;
- **lapse counting**, which FSRS itself does not keep.
"""

import math
import random
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import FUZZ_RANGES

StateName = Literal["new", "learning", "review", "relearning"]
RATINGS: dict[int, str] = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
_TO_FSRS: dict[str, State] = {"learning": State.Learning, "review": State.Review, "relearning": State.Relearning}
_FROM_FSRS: dict[State, StateName] = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
MIN_RETENTION, MAX_RETENTION = 0.70, 0.97


def _require_utc(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() != timedelta(0):
        raise ValueError(f"an aware UTC datetime is required, got {now!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """One learner's scheduling preferences."""

    desired_retention: float = 0.90
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    time_zone: str = "UTC"
    day_start_hour: int = 4

    def __post_init__(self) -> None:
        if not MIN_RETENTION <= self.desired_retention <= MAX_RETENTION:
            raise ValueError(f"desired retention must be between {MIN_RETENTION} and {MAX_RETENTION}")
        if not 0 <= self.day_start_hour <= 23:
            raise ValueError("the day must start at an hour from 0 to 23")
        zoneinfo.ZoneInfo(self.time_zone)  # raises for an unknown zone

    def fsrs(self) -> Scheduler:
        return Scheduler(
            desired_retention=self.desired_retention,
            learning_steps=self.learning_steps,
            relearning_steps=self.relearning_steps,
            maximum_interval=self.maximum_interval_days,
            enable_fuzzing=False,  # fuzz is applied here, from a seeded generator
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Memory:
    """What the scheduler knows about one item for one learner."""

    state: StateName = "new"
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat() if self.due else None,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Memory":
        """The inverse of :meth:`to_dict`, from the JSON a review log keeps."""
        values = dict(data)
        for key in ("due", "last_review"):
            if values.get(key):
                values[key] = datetime.fromisoformat(str(values[key]))
        return cls(**values)


NEW = Memory()


def _to_card(memory: Memory, now: datetime) -> Card:
    if memory.state == "new":
        return Card(card_id=1, state=State.Learning, step=0, due=now)
    return Card(
        card_id=1,
        state=_TO_FSRS[memory.state],
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )


def study_day(moment: datetime, settings: Settings) -> date:
    """The study day ``moment`` falls in: days start at ``day_start_hour`` local time."""
    local = moment.astimezone(zoneinfo.ZoneInfo(settings.time_zone))
    return (local - timedelta(hours=settings.day_start_hour)).date()


def day_start(day: date, settings: Settings) -> datetime:
    """When study day ``day`` begins, in UTC."""
    local = datetime.combine(day, time(settings.day_start_hour), tzinfo=zoneinfo.ZoneInfo(settings.time_zone))
    return local.astimezone(UTC)


def next_day_start(now: datetime, settings: Settings) -> datetime:
    """The start of the next study day (when buried cards come back, when the new-card count resets)."""
    _require_utc(now)
    return day_start(study_day(now, settings) + timedelta(days=1), settings)


def _fuzz_days(days: int, settings: Settings, rng: random.Random) -> int:
    """FSRS's fuzz (same ranges) from a seeded generator."""
    if days < 2.5:
        return days
    delta = 1.0
    for band in FUZZ_RANGES:
        delta += band["factor"] * max(min(float(days), band["end"]) - band["start"], 0.0)
    low = max(2, round(days - delta))
    high = min(round(days + delta), settings.maximum_interval_days)
    low = min(low, high)
    return min(round(rng.random() * (high - low + 1) + low), settings.maximum_interval_days)


def fuzz_range(days: int, settings: Settings) -> tuple[int, int]:
    """The smallest and largest interval fuzz can turn ``days`` into."""
    lows = _fuzz_days(days, settings, _Fixed(0.0))
    highs = _fuzz_days(days, settings, _Fixed(0.999999))
    return lows, highs


class _Fixed(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def review(memory: Memory, rating: int, *, now: datetime, settings: Settings, seed: int | None = None) -> Memory:
    """The memory after rating the item ``rating`` (1 Again … 4 Easy) at ``now``.

    ``seed`` fixes the fuzz (pass something stable such as the item id and review count); with
    ``settings.fuzz`` off, or no seed, no fuzz is applied.
    """
    _require_utc(now)
    if rating not in RATINGS:
        raise ValueError(f"rating must be 1, 2, 3 or 4, got {rating!r}")
    card, _ = settings.fsrs().review_card(_to_card(memory, now), Rating(rating), review_datetime=now)
    state = _FROM_FSRS[card.state]
    due = card.due
    if state == "review":
        days = max(1, round((card.due - now) / timedelta(days=1)))
        if settings.fuzz and seed is not None:
            days = _fuzz_days(days, settings, random.Random(seed))
        due = day_start(study_day(now, settings) + timedelta(days=days), settings)
    lapsed = memory.state == "review" and rating == 1
    return Memory(
        state=state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=due,
        last_review=now,
        reps=memory.reps + 1,
        lapses=memory.lapses + int(lapsed),
    )


def preview(memory: Memory, *, now: datetime, settings: Settings) -> dict[int, timedelta]:
    """For each rating, how long until the item is due again (without fuzz), as the buttons show it."""
    plain = replace(settings, fuzz=False)
    return {rating: _due(review(memory, rating, now=now, settings=plain)) - now for rating in RATINGS}


def _due(memory: Memory) -> datetime:
    """The due time of a reviewed memory (only a new one has none)."""
    if memory.due is None:
        raise ValueError(f"{memory!r} has no due time: it was never reviewed")
    return memory.due


def retrievability(memory: Memory, *, now: datetime, settings: Settings) -> float | None:
    """FSRS's predicted probability of recall at ``now``; None for an item never reviewed."""
    _require_utc(now)
    if memory.state == "new" or memory.stability is None:
        return None
    return float(settings.fsrs().get_card_retrievability(_to_card(memory, now), current_datetime=now))


def recall_of(items: Iterable[tuple[float, datetime]], *, now: datetime, settings: Settings) -> list[float]:
    """:func:`retrievability` of many reviewed items from their ``(stability, last_review)`` alone,
    at ``now``: FSRS's forgetting curve, ``(1 + factor × elapsed days / stability) ** decay``, with
    the factor and decay of the scheduler ``settings`` make (tests check it equals
    :func:`retrievability`). A class's gradebook reads tens of thousands: no card is built per item."""
    _require_utc(now)
    fsrs = settings.fsrs()
    factor, decay = fsrs._FACTOR, fsrs._DECAY  # the curve's two constants: fsrs exposes no other way
    return [(1 + factor * max(0, (now - last).days) / stability) ** decay for stability, last in items]


def format_interval(interval: timedelta) -> str:
    """A short label like Anki's: 45s, 10m, 3h, 1d, 4d, 2mo, 1.5y."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return f"{max(0, round(seconds))}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400 * 0.9:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{max(1, math.ceil(days - 0.25))}d"
    if days < 365:
        return f"{days / 30:.1f}".rstrip("0").rstrip(".") + "mo"
    return f"{days / 365:.1f}".rstrip("0").rstrip(".") + "y"
