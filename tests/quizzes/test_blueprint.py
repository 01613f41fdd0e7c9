"""Drawing a mock exam by exam-domain weights, from balanced banks and from this course's lopsided one."""

import itertools
import random
from decimal import Decimal as D
from fractions import Fraction

import pytest

from studyapp.quizzes.blueprint import BankItem, Blueprint, draw, planned_counts, repeat_bound, shuffle_options, targets

DEFAULT_TARGETS = {"domain-1": 16, "domain-2": 19, "domain-3": 22, "domain-4": 8}
INELIGIBLE = [("single", 3), ("single", 5), ("multiple", 4), ("multiple", 3), ("truefalse", 2)]


def make_bank(per_domain: dict[str, int], *, ineligible_per_domain: int = 0, start: int = 1) -> list[BankItem]:
    """Eligible items (single answer with 4 options and multiple response with 5 or 6, alternating)
    plus, per domain, some that the default blueprint must skip."""
    ids = itertools.count(start)
    bank = []
    for domain, count in per_domain.items():
        for n in range(count):
            kind, options = [("single", 4), ("multiple", 5), ("single", 4), ("multiple", 6)][n % 4]
            bank.append(BankItem(id=next(ids), domain=domain, kind=kind, topic=f"topic-{n % 7}", option_count=options))
        for n in range(ineligible_per_domain):
            kind, options = INELIGIBLE[n % len(INELIGIBLE)]
            bank.append(BankItem(id=next(ids), domain=domain, kind=kind, topic="topic-x", option_count=options))
    return bank


BALANCED = make_bank({f"domain-{d}": 40 for d in range(1, 5)}, ineligible_per_domain=30)
COURSE = make_bank({"domain-1": 7, "domain-2": 7, "domain-3": 80, "domain-4": 6}, ineligible_per_domain=10)  # 80 % D3


def domains_of(bank: list[BankItem], ids) -> dict[str, int]:
    by_id = {item.id: item for item in bank}
    counts: dict[str, int] = {}
    for item_id in ids:
        counts[by_id[item_id].domain] = counts.get(by_id[item_id].domain, 0) + 1
    return counts


def test_default_targets_are_16_19_22_8():
    assert targets(Blueprint()) == DEFAULT_TARGETS
    assert sum(targets(Blueprint()).values()) == 65


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10, None, {"domain-1": 2, "domain-2": 3, "domain-3": 4, "domain-4": 1}),  # a .4 tie goes to the larger weight
        (0, None, {"domain-1": 0, "domain-2": 0, "domain-3": 0, "domain-4": 0}),
        (65, {"a": 1, "b": 1, "c": 1}, {"a": 22, "b": 22, "c": 21}),  # equal shares, ties by name
        (8, {"domain-1": 1, "domain-2": 3}, {"domain-1": 2, "domain-2": 6}),  # shares need not add up to 1
        (65, {"domain-1": 0.24, "domain-2": 0.30, "domain-3": 0.34, "domain-4": 0.12}, DEFAULT_TARGETS),  # floats
        (20, {"domain-3": D(1), "domain-4": D(0)}, {"domain-3": 20}),  # a zero weight is not a target
    ],
)
def test_targets_table(total, weights, expected):
    blueprint = Blueprint(total=total) if weights is None else Blueprint(total=total, weights=weights)
    assert targets(blueprint) == expected


@pytest.mark.parametrize("total", range(0, 201))
def test_targets_add_up_and_stay_within_one_of_the_quota(total):
    counts = targets(Blueprint(total=total))
    assert sum(counts.values()) == total
    for domain, share in Blueprint().shares().items():
        assert abs(counts[domain] - total * share) < 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"total": -1},
        {"weights": {}},
        {"weights": {"domain-1": -1, "domain-2": 2}},
        {"weights": {"domain-1": 0}},
        {"kinds": frozenset({"essay"})},
    ],
)
def test_blueprint_rejects_nonsense(kwargs):
    with pytest.raises(ValueError):
        Blueprint(**kwargs)


@pytest.mark.parametrize("seed", range(25))
def test_draw_from_a_balanced_bank_meets_the_blueprint(seed):
    result = draw(BALANCED, Blueprint(), rng=random.Random(seed))
    assert len(result.items) == 65 and result.missing == 0 and result.shortfall == {}
    assert len(set(result.items)) == 65
    counts = domains_of(BALANCED, result.items)
    assert counts == result.counts
    for domain, target in DEFAULT_TARGETS.items():
        assert abs(counts[domain] - target) <= 1


@pytest.mark.parametrize("seed", range(25))
def test_every_drawn_question_has_the_exam_format(seed):
    by_id = {item.id: item for item in BALANCED}
    for item in (by_id[i] for i in draw(BALANCED, Blueprint(), rng=random.Random(seed)).items):
        assert (item.kind, item.option_count) in {("single", 4), ("multiple", 5), ("multiple", 6)}


def test_ineligible_items_are_skipped_even_when_short():
    bank = make_bank({"domain-3": 10}, ineligible_per_domain=50)
    result = draw(bank, Blueprint(total=20, weights={"domain-3": 1}), rng=random.Random(1))
    assert sorted(result.items) == sorted(item.id for item in bank if item.topic != "topic-x")
    assert result.missing == 10 and result.shortfall == {"domain-3": 10}


def test_truefalse_is_drawn_only_when_allowed():
    bank = [BankItem(id=i, domain="domain-1", kind="truefalse", topic="t", option_count=2) for i in range(5)]
    bank.append(BankItem(id=99, domain="domain-1", kind="truefalse", topic="t", option_count=3))
    allowed = Blueprint(total=5, weights={"domain-1": 1}, kinds=frozenset({"single", "multiple", "truefalse"}))
    assert sorted(draw(bank, allowed, rng=random.Random(0)).items) == [0, 1, 2, 3, 4]
    assert draw(bank, Blueprint(total=5, weights={"domain-1": 1}), rng=random.Random(0)).items == ()


def test_duplicate_ids_in_the_bank_are_drawn_once():
    bank = make_bank({"domain-1": 3})
    result = draw(bank + bank, Blueprint(total=10, weights={"domain-1": 1}), rng=random.Random(0))
    assert sorted(result.items) == [1, 2, 3] and result.missing == 7


def test_same_seed_same_draw_and_different_seeds_differ():
    first = draw(BALANCED, Blueprint(), rng=random.Random(42))
    assert draw(BALANCED, Blueprint(), rng=random.Random(42)) == first
    others = {draw(BALANCED, Blueprint(), rng=random.Random(seed)).items for seed in range(10)}
    assert len(others) == 10


def test_shuffle_options_is_a_seeded_permutation():
    orders = {shuffle_options(5, rng=random.Random(seed)) for seed in range(20)}
    assert all(sorted(order) == [0, 1, 2, 3, 4] for order in orders)
    assert len(orders) > 1
    assert shuffle_options(4, rng=random.Random(7)) == shuffle_options(4, rng=random.Random(7))
    assert shuffle_options(0, rng=random.Random(7)) == ()
    with pytest.raises(ValueError):
        shuffle_options(-1, rng=random.Random(7))


@pytest.mark.parametrize("seed", range(10))
def test_a_bank_that_is_mostly_domain_3_still_gives_65_and_reports_the_shortfall(seed):
    result = draw(COURSE, Blueprint(), rng=random.Random(seed))
    assert len(result.items) == len(set(result.items)) == 65 and result.missing == 0
    assert result.shortfall == {"domain-1": 9, "domain-2": 12, "domain-4": 2}
    assert result.counts == {"domain-1": 7, "domain-2": 7, "domain-3": 45, "domain-4": 6}
    assert domains_of(COURSE, result.items) == result.counts


@pytest.mark.parametrize("seed", range(10))
def test_a_short_domain_is_made_up_by_the_others_in_proportion(seed):
    bank = make_bank({"domain-1": 5, "domain-2": 100, "domain-3": 100, "domain-4": 100})
    result = draw(bank, Blueprint(), rng=random.Random(seed))
    assert len(result.items) == 65 and result.shortfall == {"domain-1": 11}
    assert result.counts["domain-1"] == 5
    rest = {"domain-2": Fraction(30), "domain-3": Fraction(34), "domain-4": Fraction(12)}
    for domain, weight in rest.items():  # the 60 other seats, re-apportioned 30:34:12
        assert abs(result.counts[domain] - 60 * weight / 76) < 1


def test_a_bank_smaller_than_the_exam_gives_all_it_has():
    bank = make_bank({"domain-1": 2, "domain-2": 2, "domain-3": 24, "domain-4": 2}, ineligible_per_domain=5)
    result = draw(bank, Blueprint(), rng=random.Random(3))
    assert sorted(result.items) == sorted(item.id for item in bank if item.topic != "topic-x")
    assert result.missing == 35
    assert result.shortfall == {"domain-1": 14, "domain-2": 17, "domain-4": 6}
    assert result.counts == {"domain-1": 2, "domain-2": 2, "domain-3": 24, "domain-4": 2}


def test_an_empty_bank_gives_an_empty_exam():
    result = draw([], Blueprint(), rng=random.Random(0))
    assert result.items == () and result.missing == 65 and result.shortfall == DEFAULT_TARGETS


def test_domains_without_weight_are_never_drawn():
    result = draw(BALANCED, Blueprint(total=10, weights={"domain-3": 1}), rng=random.Random(0))
    assert domains_of(BALANCED, result.items) == {"domain-3": 10}


def test_draw_from_a_10000_question_bank():
    bank = make_bank({"domain-1": 800, "domain-2": 700, "domain-3": 8000, "domain-4": 500}, ineligible_per_domain=250)
    assert len(bank) == 11_000
    result = draw(bank, Blueprint(), rng=random.Random(2026))
    assert len(result.items) == len(set(result.items)) == 65
    assert result.counts == DEFAULT_TARGETS == domains_of(bank, result.items) and result.shortfall == {}


# --- what the start page states (issue 11) ---------------------------------------------------


def test_planned_counts_cap_a_short_domain_and_share_its_seats_by_weight():
    bank = make_bank({"domain-1": 40, "domain-2": 11, "domain-3": 40, "domain-4": 40}, ineligible_per_domain=5)
    assert planned_counts(bank, Blueprint()) == {"domain-1": 19, "domain-2": 11, "domain-3": 26, "domain-4": 9}


@pytest.mark.parametrize(
    ("per_domain", "expected"),
    [
        ({f"domain-{d}": 40 for d in range(1, 5)}, DEFAULT_TARGETS),  # a full bank: the exam's own counts
        ({"domain-1": 7, "domain-2": 7, "domain-3": 80, "domain-4": 6}, {"domain-1": 7, "domain-2": 7, "domain-3": 45, "domain-4": 6}),
        ({"domain-1": 3, "domain-3": 2}, {"domain-1": 3, "domain-2": 0, "domain-3": 2, "domain-4": 0}),  # too small: all of it
        ({}, {"domain-1": 0, "domain-2": 0, "domain-3": 0, "domain-4": 0}),
    ],
)
def test_planned_counts_table(per_domain, expected):
    assert planned_counts(make_bank(per_domain, ineligible_per_domain=4), Blueprint()) == expected


@pytest.mark.parametrize("seed", range(20))
def test_planned_counts_are_what_the_draw_draws(seed):
    rng = random.Random(seed)
    bank = make_bank({f"domain-{d}": rng.randint(0, 30) for d in range(1, 5)}, ineligible_per_domain=rng.randint(0, 5))
    blueprint = Blueprint(total=rng.randint(0, 80))
    assert planned_counts(bank, blueprint) == draw(bank, blueprint, rng=random.Random(seed)).counts


# --- two mocks in a row (issue 13, point 2) ----------------------------------------------------


@pytest.mark.parametrize(
    ("pools", "bound"),
    [
        ({"domain-1": 32, "domain-2": 38, "domain-3": 44, "domain-4": 16}, {"domain-1": 0, "domain-2": 0, "domain-3": 0, "domain-4": 0}),
        ({"domain-1": 20, "domain-2": 38, "domain-3": 30, "domain-4": 8}, {"domain-1": 12, "domain-2": 0, "domain-3": 14, "domain-4": 8}),
    ],
)
def test_a_second_draw_avoiding_the_first_repeats_exactly_the_bound(pools, bound):
    bank = make_bank(pools, ineligible_per_domain=5)
    blueprint = Blueprint()
    assert repeat_bound(bank, blueprint) == bound  # max(0, 2 × count − pool) per domain
    for seed in range(5):
        first = draw(bank, blueprint, rng=random.Random(seed))
        second = draw(bank, blueprint, rng=random.Random(seed + 100), avoid=frozenset(first.items))
        assert second.counts == first.counts == DEFAULT_TARGETS  # the same counts: only which questions changes
        assert domains_of(bank, set(first.items) & set(second.items)) == {d: n for d, n in bound.items() if n}


def test_a_draw_that_avoids_a_previous_one_replays_under_its_seed_and_avoiding_nothing_draws_as_before():
    bank = make_bank({"domain-1": 20, "domain-2": 25, "domain-3": 30, "domain-4": 9})
    previous = draw(bank, Blueprint(), rng=random.Random(1)).items
    again = [draw(bank, Blueprint(), rng=random.Random(7), avoid=set(previous)).items for _ in range(2)]
    assert again[0] == again[1]
    assert draw(bank, Blueprint(), rng=random.Random(7), avoid=frozenset()) == draw(bank, Blueprint(), rng=random.Random(7))


def test_repeat_bound_follows_what_a_short_bank_really_draws():
    # Domain 2 has 7: the mock takes all 7 (bound 7) and the others make up its 12 missing seats by weight.
    bank = make_bank({"domain-1": 40, "domain-2": 7, "domain-3": 40, "domain-4": 40})
    counts = planned_counts(bank, Blueprint())
    assert repeat_bound(bank, Blueprint()) == {d: max(0, 2 * n - (7 if d == "domain-2" else 40)) for d, n in counts.items()}
    assert repeat_bound(bank, Blueprint())["domain-2"] == 7
