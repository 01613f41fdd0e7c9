"""ECR calculator: storage, free allowances and tiered transfer out, to the cent."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.pricing.calculators import ecr as calc
from studyapp.pricing.money import money
from tests.pricing.helpers import calculator

TABLE, bill, errors = calculator(calc)


def amounts(estimate) -> list[Decimal]:
    return [line.amount for line in estimate.lines]


def test_private_storage_per_gb_month():
    estimate = bill(storage_gb=120)
    assert amounts(estimate) == [Decimal("12.00")]
    assert estimate.lines[0].formula == "120 GB-month × $0.10 per GB-month = $12.00"


def test_private_free_tier_is_500_mb_in_binary_gb():
    estimate = bill(storage_gb=10, free_tier=True)
    assert estimate.lines[0].quantity == Decimal("9.51171875")  # 10 − 500 ÷ 1,024
    assert estimate.lines[0].formula == "10 GB-month − 0.48828125 free (500 MB ÷ 1,024) = 9.51171875 × $0.10 per GB-month = $0.95"
    # 5.04 GB: binary leaves 4.55171875 GB → $0.455… → $0.46; a decimal 0.5 GB would leave $0.454 → $0.45.
    assert bill(storage_gb="5.04", free_tier=True).total == Decimal("0.46")
    assert bill(storage_gb="0.3", free_tier=True).total == Decimal("0.00")


def test_transfer_out_after_the_free_100_gb():
    assert bill(storage_gb=0, internet_egress_gb=100).total == Decimal("0.00")
    assert bill(storage_gb=0, internet_egress_gb=100, free_egress_gb=0).total == Decimal("9.00")
    estimate = bill(storage_gb=0, internet_egress_gb=500)
    assert estimate.lines[0].formula == "500 GB − 100 free = 400 × $0.09 per GB = $36.00"


@pytest.mark.parametrize(
    ("egress", "free", "expected"),
    [
        (10_340, 100, ["921.60"]),  # exactly 10 TB billed
        (15_000, 100, ["921.60", "396.10"]),
        (200_000, 0, ["921.60", "3481.60", "7168.00", "2320.00"]),
    ],
)
def test_transfer_out_tiers(egress, free, expected):
    estimate = bill(storage_gb=0, internet_egress_gb=egress, free_egress_gb=free)
    assert amounts(estimate) == [Decimal(a) for a in expected]


def test_transfer_tier_lines_name_their_range():
    labels = [line.label for line in bill(storage_gb=0, internet_egress_gb=200_000, free_egress_gb=0).lines]
    assert labels == [
        "Transfer out to the internet, first 10 TB",
        "Transfer out to the internet, 10 TB to 50 TB",
        "Transfer out to the internet, 50 TB to 150 TB",
        "Transfer out to the internet, over 150 TB",
    ]


@pytest.mark.parametrize("free_tier", [False, True])
def test_public_allowances_apply_always(free_tier):
    estimate = bill(storage_gb=0, public_storage_gb=70, public_anonymous_egress_gb=500, free_tier=free_tier)
    assert amounts(estimate) == [Decimal("2.00"), Decimal("0.00")]
    assert estimate.lines[0].formula == "70 GB-month − 50 free = 20 × $0.10 per GB-month = $2.00"
    assert bill(storage_gb=0, public_storage_gb=40, free_tier=free_tier).total == 0


def test_lines_round_half_up_and_total_is_the_sum_of_rounded_lines():
    # 0.05 GB × $0.10 = $0.005 → $0.01 on each of two lines: $0.02 (exact sum $0.01).
    estimate = bill(storage_gb="0.05", public_storage_gb="50.05")
    assert amounts(estimate) == [Decimal("0.01"), Decimal("0.01")]
    assert estimate.total == Decimal("0.02")


def test_every_formula_ends_with_its_amount():
    estimate = bill(storage_gb=300, internet_egress_gb=60_000, public_storage_gb=80, public_anonymous_egress_gb=450, free_tier=True)
    assert all(line.formula.endswith(f"= {money(line.amount)}") for line in estimate.lines)


def test_defaults_make_a_valid_estimate():
    assert bill().total == Decimal("1.00")  # 10 GB of private images


def test_every_problem_is_named_at_once():
    assert errors(storage_gb=-1, free_egress_gb=150, public_anonymous_egress_gb=600, free_tier="maybe") == {
        "storage_gb": ["must be at least 0"],
        "free_egress_gb": ["must be at most 100"],
        "public_anonymous_egress_gb": ["must be at most 500"],
        "free_tier": ["must be true or false"],
    }


# Properties --------------------------------------------------------------------------------------

USAGE = ("storage_gb", "internet_egress_gb", "public_storage_gb", "public_anonymous_egress_gb")
MAXIMA = {f.name: f.maximum for f in calc.FIELDS}
gb = st.decimals(min_value=0, max_value=300_000, places=3)


@st.composite
def scenarios(draw):
    return {
        "storage_gb": draw(gb),
        "internet_egress_gb": draw(gb),
        "free_egress_gb": draw(st.decimals(min_value=0, max_value=100, places=2)),
        "public_storage_gb": draw(gb),
        "public_anonymous_egress_gb": draw(st.decimals(min_value=0, max_value=500, places=2)),
        "free_tier": draw(st.booleans()),
    }


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_totals_are_never_negative(raw):
    estimate = bill(**raw)
    assert estimate.total >= 0 and all(line.amount >= 0 for line in estimate.lines)


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.sampled_from(USAGE), st.decimals(min_value=0, max_value=200_000, places=3))
def test_more_usage_never_costs_less(raw, name, more):
    grown = {**raw, name: min(raw[name] + more, MAXIMA[name])}
    assert bill(**grown).total >= bill(**raw).total


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.decimals(min_value=0, max_value=100, places=2))
def test_the_free_tier_and_free_transfer_never_cost_more(raw, more_free):
    assert bill(**{**raw, "free_tier": True}).total <= bill(**{**raw, "free_tier": False}).total
    grown = min(raw["free_egress_gb"] + more_free, Decimal(100))
    assert bill(**{**raw, "free_egress_gb": grown}).total <= bill(**raw).total


# Word problems -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(50))
def test_problems_round_trip(seed):
    text, raw = calc.problem(random.Random(seed), TABLE)
    assert text.endswith("?") and len(text) > 40
    estimate = bill(**raw)
    assert estimate.total >= 0 and estimate.service == "ecr"


def test_problems_vary_with_the_seed():
    assert len({calc.problem(random.Random(seed), TABLE)[0] for seed in range(50)}) > 20
