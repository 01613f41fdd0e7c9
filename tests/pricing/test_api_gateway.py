"""API Gateway calculator: AWS's worked examples to the cent, then the rules one by one."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.pricing.calculators import api_gateway as calc
from studyapp.pricing.money import money
from tests.pricing.helpers import calculator

TABLE, bill, errors = calculator(calc)


def amounts(estimate) -> list[Decimal]:
    return [line.amount for line in estimate.lines]


# AWS's worked examples ---------------------------------------------------------------------------


def test_aws_http_example_432_million_requests_of_12_kb():
    estimate = bill(api_type="http", requests=432_000_000, request_size_kb=12)
    assert amounts(estimate) == [Decimal("300.00"), Decimal("118.80")]
    assert estimate.total == Decimal("418.80")
    assert estimate.lines[0].formula == "432,000,000 requests: first 300,000,000 requests × $1.00 per million = $300.00"
    assert estimate.lines[1].formula == "next 132,000,000 requests × $0.90 per million = $118.80"


def test_aws_rest_example_5_million_calls_with_3_kb_responses_no_cache():
    estimate = bill(api_type="rest", requests=5_000_000, response_size_kb=3)
    assert amounts(estimate) == [Decimal("17.50"), Decimal("1.29")]
    assert estimate.total == Decimal("18.79")
    assert estimate.lines[1].formula == "5,000,000 responses × 3 KB = 15,000,000 KB ÷ 1,024² ≈ 14.31 GB × $0.09 per GB = $1.29"


def test_rest_transfer_gb_is_binary_and_priced_exactly():
    """15,000,000 KB ÷ 1,024² = 14.305… GB: $1.2875 → $1.29, AWS's figure (AWS rounds the GB to 14.3
    in its text, which gives the same cent). Decimal GB (15) would give $1.35."""
    transfer = bill(api_type="rest", requests=5_000_000, response_size_kb=3).lines[1]
    assert transfer.quantity == Decimal(15_000_000) / Decimal(1024**2) == Decimal("14.30511474609375")
    assert transfer.amount == Decimal("1.29") == (Decimal("14.3") * Decimal("0.09")).quantize(Decimal("0.01"))
    assert (Decimal(15) * Decimal("0.09")).quantize(Decimal("0.01")) != transfer.amount


# Metering units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size_kb", "units"), [("0", 1), ("0.5", 1), ("12", 1), ("512", 1), ("512.01", 2), ("513", 2), ("1024", 2), ("1025", 3), ("10240", 20)]
)
def test_http_requests_count_once_per_started_512_kb(size_kb, units):
    assert calc.metered_units(Decimal(size_kb), TABLE["http"]["metering_kb"]) == units
    assert bill(api_type="http", requests=1_000_000, request_size_kb=size_kb).total == Decimal(units)


@pytest.mark.parametrize(("size_kb", "units"), [("1", 1), ("32", 1), ("33", 2), ("64", 2), ("65", 3), ("128", 4)])
def test_websocket_messages_count_once_per_started_32_kb(size_kb, units):
    assert calc.metered_units(Decimal(size_kb), TABLE["websocket"]["metering_kb"]) == units
    assert bill(api_type="websocket", messages=1_000_000, message_size_kb=size_kb).total == Decimal(units)


def test_a_513_kb_request_shows_its_metering_in_the_formula_and_a_note():
    estimate = bill(api_type="http", requests=1_000_000, request_size_kb=513)
    assert estimate.lines[0].formula == "1,000,000 requests × 2 (513 KB in 512 KB units) = 2,000,000 requests × $1.00 per million = $2.00"
    assert "Each 513 KB request counts as 2 requests: HTTP APIs meter requests in 512 KB units." in estimate.notes


def test_rest_requests_cost_the_same_whatever_their_size():
    assert bill(api_type="rest", requests=1_000_000, request_size_kb=9_000).total == Decimal("3.50")


# Tiers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requests", "expected"),
    [
        (300_000_000, ["300.00"]),
        (301_000_000, ["300.00", "0.90"]),
    ],
)
def test_http_tiers(requests, expected):
    assert amounts(bill(api_type="http", requests=requests)) == [Decimal(a) for a in expected]


@pytest.mark.parametrize(
    ("requests", "expected"),
    [
        (333_000_000, ["1165.50"]),
        (334_000_000, ["1165.50", "2.80"]),
        (1_000_000_000, ["1165.50", "1867.60"]),
        (21_000_000_000, ["1165.50", "1867.60", "45220.00", "1510.00"]),
    ],
)
def test_rest_tiers(requests, expected):
    estimate = bill(api_type="rest", requests=requests)
    assert amounts(estimate) == [Decimal(a) for a in expected]


def test_rest_tier_lines_name_their_range():
    labels = [line.label for line in bill(api_type="rest", requests=21_000_000_000).lines]
    assert labels == [
        "REST API requests, first 333 million",
        "REST API requests, 333 million to 1 billion",
        "REST API requests, 1 billion to 20 billion",
        "REST API requests, over 20 billion",
    ]


def test_websocket_message_tiers():
    assert amounts(bill(api_type="websocket", messages=1_500_000_000)) == [Decimal("1000.00"), Decimal("400.00")]


def test_rest_transfer_out_tiers_start_after_10_tb():
    # 10,485,760 responses of 1,024 KB = exactly 10,240 GB (10 TB): all in the first tier.
    at_10_tb = bill(api_type="rest", requests=10_485_760, response_size_kb=1024)
    assert [line.amount for line in at_10_tb.lines if line.label.startswith("Data transfer")] == [Decimal("921.60")]
    # Twice as many: 10 TB at $0.09, then 10 TB at $0.085.
    at_20_tb = bill(api_type="rest", requests=20_971_520, response_size_kb=1024)
    transfer = [line for line in at_20_tb.lines if line.label.startswith("Data transfer")]
    assert [line.amount for line in transfer] == [Decimal("921.60"), Decimal("870.40")]
    assert [line.label for line in transfer] == ["Data transfer out, first 10 TB", "Data transfer out, 10 TB to 50 TB"]


# Cache, free tier, rounding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "hours", "amount"), [("0.5", 730, "14.60"), ("1.6", 730, "27.74"), ("237", 744, "2827.20"), ("6.1", 1, "0.20")]
)
def test_cache_is_billed_by_the_hour(size, hours, amount):
    estimate = bill(api_type="rest", requests=0, cache_gb=size, cache_hours=hours)
    assert amounts(estimate) == [Decimal(amount)]
    assert estimate.lines[0].label == f"Cache ({size} GB)"


def test_cache_hours_default_to_730():
    assert bill(api_type="rest", requests=0, cache_gb="0.5").lines[0].formula == "730 hours × $0.02 per hour = $14.60"
    assert bill(api_type="rest", requests=0, cache_gb="1.6").lines[0].formula == "730 hours × $0.038 per hour = $27.74"


def test_cache_sizes_offered_are_the_tables():
    assert [Decimal(size) for size in calc.CACHE_SIZES[1:]] == [tier["size_gb"] for tier in TABLE["rest"]["cache"]]


@pytest.mark.parametrize(
    ("raw", "total"),
    [
        ({"api_type": "http", "requests": 3_000_000}, "2.00"),
        ({"api_type": "rest", "requests": 3_000_000}, "7.00"),
        ({"api_type": "rest", "requests": 500_000}, "0.00"),
        ({"api_type": "websocket", "messages": 3_000_000, "connection_minutes": 1_750_000}, "2.25"),
    ],
)
def test_free_tier_takes_a_million_calls_or_messages_and_750000_minutes(raw, total):
    assert bill(**raw, free_tier=True).total == Decimal(total)


def test_free_tier_is_in_the_formula_and_off_by_default():
    assert bill(api_type="rest", requests=3_000_000).total == Decimal("10.50")
    estimate = bill(api_type="rest", requests=3_000_000, free_tier=True)
    assert estimate.lines[0].formula == "3,000,000 requests − 1,000,000 free = 2,000,000 × $3.50 per million = $7.00"
    assert "The free tier covered 1,000,000 requests." in estimate.notes


def test_the_free_tier_doesnt_cover_the_cache_or_transfer():
    estimate = bill(api_type="rest", requests=1_000_000, response_size_kb=1, cache_gb="0.5", free_tier=True)
    assert amounts(estimate) == [Decimal("0.00"), Decimal("0.09"), Decimal("14.60")]


def test_lines_round_half_up():
    # 5,000 requests × $1.00 per million = $0.005 exactly: half-up gives a cent (banker's rounding would give none).
    assert amounts(bill(api_type="http", requests=5_000)) == [Decimal("0.01")]


def test_total_is_the_sum_of_rounded_lines():
    # $0.005 of messages + $0.005 of connection minutes: each rounds to $0.01, so $0.02 (not $0.01).
    estimate = bill(api_type="websocket", messages=5_000, connection_minutes=20_000)
    assert amounts(estimate) == [Decimal("0.01"), Decimal("0.01")]
    assert estimate.total == Decimal("0.02")


def test_every_formula_ends_with_its_amount():
    estimate = bill(api_type="rest", requests=2_000_000_000, response_size_kb=100, cache_gb="13.5", free_tier=True)
    assert all(line.formula.endswith(f"= {money(line.amount)}") for line in estimate.lines)


def test_inputs_that_dont_apply_are_left_out_and_explained():
    http = bill(api_type="http", requests=1_000_000, response_size_kb=100, messages=9_000_000)
    assert http.total == Decimal("1.00")
    assert any("don't apply" in note for note in http.notes)
    websocket = bill(api_type="websocket", requests=9_000_000, messages=1_000_000)
    assert websocket.total == Decimal("1.00")


# Validation --------------------------------------------------------------------------------------


def test_defaults_make_a_valid_estimate():
    assert bill().total == Decimal("1.00")  # 1 million HTTP requests of 1 KB


@pytest.mark.parametrize("api_type", ["http", "websocket"])
def test_only_rest_apis_have_a_cache(api_type):
    name = {"http": "an HTTP API", "websocket": "a WebSocket API"}[api_type]
    assert errors(api_type=api_type, cache_gb="0.5") == {"cache_gb": [f"only REST APIs have a cache; choose 0 for {name}"]}


def test_every_problem_is_named_at_once():
    assert errors(api_type="soap", requests=-1, message_size_kb=200, cache_gb="2", colour="red") == {
        "colour": [
            "unknown input (allowed: api_type, cache_gb, cache_hours, connection_minutes, free_tier, message_size_kb, messages, request_size_kb, requests, response_size_kb)"
        ],
        "api_type": ["must be one of http, rest, websocket"],
        "requests": ["must be at least 0"],
        "message_size_kb": ["must be at most 128"],
        "cache_gb": ["must be one of 0, 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237"],
    }


def test_cache_hours_fit_in_a_month_and_requests_are_whole():
    assert errors(cache_hours=745, requests="1.5") == {"requests": ["must be a whole number"], "cache_hours": ["must be at most 744"]}


# Properties --------------------------------------------------------------------------------------

USAGE = ("requests", "request_size_kb", "response_size_kb", "cache_hours", "messages", "message_size_kb", "connection_minutes")
MAXIMA = {f.name: f.maximum for f in calc.FIELDS}
sizes = st.decimals(min_value=0, max_value=2048, places=2)


@st.composite
def scenarios(draw):
    api_type = draw(st.sampled_from(calc.API_TYPES))
    return {
        "api_type": api_type,
        "requests": draw(st.integers(0, 30_000_000_000)),
        "request_size_kb": draw(sizes),
        "response_size_kb": draw(sizes),
        "cache_gb": draw(st.sampled_from(calc.CACHE_SIZES)) if api_type == "rest" else "0",
        "cache_hours": draw(st.integers(0, 744)),
        "messages": draw(st.integers(0, 3_000_000_000)),
        "message_size_kb": draw(st.decimals(min_value=0, max_value=128, places=2)),
        "connection_minutes": draw(st.integers(0, 10**10)),
        "free_tier": draw(st.booleans()),
    }


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_totals_are_never_negative(raw):
    estimate = bill(**raw)
    assert estimate.total >= 0 and all(line.amount >= 0 for line in estimate.lines)


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.sampled_from(USAGE), st.integers(0, 10**9))
def test_more_usage_never_costs_less(raw, name, more):
    grown = {**raw, name: min(raw[name] + more, MAXIMA[name])}
    assert bill(**grown).total >= bill(**raw).total


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_the_free_tier_never_costs_more(raw):
    assert bill(**{**raw, "free_tier": True}).total <= bill(**{**raw, "free_tier": False}).total


# Word problems -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(50))
def test_problems_round_trip(seed):
    text, raw = calc.problem(random.Random(seed), TABLE)
    assert text.endswith("?") and len(text) > 40
    estimate = bill(**raw)
    assert estimate.total > 0 and estimate.service == "api_gateway"


def test_problems_vary_with_the_seed():
    assert len({calc.problem(random.Random(seed), TABLE)[0] for seed in range(50)}) > 20
