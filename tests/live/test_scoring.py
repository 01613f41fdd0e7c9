import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.live import scoring


@pytest.mark.parametrize(
    ("response_ms", "limit_ms", "points"),
    [
        (2000, 30000, 967),  # Kahoot's own example
        (0, 30000, 1000),
        (500, 30000, 1000),  # within 0.5 s: full points
        (501, 30000, 992),  # 1000 × (1 − 0.501/30/2) = 991.65 → 992
        (15000, 30000, 750),
        (30000, 30000, 500),  # at the limit: half
        (10000, 20000, 750),
        (3, 5000, 1000),
        (1250, 5000, 875),
        (1001, 2000, 750),  # 749.75 rounds half up to 750
    ],
)
def test_points_for_a_right_answer_follow_kahoots_formula(response_ms: int, limit_ms: int, points: int) -> None:
    assert scoring.base_points(response_ms=response_ms, limit_ms=limit_ms) == points


def test_a_half_point_rounds_up() -> None:
    # 1000 × (1 − 1/4/2) = 875 exactly; 1000 × (1 − 3/8/2) = 812.5 → 813
    assert scoring.base_points(response_ms=3000, limit_ms=8000) == 813


@pytest.mark.parametrize("response_ms", [30001, 45000])
def test_an_answer_after_the_limit_is_refused_right_or_wrong(response_ms: int) -> None:
    for correct in (True, False):
        with pytest.raises(scoring.TooLate):
            scoring.score(correct=correct, response_ms=response_ms, limit_ms=30000, streak_before=3)


@pytest.mark.parametrize(("streak", "bonus"), [(1, 0), (2, 100), (3, 200), (5, 400), (6, 500), (7, 500), (40, 500)])
def test_the_streak_bonus_grows_by_100_after_the_first_right_answer_up_to_500(streak: int, bonus: int) -> None:
    assert scoring.streak_bonus(streak) == bonus


def test_a_run_of_right_answers_then_a_wrong_one() -> None:
    streak, totals = 0, []
    for correct in (True, True, True, False, True):
        scored = scoring.score(correct=correct, response_ms=400, limit_ms=20000, streak_before=streak)
        streak = scored.streak
        totals.append((scored.points, scored.streak))
    assert totals == [(1000, 1), (1100, 2), (1200, 3), (0, 0), (1000, 1)]


def test_a_wrong_answer_scores_nothing_and_ends_the_streak() -> None:
    scored = scoring.score(correct=False, response_ms=100, limit_ms=20000, streak_before=4)
    assert (scored.points, scored.bonus, scored.streak, scored.correct) == (0, 0, 0, False)


@given(st.integers(min_value=1, max_value=240_000).flatmap(lambda limit: st.tuples(st.integers(0, limit), st.just(limit))))
def test_points_lie_between_500_and_1000_and_never_grow_with_time(pair: tuple[int, int]) -> None:
    response, limit = pair
    points = scoring.base_points(response_ms=response, limit_ms=limit)
    assert 500 <= points <= 1000
    if response < limit:
        assert scoring.base_points(response_ms=response + 1, limit_ms=limit) <= points


def test_standings_share_a_rank_on_equal_scores() -> None:
    ranked = scoring.standings([("cat", 900), ("Ann", 1200), ("bob", 900), ("dan", 100)])
    assert [(s.rank, s.nickname) for s in ranked] == [(1, "Ann"), (2, "bob"), (2, "cat"), (4, "dan")]


def test_rank_in_counts_those_who_scored_more() -> None:
    scores = sorted([100, 900, 900, 1200])
    assert [scoring.rank_in(p, scores) for p in (1200, 900, 100)] == [1, 2, 4]
