"""AWS Fargate: vCPU, memory, Windows licence and ephemeral storage, per second with a minimum.
Pure: standard library and studyapp.pricing only; every price comes from the table
(content/pricing/<region>/fargate.toml).

Contract:
- each task run is billed per second (fractions rounded up), at least the minimum of its operating
  system (one minute on Linux, five on Windows), for its vCPU and memory at hourly prices;
- ephemeral storage is included up to 20 GB; above that, per GB-hour;
- Fargate Spot (Linux only) takes the discount as an input and applies it to vCPU and memory;
- each line is rounded half-up to the cent, and the total is the sum of the rounded lines.
AWS Batch on Fargate reuses FIELDS, check and estimate (see batch.py).
"""

import random
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from studyapp.pricing.money import Estimate, Field, Line, dec, money, number, price_text, to_cents
from studyapp.pricing.tables import Table

SERVICE = "fargate"
TITLE = "AWS Fargate"
SUMMARY = "Tasks billed per second for their vCPU and memory (one-minute minimum on Linux), Windows licences, storage beyond 20 GB, and Fargate Spot."

S_PER_HOUR = Decimal(3600)
HUNDRED = Decimal(100)

# Valid task sizes (vCPU → memory in GB): the listed sizes, or (lowest, highest, step).
TASK_SIZES: dict[Decimal, tuple[Decimal, ...] | tuple[Decimal, Decimal, Decimal]] = {
    Decimal("0.25"): (Decimal("0.5"), Decimal(1), Decimal(2)),
    Decimal("0.5"): (Decimal(1), Decimal(4), Decimal(1)),
    Decimal(1): (Decimal(2), Decimal(8), Decimal(1)),
    Decimal(2): (Decimal(4), Decimal(16), Decimal(1)),
    Decimal(4): (Decimal(8), Decimal(30), Decimal(1)),
    Decimal(8): (Decimal(16), Decimal(60), Decimal(4)),
    Decimal(16): (Decimal(32), Decimal(120), Decimal(8)),
}
LISTED = {Decimal("0.25")}  # sizes given as a list rather than a range
WINDOWS_VCPU = (Decimal(1), Decimal(2), Decimal(4))

FIELDS: tuple[Field, ...] = (
    Field(
        name="os",
        label="Operating system",
        kind="choice",
        default="linux",
        choices=("linux", "windows"),
        choice_labels=("Linux", "Windows"),
        help="Linux, or Windows (x86_64 only, with a per-vCPU licence fee).",
    ),
    Field(
        name="architecture",
        label="Architecture",
        kind="choice",
        default="x86_64",
        choices=("x86_64", "arm64"),
        choice_labels=("x86", "Arm (Graviton)"),
        help="x86_64 or arm64 (Graviton, Linux only, cheaper).",
    ),
    Field(
        name="tasks",
        label="Task runs",
        kind="int",
        default=150,
        minimum=Decimal(0),
        help="Task runs in the month (5 a day for 30 days: 150).",
    ),
    Field(
        name="duration_seconds",
        label="Duration of each run (s)",
        kind="decimal",
        default=Decimal(600),
        minimum=Decimal(1),
        maximum=Decimal(31 * 24 * 3600),
        help="From image pull to task end; billed per second, at least 60 s on Linux and 300 s on Windows.",
    ),
    Field(
        name="vcpu",
        label="vCPU",
        kind="decimal",
        default=Decimal(1),
        choices=tuple(number(v) for v in TASK_SIZES),
        help="0.25, 0.5, 1, 2, 4, 8 or 16 (Windows: 1, 2 or 4).",
    ),
    Field(
        name="memory_gb",
        label="Memory (GB)",
        kind="decimal",
        default=Decimal(2),
        minimum=Decimal("0.5"),
        maximum=Decimal(120),
        help="Allowed sizes depend on the vCPU: 1 vCPU allows 2 to 8 GB.",
    ),
    Field(
        name="ephemeral_storage_gb",
        label="Ephemeral storage (GB)",
        kind="int",
        default=20,
        minimum=Decimal(20),
        maximum=Decimal(200),
        help="20 GB are included; up to 200 GB.",
    ),
    Field(
        name="spot",
        label="Fargate Spot",
        kind="bool",
        default=False,
        help="Spare capacity at a discount, interruptible with two minutes' notice (Linux only).",
    ),
    Field(
        name="spot_discount_percent",
        label="Spot discount (%)",
        kind="decimal",
        default=Decimal(70),
        minimum=Decimal(0),
        maximum=Decimal(100),
        help="The Spot price varies; AWS quotes up to 70% off.",
    ),
)


def allowed_memory(vcpu: Decimal) -> str:
    """What a vCPU size allows, such as "0.25 vCPU allows 0.5, 1 or 2 GB" or "8 vCPU allows 16 to 60 GB in 4 GB steps"."""
    sizes = TASK_SIZES[vcpu]
    if vcpu in LISTED:
        *first, last = (number(s) for s in sizes)
        return f"{number(vcpu)} vCPU allows {', '.join(first)} or {last} GB"
    low, high, step = sizes
    return f"{number(vcpu)} vCPU allows {number(low)} to {number(high)} GB in {number(step)} GB steps"


def memory_fits(vcpu: Decimal, memory_gb: Decimal) -> bool:
    sizes = TASK_SIZES[vcpu]
    if vcpu in LISTED:
        return memory_gb in sizes
    low, high, step = sizes
    return low <= memory_gb <= high and (memory_gb - low) % step == 0


def check(values: dict[str, object]) -> dict[str, list[str]]:
    """Task sizes, and what Windows and Spot allow: every problem at once."""
    errors: dict[str, list[str]] = {}
    windows = values["os"] == "windows"
    vcpu, memory_gb = dec(values["vcpu"]), dec(values["memory_gb"])
    if windows and values["architecture"] != "x86_64":
        errors.setdefault("architecture", []).append("Windows runs on x86_64 only")
    if vcpu not in TASK_SIZES:
        errors.setdefault("vcpu", []).append("must be 0.25, 0.5, 1, 2, 4, 8 or 16")
    elif windows and vcpu not in WINDOWS_VCPU:
        errors.setdefault("vcpu", []).append("Windows allows 1, 2 or 4 vCPU")
    if vcpu in TASK_SIZES and not memory_fits(vcpu, memory_gb):
        errors.setdefault("memory_gb", []).append(allowed_memory(vcpu))
    if windows and values["spot"]:
        errors.setdefault("spot", []).append("Fargate Spot runs Linux tasks only")
    return errors


def estimate(values: dict[str, object], table: Table) -> Estimate:
    os, arch = str(values["os"]), str(values["architecture"])
    tasks, vcpu, memory_gb = dec(values["tasks"]), dec(values["vcpu"]), dec(values["memory_gb"])
    duration = dec(values["duration_seconds"])
    minimum = dec(table["minimum_seconds"][os])
    billed = max(duration.to_integral_value(rounding=ROUND_CEILING), minimum)
    prices = table["compute"][os][arch]
    spot = bool(values["spot"])
    discount = dec(values["spot_discount_percent"]) if spot else Decimal(0)
    run = f"{number(tasks)} {'task' if tasks == 1 else 'tasks'} × {number(billed)} s"
    notes: list[str] = []
    if billed != duration:
        minute = "five" if os == "windows" else "one"
        reason = f"the {minute}-minute minimum on {os.title()}" if billed == minimum else "rounded up to the second"
        notes.append(f"Each {number(duration)} s run is billed as {number(billed)} s ({reason}).")

    def compute_lines(discount: Decimal) -> list[Line]:
        tag = " (Spot)" if discount else ""
        lines = [
            _line(f"vCPU{tag}", tasks * billed * vcpu, f"{run} × {number(vcpu)} vCPU", "vCPU-hour", dec(prices["vcpu_hour"]), discount),
            _line(
                f"Memory{tag}", tasks * billed * memory_gb, f"{run} × {number(memory_gb)} GB", "GB-hour", dec(prices["gb_hour"]), discount
            ),
        ]
        if "os_licence_vcpu_hour" in prices:
            licence = dec(prices["os_licence_vcpu_hour"])
            lines.append(_line("Windows licence", tasks * billed * vcpu, f"{run} × {number(vcpu)} vCPU", "vCPU-hour", licence))
        return lines

    lines = compute_lines(discount)
    storage = table["ephemeral_storage"]
    included = dec(storage["included_gb"])
    extra = dec(values["ephemeral_storage_gb"]) - included
    if extra > 0:
        usage = f"{run} × {number(extra)} GB above the included {number(included)} GB"
        lines.append(_line("Ephemeral storage", tasks * billed * extra, usage, "GB-hour", dec(storage["gb_hour"])))
    else:
        notes.append(f"The first {number(included)} GB of ephemeral storage are included.")
    if spot:
        on_demand = sum((item.amount for item in compute_lines(Decimal(0))), Decimal(0))
        with_spot = sum((item.amount for item in lines[:2]), Decimal(0))
        notes.append(
            f"Fargate Spot at {number(discount)}% off: vCPU and memory cost {money(with_spot)} instead of "
            f"{money(on_demand)} on demand, saving {money(on_demand - with_spot)}; it can be interrupted."
        )
    return Estimate(service=SERVICE, inputs=values, lines=tuple(lines), notes=tuple(notes))


def problem(rng: random.Random, table: Table) -> tuple[str, dict[str, object]]:
    """A word problem and the inputs that answer it."""
    return scenario(rng, "A task")


def scenario(rng: random.Random, subject: str) -> tuple[str, dict[str, object]]:
    """A randomised Fargate workload in words and as raw inputs, for ``subject`` ("A task", "An
    AWS Batch job"); shared with batch.py."""
    os = "windows" if rng.random() < 0.2 else "linux"
    arch = "x86_64" if os == "windows" else rng.choice(("x86_64", "arm64"))
    sizes = [(v, m) for v, m in _common_sizes() if os == "linux" or Decimal(v) in WINDOWS_VCPU]
    vcpu, memory = rng.choice(sizes)
    raw: dict[str, object] = {"os": os, "architecture": arch, "vcpu": vcpu, "memory_gb": memory}
    size = f"{vcpu} vCPU and {memory} GB of memory"
    where = f"on Fargate ({'Windows' if os == 'windows' else 'Linux'}, {arch})"
    if rng.random() < 0.25:
        count, hours = rng.choice((1, 2, 3, 4)), rng.choice((720, 730, 744))
        raw |= {"tasks": count, "duration_seconds": hours * 3600}
        copies = "One copy" if count == 1 else f"{count} copies"
        text = f"{subject} {where} with {size} runs around the clock: {copies}, each for a {hours}-hour month"
    else:
        per_day, days = rng.choice((1, 2, 4, 5, 10, 12, 24, 48, 96)), rng.choice((30, 31))
        seconds = rng.choice((30, 45, 90, 120, 300, 600, 900, 1800, 3600))
        raw |= {"tasks": per_day * days, "duration_seconds": seconds}
        times = "once" if per_day == 1 else "twice" if per_day == 2 else f"{per_day} times"
        text = f"{subject} {where} with {size} runs {times} a day for {_spoken(seconds)} each over a {days}-day month"
    if rng.random() < 0.4:
        storage = rng.choice((30, 50, 100, 200))
        raw["ephemeral_storage_gb"] = storage
        text += f", with {storage} GB of ephemeral storage"
    if os == "linux" and rng.random() < 0.3:
        discount = rng.choice((60, 65, 70))
        raw |= {"spot": True, "spot_discount_percent": discount}
        text += f", on Fargate Spot at {discount}% off"
    return f"{text}: what is the monthly bill?", raw


def _common_sizes() -> list[tuple[str, str]]:
    return [
        ("0.25", "0.5"),
        ("0.25", "1"),
        ("0.5", "1"),
        ("0.5", "2"),
        ("1", "2"),
        ("1", "4"),
        ("2", "4"),
        ("2", "8"),
        ("4", "8"),
        ("4", "16"),
        ("8", "16"),
        ("8", "32"),
        ("16", "32"),
        ("16", "64"),
    ]


def _spoken(seconds: int) -> str:
    if seconds < 60 or seconds % 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    if minutes == 60:
        return "an hour"
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def _line(label: str, unit_seconds: Decimal, usage: str, unit: str, list_price: Decimal, discount: Decimal = Decimal(0)) -> Line:
    """A line priced per hour (less ``discount`` percent) from a quantity in unit-seconds, with the
    amount computed exactly (one division by 3,600) before rounding to the cent."""
    price = list_price * (HUNDRED - discount) / HUNDRED
    hours = unit_seconds / S_PER_HOUR
    amount = to_cents(unit_seconds * price / S_PER_HOUR)
    rate = f"{price_text(price)} per {unit}"
    if discount:
        rate += f" ({price_text(list_price)} − {number(discount)}%)"
    formula = f"{usage} {hours_text(hours)} {unit}s × {rate} = {money(amount)}"
    return Line(label=label, quantity=hours, unit=f"{unit}s", unit_price=price, amount=amount, formula=formula)


def hours_text(hours: Decimal) -> str:
    """ "= 25" when exact in six decimals, otherwise "≈ 1.016667"."""
    try:
        short = hours.quantize(Decimal("0.000001"))
    except InvalidOperation:  # too many digits for six decimals: a whole number is close enough
        return f"≈ {number(hours.to_integral_value())}"
    return f"= {number(hours)}" if short == hours else f"≈ {number(short)}"
