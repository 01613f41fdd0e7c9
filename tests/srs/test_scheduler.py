"""The pure scheduler, checked against fsrs itself with the clock passed in."""

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from studyapp.srs.scheduler import (
    NEW,
    Memory,
    Settings,
    day_start,
    format_interval,
    fuzz_range,
    next_day_start,
    preview,
    recall_of,
    retrievability,
    review,
    study_day,
)

NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
PLAIN = Settings(fuzz=False)


def fsrs_sequence(ratings: list[int], gaps: list[timedelta]) -> Card:
    """The same reviews straight through fsrs, for comparison."""
    scheduler = Scheduler(enable_fuzzing=False)
    card, when = Card(card_id=1, due=NOW), NOW
    for rating, gap in zip(ratings, gaps, strict=True):
        when += gap
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=when)
    return card


@pytest.mark.parametrize(
    ("ratings", "gaps"),
    [
        ([3], [timedelta(0)]),
        ([1], [timedelta(0)]),
        ([4], [timedelta(0)]),
        ([3, 3], [timedelta(0), timedelta(minutes=1)]),
        ([3, 3, 3], [timedelta(0), timedelta(minutes=1), timedelta(minutes=10)]),
        ([1, 3, 3, 2], [timedelta(0), timedelta(minutes=1), timedelta(minutes=10), timedelta(days=3)]),
        ([4, 3, 1, 3], [timedelta(0), timedelta(days=8), timedelta(days=20), timedelta(minutes=10)]),
    ],
)
def test_memory_matches_fsrs(ratings, gaps):
    memory, when = NEW, NOW
    for rating, gap in zip(ratings, gaps, strict=True):
        when += gap
        memory = review(memory, rating, now=when, settings=PLAIN)
    expected = fsrs_sequence(ratings, gaps)
    assert memory.state == {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}[expected.state]
    assert memory.stability == pytest.approx(expected.stability)
    assert memory.difficulty == pytest.approx(expected.difficulty)
    assert memory.step == expected.step
    if memory.state == "review":
        # FSRS counts exact days; we land on the start (4 a.m.) of that study day
        days = round((expected.due - when) / timedelta(days=1))
        assert memory.due == day_start(study_day(when, PLAIN) + timedelta(days=days), PLAIN)
    else:
        assert memory.due == expected.due
    assert memory.reps == len(ratings)


def test_learning_steps_follow_the_settings():
    first = review(NEW, 3, now=NOW, settings=PLAIN)
    assert first.state == "learning" and first.due == NOW + timedelta(minutes=10)
    again = review(NEW, 1, now=NOW, settings=PLAIN)
    assert again.due == NOW + timedelta(minutes=1)
    custom = Settings(fuzz=False, learning_steps=(timedelta(minutes=5),))
    assert review(NEW, 1, now=NOW, settings=custom).due == NOW + timedelta(minutes=5)


def test_review_cards_come_due_at_4am_local_time():
    paris = Settings(fuzz=False, time_zone="Europe/Paris")
    memory = review(NEW, 4, now=NOW, settings=paris)  # Easy on a new card graduates at once
    assert memory.state == "review"
    local = memory.due.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert (local.hour, local.minute) == (4, 0)


def test_study_day_turns_at_4am_not_midnight():
    tokyo = Settings(time_zone="Asia/Tokyo")
    three_am = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # 03:00 on the 26th in Tokyo
    five_am = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # 05:00 on the 26th
    assert study_day(three_am, tokyo).day == 25
    assert study_day(five_am, tokyo).day == 26
    assert next_day_start(three_am, tokyo) == datetime(2026, 11, 25, 19, 0, tzinfo=UTC)


def test_lapses_count_again_on_review_cards_only():
    memory = review(NEW, 1, now=NOW, settings=PLAIN)
    assert memory.lapses == 0
    graduated = review(review(NEW, 4, now=NOW, settings=PLAIN), 1, now=NOW + timedelta(days=5), settings=PLAIN)
    assert graduated.state == "relearning" and graduated.lapses == 1


def test_preview_shows_every_rating_interval():
    intervals = preview(NEW, now=NOW, settings=Settings())
    assert [format_interval(intervals[r]) for r in (1, 2, 3)] == ["1m", "6m", "10m"]
    assert intervals[4] >= timedelta(days=1)


def test_fuzz_is_deterministic_and_within_fsrs_ranges():
    fuzzy = Settings(fuzz=True)
    memory = review(review(NEW, 4, now=NOW, settings=PLAIN), 3, now=NOW + timedelta(days=10), settings=PLAIN)
    later = NOW + timedelta(days=40)
    plain = review(memory, 3, now=later, settings=PLAIN)
    base_days = (plain.due - day_start(study_day(later, PLAIN), PLAIN)).days
    low, high = fuzz_range(base_days, fuzzy)
    results = {review(memory, 3, now=later, settings=fuzzy, seed=s).due for s in range(40)}
    assert len(results) > 1
    days = {(due - day_start(study_day(later, PLAIN), PLAIN)).days for due in results}
    assert min(days) >= low and max(days) <= high
    assert review(memory, 3, now=later, settings=fuzzy, seed=7) == review(memory, 3, now=later, settings=fuzzy, seed=7)


def test_retrievability_matches_fsrs():
    memory = review(NEW, 4, now=NOW, settings=PLAIN)
    later = NOW + timedelta(days=3)
    expected = Scheduler(enable_fuzzing=False).get_card_retrievability(
        Card(
            card_id=1,
            state=State.Review,
            step=None,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due,
            last_review=NOW,
        ),
        current_datetime=later,
    )
    assert retrievability(memory, now=later, settings=PLAIN) == pytest.approx(expected)
    assert retrievability(NEW, now=later, settings=PLAIN) is None


@pytest.mark.parametrize("bad", [datetime(2026, 1, 1), datetime(2026, 1, 1, tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Paris"))])
def test_naive_or_local_clocks_are_rejected(bad):
    with pytest.raises(ValueError, match="aware UTC"):
        review(NEW, 3, now=bad, settings=PLAIN)


@pytest.mark.parametrize("rating", [0, 5, -1, "3"])
def test_ratings_outside_1_to_4_are_rejected(rating):
    with pytest.raises(ValueError, match="rating must be"):
        review(NEW, rating, now=NOW, settings=PLAIN)


@pytest.mark.parametrize("retention", [0.5, 0.69, 0.98])
def test_retention_outside_the_allowed_range_is_rejected(retention):
    with pytest.raises(ValueError, match="desired retention"):
        Settings(desired_retention=retention)


def test_higher_retention_means_shorter_intervals():
    graduated = review(NEW, 4, now=NOW, settings=PLAIN)
    later = NOW + timedelta(days=5)
    short = review(graduated, 3, now=later, settings=Settings(fuzz=False, desired_retention=0.97)).due
    long = review(graduated, 3, now=later, settings=Settings(fuzz=False, desired_retention=0.80)).due
    assert short < long


def test_memory_round_trips_through_a_dict():
    memory = review(NEW, 3, now=NOW, settings=PLAIN)
    assert Memory.from_dict(memory.to_dict()) == memory


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=4), "4d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=400), "1.1y"),
    ],
)
def test_interval_labels(interval, label):
    assert format_interval(interval) == label


@pytest.mark.parametrize("days", [0, 1, 3, 10, 45, 400])
@pytest.mark.parametrize("ratings", [[3], [3, 3], [1, 3, 4], [4, 4, 4]])
def test_recall_of_stability_and_last_review_is_fsrs_retrievability(days, ratings):
    memory = NEW
    when = NOW
    for rating in ratings:
        memory = review(memory, rating, now=when, settings=PLAIN)
        when += timedelta(days=2)
    assert memory.stability is not None and memory.last_review is not None
    at = memory.last_review + timedelta(days=days, hours=5)
    (fast,) = recall_of([(memory.stability, memory.last_review)], now=at, settings=PLAIN)
    assert fast == pytest.approx(retrievability(memory, now=at, settings=PLAIN), abs=1e-12)
