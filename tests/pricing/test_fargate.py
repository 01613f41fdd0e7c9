"""The Fargate calculator: AWS's worked example to the cent, the rounding and minimum rules, task
sizes and their messages, properties, and word problems."""

import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from studyapp.pricing.calculators import fargate
from studyapp.pricing.money import InputError, parse
from tests.pricing.helpers import calculator

TABLE, bill, errors = calculator(fargate)
EXAMPLE = {
    "os": "linux",
    "architecture": "x86_64",
    "tasks": 5 * 30,
    "duration_seconds": 10 * 60,
    "vcpu": 1,
    "memory_gb": 2,
    "ephemeral_storage_gb": 30,
}


def amounts(estimate) -> dict[str, Decimal]:
    return {line.label: line.amount for line in estimate.lines}


# --- the interface -------------------------------------------------------------------------------


def test_module_names_its_service_and_the_inputs_of_the_issue():
    assert (fargate.SERVICE, fargate.TITLE) == ("fargate", "AWS Fargate")
    assert [f.name for f in fargate.FIELDS] == [
        "os",
        "architecture",
        "tasks",
        "duration_seconds",
        "vcpu",
        "memory_gb",
        "ephemeral_storage_gb",
        "spot",
        "spot_discount_percent",
    ]


def test_defaults_follow_the_issue():
    values = parse(fargate.FIELDS, {}, check=fargate.check)
    assert (values["os"], values["architecture"], values["ephemeral_storage_gb"]) == ("linux", "x86_64", 20)
    # AWS's example without its extra storage: 150 runs of 10 minutes, 1 vCPU, 2 GB.
    assert (values["tasks"], values["duration_seconds"], values["vcpu"], values["memory_gb"]) == (150, 600, 1, 2)
    assert (values["spot"], values["spot_discount_percent"]) == (False, 70)


def test_table_names_region_currency_date_and_source():
    assert (TABLE.service, TABLE.region, TABLE.currency, str(TABLE.effective)) == ("fargate", "us-east-1", "USD", "2026-11-01")
    assert TABLE.source == "https://aws.amazon.com/fargate/pricing/"


# --- AWS's worked example ------------------------------------------------------------------------


def test_aws_example_5_tasks_a_day_for_10_minutes_costs_1_26():
    estimate = bill(**EXAMPLE)
    assert amounts(estimate) == {"vCPU": Decimal("1.01"), "Memory": Decimal("0.22"), "Ephemeral storage": Decimal("0.03")}
    assert estimate.total == Decimal("1.26")
    assert [line.formula for line in estimate.lines] == [
        "150 tasks × 600 s × 1 vCPU = 25 vCPU-hours × $0.04048 per vCPU-hour = $1.01",
        "150 tasks × 600 s × 2 GB = 50 GB-hours × $0.004445 per GB-hour = $0.22",
        "150 tasks × 600 s × 10 GB above the included 20 GB = 250 GB-hours × $0.000111 per GB-hour = $0.03",
    ]


# --- the rules one by one ------------------------------------------------------------------------


def test_each_line_is_rounded_half_up():
    # 125 tasks × 900 s × 1 vCPU = 31.25 vCPU-hours × $0.04048 = $1.265 exactly: half-up gives $1.27.
    estimate = bill(tasks=125, duration_seconds=900, vcpu=1, memory_gb=2)
    assert amounts(estimate)["vCPU"] == Decimal("1.27")


def test_total_is_the_sum_of_the_rounded_lines():
    # The example's exact lines add to $1.262; rounded first, they add to 1.01 + 0.22 + 0.03.
    estimate = bill(**EXAMPLE)
    assert estimate.total == sum(amounts(estimate).values())


@pytest.mark.parametrize(
    ("os", "duration", "billed"),
    [("linux", "30", 60), ("linux", "60", 60), ("linux", "61.2", 62), ("windows", "100", 300), ("windows", "301", 301)],
)
def test_runs_are_billed_per_second_with_the_minimum_of_their_os(os, duration, billed):
    estimate = bill(os=os, tasks=3600, duration_seconds=duration, vcpu=1, memory_gb=2)
    assert estimate.lines[0].quantity == billed  # 3,600 runs × billed s × 1 vCPU / 3,600 = billed vCPU-hours


def test_minimum_is_explained_in_a_note():
    assert (
        "Each 30 s run is billed as 60 s (the one-minute minimum on Linux)."
        in bill(tasks=1, duration_seconds=30, vcpu=1, memory_gb=2).notes
    )


def test_twenty_gb_of_storage_are_included():
    estimate = bill(tasks=3600, duration_seconds=3600, vcpu=1, memory_gb=2, ephemeral_storage_gb=20)
    assert "Ephemeral storage" not in amounts(estimate)
    assert "The first 20 GB of ephemeral storage are included." in estimate.notes
    storage = {line.label: line for line in bill(tasks=3600, duration_seconds=3600, vcpu=1, memory_gb=2, ephemeral_storage_gb=21).lines}
    assert storage["Ephemeral storage"].quantity == 3600  # 1 GB above 20, for 3,600 hours
    assert storage["Ephemeral storage"].amount == Decimal("0.40")  # × $0.000111 = $0.3996


def test_arm_is_priced_with_its_own_rates():
    estimate = bill(**{**EXAMPLE, "architecture": "arm64"})
    # 25 × $0.03238 = $0.8095; 50 × $0.00356 = $0.178
    assert amounts(estimate) == {"vCPU": Decimal("0.81"), "Memory": Decimal("0.18"), "Ephemeral storage": Decimal("0.03")}


def test_windows_adds_a_licence_per_vcpu_hour():
    estimate = bill(os="windows", tasks=150, duration_seconds=600, vcpu=1, memory_gb=2)
    # 25 × $0.09148 = $2.287; 50 × $0.01005 = $0.5025; 25 × $0.046 = $1.15
    assert amounts(estimate) == {"vCPU": Decimal("2.29"), "Memory": Decimal("0.50"), "Windows licence": Decimal("1.15")}


def test_spot_discounts_vcpu_and_memory_and_notes_the_saving():
    estimate = bill(**EXAMPLE, spot=True, spot_discount_percent=70)
    # 25 × $0.012144 = $0.3036; 50 × $0.0013335 = $0.066675; storage at full price
    assert amounts(estimate) == {"vCPU (Spot)": Decimal("0.30"), "Memory (Spot)": Decimal("0.07"), "Ephemeral storage": Decimal("0.03")}
    assert estimate.lines[0].formula == "150 tasks × 600 s × 1 vCPU = 25 vCPU-hours × $0.012144 per vCPU-hour ($0.04048 − 70%) = $0.30"
    assert any("saving $0.86" in note for note in estimate.notes)


def test_hours_that_do_not_come_out_even_are_shown_approximately():
    line = bill(tasks=1, duration_seconds=61, vcpu=1, memory_gb=2).lines[0]
    assert line.formula == "1 task × 61 s × 1 vCPU ≈ 0.016944 vCPU-hours × $0.04048 per vCPU-hour = $0.00"


# --- validation ----------------------------------------------------------------------------------


def test_quarter_vcpu_with_8_gb_names_the_allowed_sizes():
    with pytest.raises(InputError) as caught:
        parse(fargate.FIELDS, {"tasks": 1, "duration_seconds": 60, "vcpu": "0.25", "memory_gb": 8}, check=fargate.check)
    assert caught.value.errors == {"memory_gb": ["0.25 vCPU allows 0.5, 1 or 2 GB"]}
    assert str(caught.value) == "memory_gb: 0.25 vCPU allows 0.5, 1 or 2 GB"


@pytest.mark.parametrize(
    ("vcpu", "good", "bad", "message"),
    [
        ("0.25", ["0.5", "1", "2"], ["0.75", "3"], "0.25 vCPU allows 0.5, 1 or 2 GB"),
        ("0.5", ["1", "2", "3", "4"], ["0.5", "5", "1.5"], "0.5 vCPU allows 1 to 4 GB in 1 GB steps"),
        ("1", ["2", "8"], ["1", "9"], "1 vCPU allows 2 to 8 GB in 1 GB steps"),
        ("2", ["4", "16"], ["3", "17"], "2 vCPU allows 4 to 16 GB in 1 GB steps"),
        ("4", ["8", "30"], ["7", "31"], "4 vCPU allows 8 to 30 GB in 1 GB steps"),
        ("8", ["16", "20", "60"], ["18", "64"], "8 vCPU allows 16 to 60 GB in 4 GB steps"),
        ("16", ["32", "40", "120"], ["36", "24"], "16 vCPU allows 32 to 120 GB in 8 GB steps"),
    ],
)
def test_task_sizes(vcpu, good, bad, message):
    for memory in good:
        parse(fargate.FIELDS, {"tasks": 1, "duration_seconds": 60, "vcpu": vcpu, "memory_gb": memory}, check=fargate.check)
    for memory in bad:
        assert errors(tasks=1, duration_seconds=60, vcpu=vcpu, memory_gb=memory) == {"memory_gb": [message]}


def test_unknown_vcpu_is_refused():
    assert errors(tasks=1, duration_seconds=60, vcpu=3, memory_gb=8) == {"vcpu": ["must be 0.25, 0.5, 1, 2, 4, 8 or 16"]}


def test_windows_rules_are_all_named_at_once():
    assert errors(os="windows", architecture="arm64", spot=True, tasks=1, duration_seconds=60, vcpu="0.25", memory_gb=8) == {
        "architecture": ["Windows runs on x86_64 only"],
        "vcpu": ["Windows allows 1, 2 or 4 vCPU"],
        "memory_gb": ["0.25 vCPU allows 0.5, 1 or 2 GB"],
        "spot": ["Fargate Spot runs Linux tasks only"],
    }


def test_field_problems_are_all_named_at_once():
    assert errors(
        os="macos", tasks=-1, duration_seconds=0, vcpu="one", memory_gb=2, ephemeral_storage_gb=201, spot_discount_percent=101
    ) == {
        "os": ["must be one of linux, windows"],
        "tasks": ["must be at least 0"],
        "duration_seconds": ["must be at least 1"],
        "vcpu": ["must be a number"],
        "ephemeral_storage_gb": ["must be at most 200"],
        "spot_discount_percent": ["must be at most 100"],
    }


# --- properties ----------------------------------------------------------------------------------

SIZES = [("0.25", "0.5"), ("0.25", "2"), ("0.5", "3"), ("1", "8"), ("2", "5"), ("4", "30"), ("8", "44"), ("16", "120")]
WINDOWS_SIZES = [("1", "2"), ("2", "16"), ("4", "9")]


def workload(os: str, architectures: list[str], sizes: list[tuple[str, str]], spot: st.SearchStrategy[bool]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "os": st.just(os),
            "architecture": st.sampled_from(architectures),
            "tasks": st.integers(0, 10**6),
            "duration_seconds": st.decimals(1, 30 * 24 * 3600, places=1),
            "size": st.sampled_from(sizes),
            "ephemeral_storage_gb": st.integers(20, 190),
            "spot": spot,
            "spot_discount_percent": st.decimals(0, 100, places=1),
        }
    ).map(_spread_size)


def _spread_size(d: dict[str, Any]) -> dict[str, Any]:
    """A drawn ``size`` (vCPU, memory) as the two inputs it stands for."""
    return {**{k: v for k, v in d.items() if k != "size"}, "vcpu": d["size"][0], "memory_gb": d["size"][1]}


linux_workloads = workload("linux", ["x86_64", "arm64"], SIZES, st.booleans())
workloads = st.one_of(linux_workloads, workload("windows", ["x86_64"], WINDOWS_SIZES, st.just(False)))


def valid(raw: dict[str, object]) -> bool:
    try:
        parse(fargate.FIELDS, raw, check=fargate.check)
    except InputError:
        return False
    return True


@given(workloads)
def test_total_is_never_negative(raw):
    assume(valid(raw))
    assert bill(**raw).total >= 0


@given(workloads, st.sampled_from(["tasks", "duration_seconds", "ephemeral_storage_gb"]), st.integers(1, 10**4))
def test_total_never_drops_when_usage_grows(raw, name, more):
    grown = {**raw, name: Decimal(raw[name]) + more}
    assume(valid(raw) and valid(grown))
    assert bill(**grown).total >= bill(**raw).total


@given(linux_workloads)
def test_spot_never_raises_the_bill(raw):
    on_demand = {**raw, "spot": False}
    assert bill(**{**on_demand, "spot": True}).total <= bill(**on_demand).total


# --- word problems -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(50))
def test_problem_inputs_parse_and_estimate(seed):
    text, raw = fargate.problem(random.Random(seed), TABLE)
    assert text.startswith("A task on Fargate") and text.endswith("what is the monthly bill?")
    assert bill(**raw).total >= 0
