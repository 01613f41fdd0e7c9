"""Amazon Lightsail: a Linux instance bundle and its extras for one month. Pure: no Django.

An instance is billed by the hour at its monthly price ÷ 744 (the table's ``hours_per_month``),
never more than the monthly price; without ``hours`` it runs the whole month. The bundle is
optional: without one, only the extras (snapshots, block storage, transfer over the allowance,
unattached static IPs) are billed. Each line is rounded to the cent, then the lines are added.
"""

import random
from decimal import Decimal

from studyapp.pricing.money import Estimate, Field, InputError, Line, dec, line, money, number, price_text, to_cents
from studyapp.pricing.tables import Table

SERVICE = "lightsail"
TITLE = "Amazon Lightsail"
SUMMARY = "A Linux instance bundle at a fixed monthly price (or by the hour), with snapshots, disks, extra transfer and idle static IPs."

BUNDLES = ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge")
LIMIT = Decimal(10**7)

FIELDS = (
    Field(
        name="bundle",
        label="Instance bundle",
        kind="choice",
        choices=BUNDLES,
        optional=True,
        help="Linux bundles from nano (2 vCPU, 0.5 GB) to 4xlarge (16 vCPU, 64 GB). Leave empty to price only the extras.",
    ),
    Field(
        name="ipv6_only",
        label="IPv6 only",
        kind="bool",
        default=False,
        help="IPv6-only bundles cost less than those with a public IPv4 address.",
    ),
    Field(
        name="hours",
        label="Hours",
        kind="int",
        optional=True,
        minimum=Decimal(0),
        maximum=Decimal(744),
        help="Whole hours the instance exists this month (stopped still counts, until it is deleted), billed at the monthly price ÷ 744 per hour. Leave empty for the whole month.",
    ),
    Field(
        name="snapshot_gb",
        label="Snapshots (GB-month)",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=LIMIT,
        help="Instance and disk snapshots kept, averaged over the month.",
    ),
    Field(
        name="block_storage_gb",
        label="Block storage (GB-month)",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=LIMIT,
        help="Extra disks attached to instances, averaged over the month.",
    ),
    Field(
        name="extra_transfer_gb",
        label="Transfer over the allowance (GB)",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=LIMIT,
        help="Data transfer out beyond what the bundle includes (1 TB for nano up to 8 TB for 4xlarge).",
    ),
    Field(
        name="unattached_static_ip_hours",
        label="Unattached static IP hours",
        kind="int",
        default=0,
        minimum=Decimal(0),
        maximum=LIMIT,
        help="Hours static IPs sit unattached to a running instance (an attached one is free); several IPs add up.",
    ),
)


def check(values: dict[str, object]) -> dict[str, list[str]]:
    """No rules across fields: without a bundle, ``hours`` and ``ipv6_only`` are simply unused."""
    return {}


def estimate(values: dict[str, object], table: Table) -> Estimate:
    lines: list[Line] = []
    notes: list[str] = []
    bundle = values["bundle"]
    if bundle:
        if bundle not in table["bundles"]:
            raise InputError({"bundle": [f"this region offers {', '.join(table['bundles'])}"]})
        hours = None if values["hours"] is None else dec(values["hours"])
        lines.append(_instance(str(bundle), bool(values["ipv6_only"]), hours, table, notes))
    else:
        notes.append(
            "No bundle chosen: only the extras are billed."
            + (
                " Hours and IPv6-only apply to an instance, so they are unused."
                if values["hours"] is not None or values["ipv6_only"]
                else ""
            )
        )

    extras = (
        ("Snapshots", "snapshot_gb", "GB-month", "snapshot_price_per_gb_month"),
        ("Block storage", "block_storage_gb", "GB-month", "block_storage_price_per_gb_month"),
        ("Transfer over the allowance", "extra_transfer_gb", "GB", "transfer_over_allowance_price_per_gb"),
        ("Unattached static IP", "unattached_static_ip_hours", "hours", "unattached_static_ip_price_per_hour"),
    )
    for label, name, unit, key in extras:
        quantity = dec(values[name])
        if quantity:
            price: Decimal = table[key]
            amount = to_cents(quantity * price)
            per = unit.removesuffix("s")
            lines.append(
                line(label, quantity, unit, price, formula=f"{number(quantity)} {unit} × {price_text(price)} per {per} = {money(amount)}")
            )
    if values["unattached_static_ip_hours"]:
        notes.append("A static IP attached to a running instance is free; it is billed only while unattached.")
    return Estimate(service=SERVICE, inputs=values, lines=tuple(lines), notes=tuple(notes))


def _instance(bundle: str, ipv6_only: bool, hours: Decimal | None, table: Table, notes: list[str]) -> Line:
    spec = table["bundles"][bundle]
    monthly: Decimal = spec["ipv6_monthly" if ipv6_only else "monthly"]
    label = f"Instance ({bundle}, {'IPv6 only' if ipv6_only else 'public IPv4'})"
    notes.append(
        f"{bundle}: {number(spec['vcpu'])} vCPU, {number(spec['ram_gb'])} GB RAM, {number(spec['ssd_gb'])} GB SSD and {number(spec['transfer_tb'])} TB of transfer out a month included."
    )
    if hours is None:
        return line(label, Decimal(1), "month", monthly, formula=f"1 month × {money(monthly)} per month = {money(monthly)}")
    per_month: Decimal = table["hours_per_month"]
    exact = hours * monthly / per_month  # multiply first: the hourly rate itself doesn't terminate
    amount = to_cents(min(exact, monthly))
    hourly = (monthly / per_month).quantize(Decimal("0.0000000001"))
    formula = f"{number(hours)} hours × ({money(monthly)} ÷ {number(per_month)}) per hour = {money(amount)}"
    if exact > monthly:
        formula += f" (capped at the monthly {money(monthly)})"
    notes.append(
        f"Billed by the hour at {money(monthly)} ÷ {number(per_month)} = {price_text(hourly)} per hour (rounded for display), never more than {money(monthly)} a month; a stopped instance is billed until it is deleted."
    )
    # Built directly: the amount comes from the exact product, the unit price is rounded for display.
    return Line(label=label, quantity=hours, unit="hours", unit_price=hourly, amount=amount, formula=formula)


def problem(rng: random.Random, table: Table) -> tuple[str, dict[str, object]]:
    """A randomised question and the raw inputs that answer it."""
    bundle = rng.choice(list(table["bundles"]))
    ipv6_only = rng.random() < 0.3
    hours = rng.choice((None, None, 100, 200, 360, 500))
    snapshots = rng.choice((0, 20, 40, 100))
    extra = rng.choice((0, 0, 50, 200))
    static_ip = rng.choice((0, 0, 24, 100))
    address = "IPv6-only" if ipv6_only else "public IPv4"
    parts = [
        f"A {bundle} Lightsail instance ({address}) "
        + ("runs the whole month" if hours is None else f"exists for {hours} hours this month, then is deleted")
    ]
    if snapshots:
        parts.append(f"it keeps {snapshots} GB of snapshots")
    if extra:
        parts.append(f"it sends {extra} GB more data out than its bundle includes")
    if static_ip:
        parts.append(f"a static IP sits unattached for {static_ip} hours")
    text = "; ".join(parts) + ". What is the monthly bill?"
    raw: dict[str, object] = {
        "bundle": bundle,
        "ipv6_only": ipv6_only,
        "snapshot_gb": snapshots,
        "extra_transfer_gb": extra,
        "unattached_static_ip_hours": static_ip,
    }
    if hours is not None:
        raw["hours"] = hours
    return text, raw
