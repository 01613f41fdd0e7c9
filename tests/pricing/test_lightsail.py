"""Lightsail calculator: bundles by the month or by the hour (monthly ÷ 744, capped), and the extras."""

import dataclasses
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.pricing.calculators import lightsail as calc
from studyapp.pricing.money import money
from tests.pricing.helpers import calculator

TABLE, bill, errors = calculator(calc)

MONTHLY = {  # the reference's table: with public IPv4, IPv6-only
    "nano": ("5.00", "3.50"),
    "micro": ("7.00", "5.00"),
    "small": ("12.00", "10.00"),
    "medium": ("24.00", "20.00"),
    "large": ("44.00", "40.00"),
    "xlarge": ("84.00", "80.00"),
    "2xlarge": ("164.00", "160.00"),
    "4xlarge": ("384.00", "380.00"),
}


def amounts(estimate) -> list[Decimal]:
    return [line.amount for line in estimate.lines]


def test_bundles_offered_are_the_tables():
    assert calc.BUNDLES == tuple(TABLE["bundles"]) == tuple(MONTHLY)


@pytest.mark.parametrize("bundle", list(MONTHLY))
@pytest.mark.parametrize("ipv6_only", [False, True])
def test_a_whole_month_costs_the_monthly_price(bundle, ipv6_only):
    price = Decimal(MONTHLY[bundle][ipv6_only])
    assert bill(bundle=bundle, ipv6_only=ipv6_only).total == price
    assert bill(bundle=bundle, ipv6_only=ipv6_only, hours=744).total == price  # 744 h is the whole month too


def test_hours_are_billed_at_the_monthly_price_over_744():
    estimate = bill(bundle="medium", hours=300)
    assert amounts(estimate) == [Decimal("9.68")]  # 300 × 24 ÷ 744 = 9.677…
    assert estimate.lines[0].formula == "300 hours × ($24.00 ÷ 744) per hour = $9.68"
    assert estimate.lines[0].label == "Instance (medium, public IPv4)"


def test_hourly_amount_uses_the_exact_rate_and_rounds_half_up():
    # 93 h × $5 ÷ 744 = $0.625 exactly: half-up gives $0.63 (a rate rounded to $0.0067 would give $0.62).
    assert bill(bundle="nano", hours=93).total == Decimal("0.63")


def test_hours_are_capped_at_the_monthly_price():
    # With a 720-hour billing month, 744 hours would come to $5.17 for nano: the cap keeps it at $5.00.
    short_month = dataclasses.replace(TABLE, prices={**TABLE.prices, "hours_per_month": Decimal(720)})
    estimate = bill(short_month, bundle="nano", hours=744)
    assert estimate.total == Decimal("5.00")
    assert estimate.lines[0].formula.endswith("(capped at the monthly $5.00)")


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ({"snapshot_gb": 40}, "40 GB-month × $0.05 per GB-month = $2.00"),
        ({"block_storage_gb": 100}, "100 GB-month × $0.10 per GB-month = $10.00"),
        ({"extra_transfer_gb": 200}, "200 GB × $0.09 per GB = $18.00"),
        ({"unattached_static_ip_hours": 100}, "100 hours × $0.005 per hour = $0.50"),
    ],
)
def test_extras(raw, line):
    estimate = bill(**raw)
    assert [item.formula for item in estimate.lines] == [line]
    assert "No bundle chosen: only the extras are billed." in estimate.notes


def test_a_bundle_with_extras_adds_them_up():
    estimate = bill(bundle="medium", hours=300, snapshot_gb=40, extra_transfer_gb=200, unattached_static_ip_hours=100)
    assert amounts(estimate) == [Decimal("9.68"), Decimal("2.00"), Decimal("18.00"), Decimal("0.50")]
    assert estimate.total == Decimal("30.18")


def test_total_is_the_sum_of_rounded_lines():
    # $0.625 of instance and $0.005 of static IP: $0.63 + $0.01 = $0.64 (the exact sum rounds to $0.63).
    estimate = bill(bundle="nano", hours=93, unattached_static_ip_hours=1)
    assert amounts(estimate) == [Decimal("0.63"), Decimal("0.01")]
    assert estimate.total == Decimal("0.64")


def test_without_a_bundle_hours_and_ipv6_are_unused():
    estimate = bill(hours=300, ipv6_only=True, snapshot_gb=10)
    assert estimate.total == Decimal("0.50")
    assert "No bundle chosen: only the extras are billed. Hours and IPv6-only apply to an instance, so they are unused." in estimate.notes


def test_defaults_make_a_valid_estimate():
    estimate = bill()
    assert estimate.lines == () and estimate.total == 0


def test_every_formula_ends_with_its_amount():
    estimate = bill(bundle="2xlarge", hours=500, snapshot_gb=100, block_storage_gb=64, extra_transfer_gb=50, unattached_static_ip_hours=24)
    assert all(line.formula.endswith(f"= {money(line.amount)}") for line in estimate.lines)


def test_every_problem_is_named_at_once():
    assert errors(bundle="huge", hours=745, snapshot_gb=-1, unattached_static_ip_hours="1.5") == {
        "bundle": ["must be one of nano, micro, small, medium, large, xlarge, 2xlarge, 4xlarge"],
        "hours": ["must be at most 744"],
        "snapshot_gb": ["must be at least 0"],
        "unattached_static_ip_hours": ["must be a whole number"],
    }


def test_an_empty_bundle_or_hours_means_none_and_the_whole_month():
    assert bill(bundle="", hours="").total == 0
    assert bill(bundle="small", hours="").total == Decimal("12.00")


# Properties --------------------------------------------------------------------------------------

USAGE = ("hours", "snapshot_gb", "block_storage_gb", "extra_transfer_gb", "unattached_static_ip_hours")
MAXIMA = {f.name: f.maximum for f in calc.FIELDS}
gb = st.decimals(min_value=0, max_value=100_000, places=2)


@st.composite
def scenarios(draw):
    return {
        "bundle": draw(st.sampled_from((None, *calc.BUNDLES))),
        "ipv6_only": draw(st.booleans()),
        "hours": draw(st.integers(0, 744)),
        "snapshot_gb": draw(gb),
        "block_storage_gb": draw(gb),
        "extra_transfer_gb": draw(gb),
        "unattached_static_ip_hours": draw(st.integers(0, 10_000)),
    }


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_totals_are_never_negative(raw):
    estimate = bill(**raw)
    assert estimate.total >= 0 and all(line.amount >= 0 for line in estimate.lines)


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.sampled_from(USAGE), st.integers(0, 100_000))
def test_more_usage_never_costs_less(raw, name, more):
    grown = {**raw, name: min(raw[name] + more, MAXIMA[name])}
    assert bill(**grown).total >= bill(**raw).total


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_no_hours_is_the_most_a_month_can_cost_and_ipv6_only_never_costs_more(raw):
    assert bill(**{**raw, "hours": None}).total >= bill(**raw).total
    assert bill(**{**raw, "ipv6_only": True}).total <= bill(**{**raw, "ipv6_only": False}).total


# Word problems -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(50))
def test_problems_round_trip(seed):
    text, raw = calc.problem(random.Random(seed), TABLE)
    assert text.endswith("?") and len(text) > 40
    estimate = bill(**raw)
    assert estimate.total > 0 and estimate.service == "lightsail"


def test_problems_vary_with_the_seed():
    assert len({calc.problem(random.Random(seed), TABLE)[0] for seed in range(50)}) > 20
