"""The Batch calculator: $0 of its own on top of EC2 On-Demand, EC2 Spot or Fargate (through
Fargate's own fields and estimate), the EC2 billing rules, validation, properties, and word problems."""

import copy
import random
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from studyapp.pricing.calculators import batch, fargate
from studyapp.pricing.money import InputError, parse
from studyapp.pricing.tables import load_table
from tests.pricing.helpers import PRICES, calculator

TABLE, bill, errors = calculator(batch)
FARGATE_TABLE = load_table(PRICES, "fargate")
FARGATE_EXAMPLE = {"tasks": 150, "duration_seconds": 600, "vcpu": 1, "memory_gb": 2, "ephemeral_storage_gb": 30}


def amounts(estimate) -> dict[str, Decimal]:
    return {line.label: line.amount for line in estimate.lines}


# --- the interface and the table -----------------------------------------------------------------


def test_module_names_its_service_and_the_inputs_of_the_issue():
    assert (batch.SERVICE, batch.TITLE) == ("batch", "AWS Batch")
    names = [f.name for f in batch.FIELDS]
    assert names[:5] == ["compute", "instance_type", "instances", "hours", "spot_hourly"]
    assert names[5:] == [f.name for f in fargate.FIELDS]  # with compute=fargate, the Fargate inputs


def test_instance_types_offered_are_the_ones_priced():
    choices = {f.name: f for f in batch.FIELDS}["instance_type"].choices
    assert set(choices) == set(TABLE["ec2"]["on_demand_hourly"])


def test_fargate_prices_in_batch_toml_match_fargate_toml():
    assert batch.fargate_prices(TABLE).prices == FARGATE_TABLE.prices
    assert batch.fargate_prices(TABLE).source == FARGATE_TABLE.source


def test_table_names_region_currency_date_and_source():
    assert (TABLE.service, TABLE.region, TABLE.currency, str(TABLE.effective)) == ("batch", "us-east-1", "USD", "2026-11-01")
    assert TABLE.source == "https://aws.amazon.com/batch/pricing/"


# --- EC2 On-Demand -------------------------------------------------------------------------------


def test_on_demand_instances_plus_nothing_for_batch():
    estimate = bill(compute="ec2", instance_type="m5.large", instances=4, hours=10)
    assert amounts(estimate) == {"EC2 On-Demand (m5.large)": Decimal("3.84"), "AWS Batch": Decimal("0.00")}
    assert estimate.total == Decimal("3.84")
    assert estimate.lines[0].formula == "4 instances × 10 h = 40 instance-hours × $0.096 per hour = $3.84"
    assert "AWS Batch adds $0: the jobs pay only for the EC2 instances they run on." in estimate.notes


@pytest.mark.parametrize(
    ("instance_type", "hourly"),
    [("t3.medium", "0.0416"), ("m5.large", "0.096"), ("c5.large", "0.085"), ("c5.2xlarge", "0.34"), ("c5.4xlarge", "0.68")],
)
def test_reference_on_demand_prices(instance_type, hourly):
    assert bill(instance_type=instance_type, instances=100, hours=1).total == Decimal(hourly) * 100


def test_each_line_is_rounded_half_up():
    # 1 c5.large for an hour: $0.085 exactly; half-up gives $0.09 (half-even would give $0.08).
    assert bill(instance_type="c5.large", instances=1, hours=1).total == Decimal("0.09")


@pytest.mark.parametrize(("hours", "billed_seconds"), [("0.01", 60), ("0.0001", 60), ("0.5", 1800), ("1.00001", 3601), ("0", 0)])
def test_instances_are_billed_per_second_with_a_60_second_minimum(hours, billed_seconds):
    estimate = bill(instance_type="c5.4xlarge", instances=3600, hours=hours)
    assert estimate.lines[0].quantity == billed_seconds  # 3,600 instances × billed s / 3,600


# --- EC2 Spot ------------------------------------------------------------------------------------


def test_spot_uses_the_given_price_and_notes_the_saving():
    estimate = bill(compute="spot", instance_type="c5.2xlarge", instances=10, hours=24, spot_hourly="0.119")
    assert amounts(estimate) == {"EC2 Spot (c5.2xlarge)": Decimal("28.56"), "AWS Batch": Decimal("0.00")}
    assert estimate.notes[0] == (
        "On-Demand c5.2xlarge at $0.34 an hour would cost $81.60: Spot saves $53.04 (65%), "
        "but AWS can reclaim the instances with two minutes' notice."
    )


def test_spot_at_the_on_demand_price_saves_nothing():
    estimate = bill(compute="spot", instance_type="m5.large", instances=1, hours=1, spot_hourly="0.096")
    assert estimate.notes[0] == "This Spot price is not below the On-Demand price ($0.096 an hour): no saving."


# --- Fargate -------------------------------------------------------------------------------------


def test_on_fargate_it_is_fargates_bill_plus_nothing():
    estimate = bill(compute="fargate", **FARGATE_EXAMPLE)
    assert amounts(estimate) == {
        "vCPU": Decimal("1.01"),
        "Memory": Decimal("0.22"),
        "Ephemeral storage": Decimal("0.03"),
        "AWS Batch": Decimal("0.00"),
    }
    assert estimate.total == Decimal("1.26")
    assert estimate.service == "batch"
    on_fargate = fargate.estimate(parse(fargate.FIELDS, FARGATE_EXAMPLE, check=fargate.check), FARGATE_TABLE)
    assert estimate.lines[:-1] == on_fargate.lines


def test_fargate_table_can_be_passed_in():
    values = parse(batch.FIELDS, {"compute": "fargate", **FARGATE_EXAMPLE}, check=batch.check)
    cheaper = copy.deepcopy(FARGATE_TABLE)
    cheaper.prices["compute"]["linux"]["x86_64"] = {"vcpu_hour": Decimal("0.01"), "gb_hour": Decimal("0.001")}
    estimate = batch.estimate(values, TABLE, fargate_table=cheaper)
    assert amounts(estimate)["vCPU"] == Decimal("0.25")  # 25 vCPU-hours × $0.01
    assert batch.estimate(values, TABLE, fargate_table=FARGATE_TABLE).total == Decimal("1.26")


def test_fargate_spot_through_batch():
    estimate = bill(compute="fargate", spot=True, spot_discount_percent=70, **FARGATE_EXAMPLE)
    assert estimate.total == Decimal("0.40")  # 0.30 + 0.07 + 0.03


# --- validation ----------------------------------------------------------------------------------


def test_defaults_price_one_on_demand_instance_for_a_730_hour_month():
    values = parse(batch.FIELDS, {}, check=batch.check)
    assert (values["compute"], values["instance_type"], values["instances"], values["hours"]) == ("ec2", "m5.large", 1, 730)
    assert values["spot_hourly"] is None
    assert batch.estimate(values, TABLE).total == Decimal("70.08")  # 730 h × $0.096


def test_spot_needs_its_price():
    assert errors(compute="spot", instance_type="m5.large", instances=1, hours=1) == {"spot_hourly": ["required when compute is spot"]}


def test_fargate_rules_apply_through_batch():
    with pytest.raises(InputError) as caught:
        parse(batch.FIELDS, {"compute": "fargate", "tasks": 1, "duration_seconds": 60, "vcpu": "0.25", "memory_gb": 8}, check=batch.check)
    assert str(caught.value) == "memory_gb: 0.25 vCPU allows 0.5, 1 or 2 GB"


def test_field_problems_are_all_named_at_once():
    assert errors(compute="lambda", instance_type="x1.large", instances=0, hours=745, spot_hourly=-1) == {
        "compute": ["must be one of ec2, spot, fargate"],
        "instance_type": ["must be one of t3.medium, m5.large, c5.large, c5.2xlarge, c5.4xlarge"],
        "instances": ["must be at least 1"],
        "hours": ["must be at most 744"],
        "spot_hourly": ["must be at least 0"],
    }


def test_ec2_inputs_ignore_fargate_defaults():
    # A form sends every field; the Fargate ones do not matter when compute is ec2.
    assert bill(compute="ec2", instance_type="t3.medium", instances=1, hours=10, os="linux", spot=False).total == Decimal("0.42")


# --- properties ----------------------------------------------------------------------------------

fleets = st.fixed_dictionaries(
    {
        "compute": st.sampled_from(["ec2", "spot"]),
        "instance_type": st.sampled_from(batch.INSTANCE_TYPES),
        "instances": st.integers(1, 10_000),
        "hours": st.decimals(0, 744, places=4),
        "spot_hourly": st.decimals(0, 1, places=4),
    }
)


def valid(raw: dict[str, object]) -> bool:
    try:
        parse(batch.FIELDS, raw, check=batch.check)
    except InputError:
        return False
    return True


@given(fleets)
def test_total_is_never_negative(raw):
    assert bill(**raw).total >= 0


@given(fleets, st.sampled_from(["instances", "hours", "spot_hourly"]), st.decimals(0, 100, places=4))
def test_total_never_drops_when_usage_grows(raw, name, more):
    grown = {**raw, name: Decimal(raw[name]) + more if name != "instances" else raw[name] + int(more)}
    assume(valid(grown))
    assert bill(**grown).total >= bill(**raw).total


@given(fleets)
def test_spot_below_on_demand_never_costs_more(raw):
    on_demand = {**raw, "compute": "ec2"}
    assume(Decimal(raw["spot_hourly"]) <= TABLE["ec2"]["on_demand_hourly"][raw["instance_type"]])
    assert bill(**{**raw, "compute": "spot"}).total <= bill(**on_demand).total


# --- word problems -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(50))
def test_problem_inputs_parse_and_estimate(seed):
    text, raw = batch.problem(random.Random(seed), TABLE)
    assert text.startswith("An AWS Batch") and text.endswith("what is the monthly bill?")
    assert bill(**raw).total >= 0


def test_problems_cover_every_kind_of_compute():
    assert {batch.problem(random.Random(seed), TABLE)[1]["compute"] for seed in range(50)} == {"ec2", "spot", "fargate"}
