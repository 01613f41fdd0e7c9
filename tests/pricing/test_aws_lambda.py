"""The Lambda calculator: AWS's worked examples to the cent, the rounding rules one by one, input
validation, properties, and word problems."""

import random
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from studyapp.pricing.calculators import aws_lambda
from studyapp.pricing.money import InputError, parse
from tests.pricing.helpers import calculator

TABLE, bill, errors = calculator(aws_lambda)


def amounts(estimate) -> dict[str, Decimal]:
    return {line.label: line.amount for line in estimate.lines}


# --- the interface -------------------------------------------------------------------------------


def test_module_names_its_service_and_the_inputs_of_the_issue():
    assert (aws_lambda.SERVICE, aws_lambda.TITLE) == ("lambda", "AWS Lambda")
    assert [f.name for f in aws_lambda.FIELDS] == [
        "architecture",
        "requests",
        "duration_ms",
        "memory_mb",
        "ephemeral_storage_mb",
        "free_tier",
        "provisioned_concurrency",
        "pc_hours",
        "pc_requests",
        "pc_duration_ms",
    ]


def test_defaults_follow_the_issue():
    values = parse(aws_lambda.FIELDS, {})
    assert (values["duration_ms"], values["memory_mb"]) == (100, 128)
    assert values["architecture"] == "x86_64"
    assert values["requests"] == 0
    assert values["ephemeral_storage_mb"] == 512
    assert values["free_tier"] is True
    assert (values["provisioned_concurrency"], values["pc_hours"], values["pc_requests"], values["pc_duration_ms"]) == (0, 0, 0, 0)


def test_table_names_region_currency_date_and_source():
    assert (TABLE.service, TABLE.region, TABLE.currency, str(TABLE.effective)) == ("lambda", "us-east-1", "USD", "2026-11-01")
    assert TABLE.source == "https://aws.amazon.com/lambda/pricing/"


# --- AWS's worked examples -----------------------------------------------------------------------


def test_aws_example_3_million_requests_of_120_ms_at_1536_mb_costs_2_73():
    estimate = bill(requests=3_000_000, duration_ms=120, memory_mb=1536, architecture="x86_64", free_tier=True)
    assert amounts(estimate) == {"Requests": Decimal("0.40"), "Duration": Decimal("2.33")}
    assert estimate.total == Decimal("2.73")
    requests, duration = estimate.lines
    assert requests.formula == "3,000,000 requests − 1,000,000 free = 2,000,000 × $0.20 per million = $0.40"
    assert duration.formula == (
        "3,000,000 requests × 0.12 s × 1.5 GB = 540,000 GB-s − 400,000 free = 140,000 GB-s × $0.0000166667 per GB-s = $2.33"
    )
    assert duration.quantity == 140_000
    assert "The free tier covered 400,000 GB-seconds of on-demand duration." in estimate.notes


def test_aws_example_provisioned_concurrency_costs_19_96():
    estimate = bill(
        requests=2_500_000,
        duration_ms=120,
        memory_mb=1536,
        free_tier=True,
        provisioned_concurrency=100,
        pc_hours=8,
        pc_requests=500_000,
        pc_duration_ms=100,
    )
    assert amounts(estimate) == {
        "Requests": Decimal("0.40"),
        "Duration": Decimal("0.83"),
        "Provisioned concurrency": Decimal("18.00"),
        "Duration on provisioned concurrency": Decimal("0.73"),
    }
    assert estimate.total == Decimal("19.96")
    assert estimate.as_json()["total"] == "19.96"


# --- the rules one by one ------------------------------------------------------------------------


def test_each_line_is_rounded_half_up():
    # 25,000 requests × $0.20 per million = $0.005 exactly: half-up gives a cent (half-even would not).
    assert amounts(bill(requests=25_000, duration_ms=1, memory_mb=128, free_tier=False))["Requests"] == Decimal("0.01")


def test_total_is_the_sum_of_the_rounded_lines():
    # Requests $0.004 and duration 240 GB-s × $0.0000166667 = $0.004000008: each rounds to $0.00,
    # so the total is $0.00 although the exact sum ($0.008) would round to a cent.
    estimate = bill(requests=20_000, duration_ms=96, memory_mb=128, free_tier=False)
    assert [line.quantity for line in estimate.lines] == [20_000, 240]
    assert estimate.total == Decimal("0.00")


@pytest.mark.parametrize(("duration_ms", "billed_ms"), [("120", 120), ("120.1", 121), ("0.2", 1), ("999.999", 1000)])
def test_duration_is_rounded_up_to_the_millisecond(duration_ms, billed_ms):
    estimate = bill(requests=1_000_000, duration_ms=duration_ms, memory_mb=1024, free_tier=False)
    assert estimate.lines[1].quantity == Decimal(1_000_000 * billed_ms) / 1000


def test_memory_is_in_binary_gigabytes():
    # 1,000 MB is 1000/1024 GB, not 1 GB.
    estimate = bill(requests=1_000_000, duration_ms=1000, memory_mb=1000, free_tier=False)
    assert estimate.lines[1].quantity == Decimal("976562.5")


def test_free_tier_switch_off_bills_every_request_and_second():
    estimate = bill(requests=3_000_000, duration_ms=120, memory_mb=1536, free_tier=False)
    # 3M × $0.20/M = $0.60; 540,000 GB-s × $0.0000166667 = $9.000018
    assert amounts(estimate) == {"Requests": Decimal("0.60"), "Duration": Decimal("9.00")}


def test_free_requests_cover_provisioned_requests_but_free_seconds_do_not():
    estimate = bill(
        requests=0, duration_ms=100, memory_mb=1024, provisioned_concurrency=10, pc_hours=1, pc_requests=100_000, pc_duration_ms=100
    )
    lines = {line.label: line for line in estimate.lines}
    assert lines["Requests"].amount == 0
    assert lines["Duration on provisioned concurrency"].quantity == 10_000  # all of it billed
    assert lines["Duration on provisioned concurrency"].amount == Decimal("0.10")  # 10,000 × $0.0000097222


@pytest.mark.parametrize(("pc_hours", "billed_seconds"), [("8", 28_800), ("0.1", 600), ("1.01", 3_900), ("0.0001", 300)])
def test_provisioned_concurrency_is_billed_in_five_minute_steps(pc_hours, billed_seconds):
    estimate = bill(requests=0, duration_ms=1, memory_mb=1024, provisioned_concurrency=1, pc_hours=pc_hours)
    assert {line.label: line.quantity for line in estimate.lines}["Provisioned concurrency"] == billed_seconds


def test_arm_is_priced_with_its_own_rates():
    estimate = bill(
        requests=2_500_000,
        duration_ms=120,
        memory_mb=1536,
        architecture="arm64",
        provisioned_concurrency=100,
        pc_hours=8,
        pc_requests=500_000,
        pc_duration_ms=100,
    )
    # 50,000 × $0.0000133334 = $0.66667; 4,320,000 × $0.0000033334 = $14.400288; 75,000 × $0.0000077778 = $0.583335
    assert amounts(estimate) == {
        "Requests": Decimal("0.40"),
        "Duration": Decimal("0.67"),
        "Provisioned concurrency": Decimal("14.40"),
        "Duration on provisioned concurrency": Decimal("0.58"),
    }


def test_x86_duration_tiers_apply_after_the_free_tier():
    # 10 billion requests × 1 s × 1 GB = 10,000,000,000 GB-s; − 400,000 free = 9,999,600,000 GB-s:
    # 6 billion at $0.0000166667, the remaining 3,999,600,000 at $0.000015.
    estimate = bill(requests=10_000_000_000, duration_ms=1000, memory_mb=1024)
    tiers = [line for line in estimate.lines if line.label.startswith("Duration")]
    assert [(t.quantity, t.unit_price, t.amount) for t in tiers] == [
        (6_000_000_000, Decimal("0.0000166667"), Decimal("100000.20")),
        (3_999_600_000, Decimal("0.000015"), Decimal("59994.00")),
    ]
    assert tiers[0].label == "Duration, tier 1 (0 to 6,000,000,000 GB-s)"
    assert tiers[1].formula == "remaining 3,999,600,000 GB-s × $0.000015 per GB-s = $59,994.00"


def test_arm_duration_tiers_reach_the_third_tier():
    # 20 billion GB-s without the free tier: 7.5 billion, 11.25 billion, then 1.25 billion above 18.75 billion.
    estimate = bill(requests=10_000_000_000, duration_ms=1000, memory_mb=2048, architecture="arm64", free_tier=False)
    tiers = [line for line in estimate.lines if line.label.startswith("Duration")]
    assert [(t.quantity, t.unit_price) for t in tiers] == [
        (7_500_000_000, Decimal("0.0000133334")),
        (11_250_000_000, Decimal("0.0000120001")),
        (1_250_000_000, Decimal("0.0000106667")),
    ]
    assert tiers[2].label == "Duration, tier 3 (over 18,750,000,000 GB-s)"


def test_ephemeral_storage_above_512_mb_is_billed_for_every_second_run():
    assert "Ephemeral storage" not in amounts(bill(requests=1_000_000, duration_ms=1000, memory_mb=128))
    estimate = bill(requests=1_000_000_000, duration_ms=1000, memory_mb=128, ephemeral_storage_mb=10_240)
    storage = {line.label: line for line in estimate.lines}["Ephemeral storage"]
    # 1,000,000,000 s × 9.5 GB = 9,500,000,000 GB-s × $0.0000000309 = $293.55
    assert (storage.quantity, storage.amount) == (Decimal(9_500_000_000), Decimal("293.55"))


# --- validation ----------------------------------------------------------------------------------


def test_every_problem_with_a_field_is_named_at_once():
    assert errors(architecture="sparc", memory_mb=64, ephemeral_storage_mb=20_000, requests="many") == {
        "architecture": ["must be one of x86_64, arm64"],
        "requests": ["must be a number"],
        "memory_mb": ["must be at least 128"],
        "ephemeral_storage_mb": ["must be at most 10,240"],
    }


def test_memory_above_10240_mb_is_refused():
    assert errors(duration_ms=1, memory_mb=10_241) == {"memory_mb": ["must be at most 10,240"]}


def test_duration_beyond_the_15_minute_timeout_is_refused():
    assert errors(duration_ms=900_001, memory_mb=128) == {"duration_ms": ["must be at most 900,000"]}


def test_provisioned_requests_need_provisioned_concurrency_and_a_duration():
    assert errors(duration_ms=100, memory_mb=128, pc_requests=1000) == {
        "pc_requests": ["requests served by provisioned concurrency need provisioned_concurrency and pc_hours above 0"],
        "pc_duration_ms": ["give the duration of the requests served by provisioned concurrency"],
    }


def test_provisioned_requests_cannot_exceed_what_the_concurrency_can_serve():
    assert errors(duration_ms=100, memory_mb=128, provisioned_concurrency=1, pc_hours=1, pc_requests=36_001, pc_duration_ms=100) == {
        "pc_requests": ["provisioned concurrency of 1 for 1 h serves at most 36,000 requests of 100 ms; put the rest in requests"],
    }


# --- properties ----------------------------------------------------------------------------------

workloads = st.fixed_dictionaries(
    {
        "architecture": st.sampled_from(["x86_64", "arm64"]),
        "requests": st.integers(0, 10**11),
        "duration_ms": st.decimals(0, 900_000, places=2),
        "memory_mb": st.integers(128, 10_240),
        "ephemeral_storage_mb": st.integers(512, 10_240),
        "free_tier": st.booleans(),
        "provisioned_concurrency": st.integers(0, 2_000),
        "pc_hours": st.decimals(0, 744, places=2),
        "pc_requests": st.one_of(st.just(0), st.integers(0, 10**7)),
        "pc_duration_ms": st.decimals(0, 900_000, places=2),
    }
)


def valid(raw: dict[str, object]) -> bool:
    try:
        parse(aws_lambda.FIELDS, raw, check=aws_lambda.check)
    except InputError:
        return False
    return True


@given(workloads)
def test_total_is_never_negative(raw):
    assume(valid(raw))
    assert bill(**raw).total >= 0


@given(
    workloads,
    st.sampled_from(
        [
            "requests",
            "duration_ms",
            "memory_mb",
            "ephemeral_storage_mb",
            "provisioned_concurrency",
            "pc_hours",
            "pc_requests",
            "pc_duration_ms",
        ]
    ),
    st.integers(1, 10**6),
)
def test_total_never_drops_when_usage_grows(raw, name, more):
    grown = {**raw, name: Decimal(raw[name]) + more}
    assume(valid(raw) and valid(grown))
    assert bill(**grown).total >= bill(**raw).total


@given(workloads)
def test_free_tier_never_raises_the_bill(raw):
    assume(valid(raw))
    assert bill(**{**raw, "free_tier": True}).total <= bill(**{**raw, "free_tier": False}).total


# --- word problems -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(50))
def test_problem_inputs_parse_and_estimate(seed):
    text, raw = aws_lambda.problem(random.Random(seed), TABLE)
    assert text.endswith("what is the monthly bill?")
    estimate = bill(**raw)
    assert estimate.total > 0 or raw["free_tier"]


def test_problem_is_the_same_for_the_same_seed():
    assert aws_lambda.problem(random.Random(7), TABLE) == aws_lambda.problem(random.Random(7), TABLE)
