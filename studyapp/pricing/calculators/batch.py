"""AWS Batch: no charge of its own; a job pays for the EC2 instances (On-Demand or Spot) or the
Fargate tasks it runs on. Pure: standard library and studyapp.pricing only; every price comes
from the table (content/pricing/<region>/batch.toml), which holds the EC2 On-Demand hourly prices
and, under [fargate], a copy of the Fargate prices.

Contract:
- ``compute=ec2``: instances × hours × the On-Demand hourly price, per second (fractions rounded
  up) with a 60-second minimum per instance;
- ``compute=spot``: the same at ``spot_hourly`` (Spot prices vary, so it is an input), with the
  saving against On-Demand in a note;
- ``compute=fargate``: Fargate's own inputs, check and estimate (see fargate.py);
- AWS Batch's own line is $0.00; lines are rounded half-up to the cent, then added.
"""

import dataclasses
import random
from decimal import ROUND_CEILING, Decimal

from studyapp.pricing.calculators import fargate
from studyapp.pricing.money import Estimate, Field, InputError, Line, Message, dec, line, money, number, price_text, to_cents
from studyapp.pricing.tables import Table

SERVICE = "batch"
TITLE = "AWS Batch"
SUMMARY = "AWS Batch itself is free: price the EC2 On-Demand or Spot instances, or the Fargate tasks, that its jobs run on."

S_PER_HOUR = Decimal(3600)

# The instance types priced in batch.toml (a test keeps the two in step).
INSTANCE_TYPES = ("t3.medium", "m5.large", "c5.large", "c5.2xlarge", "c5.4xlarge")

ON_EC2 = ("compute", ("ec2", "spot"))
EC2_FIELDS: tuple[Field, ...] = (
    Field(
        name="compute",
        label="Compute",
        kind="choice",
        default="ec2",
        choices=("ec2", "spot", "fargate"),
        choice_labels=("EC2 On-Demand instances", "EC2 Spot instances", "Fargate tasks"),
        help="EC2 On-Demand instances, EC2 Spot instances, or Fargate tasks.",
    ),
    Field(
        name="instance_type",
        label="Instance type",
        kind="choice",
        default="m5.large",
        choices=INSTANCE_TYPES,
        help="For ec2 and spot.",
        when=ON_EC2,
    ),
    Field(
        name="instances",
        when=ON_EC2,
        label="Instances",
        kind="int",
        default=1,
        minimum=Decimal(1),
        help="For ec2 and spot: how many instances the compute environment runs.",
    ),
    Field(
        name="hours",
        when=ON_EC2,
        label="Hours per instance",
        kind="decimal",
        default=Decimal(730),
        minimum=Decimal(0),
        maximum=Decimal(744),
        help="For ec2 and spot: hours each instance runs in the month; billed per second, 60 s minimum.",
    ),
    Field(
        name="spot_hourly",
        when=("compute", ("spot",)),
        label="Spot price per hour",
        kind="decimal",
        minimum=Decimal(0),
        optional=True,
        help="For spot: the Spot price of the instance type, in dollars an hour (it varies).",
    ),
)
# With compute=fargate, Fargate's own inputs (ignored otherwise).
FARGATE_FIELDS = tuple(
    dataclasses.replace(f, help=f"For fargate: {f.help[0].lower()}{f.help[1:]}", when=("compute", ("fargate",))) for f in fargate.FIELDS
)
FIELDS: tuple[Field, ...] = EC2_FIELDS + FARGATE_FIELDS


def check(values: dict[str, object]) -> dict[str, list[str]]:
    """Spot needs its price; Fargate has its own rules. Inputs of the other kinds are ignored."""
    if values["compute"] == "spot" and values.get("spot_hourly") is None:
        return {"spot_hourly": [Message("required when compute is spot", page="Spot price per hour is needed for Spot instances")]}
    if values["compute"] == "fargate":
        return fargate.check(values)
    return {}


def estimate(values: dict[str, object], table: Table, *, fargate_table: Table | None = None) -> Estimate:
    """The bill; with compute=fargate, priced from ``fargate_table`` when given, otherwise from
    the copy of the Fargate prices in ``table``'s [fargate] section."""
    compute = str(values["compute"])
    if compute == "fargate":
        on_fargate = fargate.estimate({f.name: values[f.name] for f in fargate.FIELDS}, fargate_table or fargate_prices(table))
        fargate_lines = (*on_fargate.lines, _batch_line(table, "Fargate tasks"))
        fargate_notes = (*on_fargate.notes, "AWS Batch adds $0: the jobs pay only for the Fargate tasks they run on.")
        return Estimate(service=SERVICE, inputs=values, lines=fargate_lines, notes=fargate_notes)

    instance_type = str(values["instance_type"])
    on_demand = table["ec2"]["on_demand_hourly"].get(instance_type)
    if on_demand is None:
        raise InputError({"instance_type": [f"no price for {instance_type} in {table.region}"]})
    instances, hours = dec(values["instances"]), dec(values["hours"])
    minimum = dec(table["ec2"]["minimum_seconds"])
    billed_s = _billed_seconds(hours, minimum)
    notes: list[str] = []
    if billed_s != hours * S_PER_HOUR:
        notes.append(f"Each instance is billed for {number(billed_s)} s (per second, at least {number(minimum)} s).")
    if compute == "spot":
        spot_hourly = dec(values["spot_hourly"])
        ec2 = _instance_line(f"EC2 Spot ({instance_type})", instances, hours, billed_s, spot_hourly)
        od = _instance_line("On-Demand", instances, hours, billed_s, dec(on_demand))
        if spot_hourly < on_demand and od.amount:
            saving = od.amount - ec2.amount
            notes.append(
                f"On-Demand {instance_type} at {price_text(on_demand)} an hour would cost {money(od.amount)}: "
                f"Spot saves {money(saving)} ({number((saving * 100 / od.amount).quantize(Decimal(1)))}%), "
                "but AWS can reclaim the instances with two minutes' notice."
            )
        else:
            notes.append(f"This Spot price is not below the On-Demand price ({price_text(on_demand)} an hour): no saving.")
    else:
        ec2 = _instance_line(f"EC2 On-Demand ({instance_type})", instances, hours, billed_s, dec(on_demand))
    notes.append("AWS Batch adds $0: the jobs pay only for the EC2 instances they run on.")
    return Estimate(service=SERVICE, inputs=values, lines=(ec2, _batch_line(table, "EC2 instances")), notes=tuple(notes))


def fargate_prices(table: Table) -> Table:
    """The Fargate table kept in batch.toml's [fargate] section, as a Table of its own."""
    prices = dict(table["fargate"])
    source = prices.pop("source", table.source)
    return Table(
        service=fargate.SERVICE, region=table.region, currency=table.currency, effective=table.effective, source=source, prices=prices
    )


def problem(rng: random.Random, table: Table) -> tuple[str, dict[str, object]]:
    """A word problem and the inputs that answer it, on EC2 On-Demand, EC2 Spot or Fargate."""
    compute = rng.choice(("ec2", "spot", "fargate"))
    if compute == "fargate":
        text, fargate_raw = fargate.scenario(rng, "An AWS Batch job")
        return text, {"compute": "fargate", **fargate_raw}
    prices = table["ec2"]["on_demand_hourly"]
    instance_type = rng.choice(sorted(prices))
    instances = rng.choice((1, 2, 4, 5, 8, 10, 20))
    hours = rng.choice((1, 2, 5, 10, 24, 50, 100, 200))
    raw: dict[str, object] = {"compute": compute, "instance_type": instance_type, "instances": instances, "hours": hours}
    fleet = "1 instance" if instances == 1 else f"{instances} instances"
    each = "" if instances == 1 else " each"
    if compute == "ec2":
        text = f"An AWS Batch compute environment runs {fleet} of {instance_type} On-Demand for {hours} hours{each}"
    else:
        share = rng.choice((Decimal("0.3"), Decimal("0.35"), Decimal("0.4")))  # Spot often runs 60-70% below On-Demand
        spot_hourly = (dec(prices[instance_type]) * share).quantize(Decimal("0.0001"))
        raw["spot_hourly"] = str(spot_hourly)
        text = (
            f"An AWS Batch compute environment runs {fleet} of {instance_type} on Spot for {hours} hours{each}, "
            f"at a Spot price of {price_text(spot_hourly)} an hour"
        )
    return f"{text}: what is the monthly bill?", raw


def _billed_seconds(hours: Decimal, minimum: Decimal) -> Decimal:
    """Per second, fractions rounded up, at least the minimum (nothing if the instance never ran)."""
    if hours == 0:
        return Decimal(0)
    return max((hours * S_PER_HOUR).to_integral_value(rounding=ROUND_CEILING), minimum)


def _instance_line(label: str, instances: Decimal, hours: Decimal, billed_s: Decimal, hourly: Decimal) -> Line:
    amount = to_cents(instances * billed_s * hourly / S_PER_HOUR)
    fleet = f"{number(instances)} {'instance' if instances == 1 else 'instances'}"
    time = f"{number(hours)} h" if billed_s == hours * S_PER_HOUR else f"{number(billed_s)} s"
    usage = f"{fleet} × {time}"
    if billed_s != hours * S_PER_HOUR or instances != 1:
        usage += f" {fargate.hours_text(instances * billed_s / S_PER_HOUR)} instance-hours"
    formula = f"{usage} × {price_text(hourly)} per hour = {money(amount)}"
    return Line(
        label=label, quantity=instances * billed_s / S_PER_HOUR, unit="instance-hours", unit_price=hourly, amount=amount, formula=formula
    )


def _batch_line(table: Table, what: str) -> Line:
    charge = dec(table["service_charge"])
    return line(
        "AWS Batch",
        Decimal(1),
        "month",
        charge,
        formula=f"no charge of its own: you pay for the {what} it runs = {money(to_cents(charge))}",
    )
