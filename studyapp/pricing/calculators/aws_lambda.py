"""AWS Lambda: requests, duration (tiered per architecture), ephemeral storage and provisioned
concurrency. Pure: standard library and studyapp.pricing only; every price comes from the table
(content/pricing/<region>/lambda.toml).

Contract, following AWS's own examples:
- duration is billed per invocation, rounded up to the millisecond; GB-seconds = invocations ×
  billed seconds × memory MB / 1024;
- requests served by provisioned concurrency go in ``pc_requests``, not ``requests``; the free
  requests apply to both, the free GB-seconds only to on-demand duration;
- the free tier is applied first, then the monthly volume tiers of the architecture;
- provisioned concurrency is billed for the time it is enabled, rounded up to five minutes;
- each line is rounded half-up to the cent, and the total is the sum of the rounded lines.
"""

import random
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from studyapp.pricing.money import Estimate, Field, Line, Message, dec, line, money, number, price_text, split_tiers, to_cents
from studyapp.pricing.tables import Table

SERVICE = "lambda"
TITLE = "AWS Lambda"
SUMMARY = (
    "Requests and duration (GB-seconds, tiered per architecture), with the free tier, extra ephemeral storage and provisioned concurrency."
)

MILLION = Decimal(1_000_000)
MB_PER_GB = Decimal(1024)
MS_PER_S = Decimal(1000)
S_PER_HOUR = Decimal(3600)
PROVISIONED = "Provisioned concurrency"

FIELDS: tuple[Field, ...] = (
    Field(
        name="architecture",
        label="Architecture",
        kind="choice",
        default="x86_64",
        choices=("x86_64", "arm64"),
        choice_labels=("x86", "Arm (Graviton)"),
        help="x86_64 or arm64 (Graviton, cheaper per GB-second).",
    ),
    Field(
        name="requests",
        label="Requests (on demand)",
        kind="int",
        default=0,
        minimum=Decimal(0),
        help="Invocations a month, not counting those served by provisioned concurrency.",
    ),
    Field(
        name="duration_ms",
        label="Duration (ms)",
        kind="decimal",
        default=Decimal(100),
        minimum=Decimal(0),
        maximum=Decimal(900_000),
        help="Average time per on-demand invocation; billed rounded up to the millisecond (timeout ≤ 900 s).",
    ),
    Field(
        name="memory_mb",
        label="Memory (MB)",
        kind="int",
        default=128,
        minimum=Decimal(128),
        maximum=Decimal(10_240),
        help="128 to 10,240 MB in 1 MB steps; 1,024 MB is 1 GB.",
    ),
    Field(
        name="ephemeral_storage_mb",
        label="Ephemeral storage (MB)",
        kind="int",
        default=512,
        minimum=Decimal(512),
        maximum=Decimal(10_240),
        help="/tmp size; the first 512 MB are included.",
    ),
    Field(
        name="free_tier",
        label="Free tier",
        kind="bool",
        default=True,
        help="1 million requests and 400,000 GB-seconds a month, every month.",
    ),
    Field(
        name="provisioned_concurrency",
        label="Provisioned concurrency",
        kind="int",
        default=0,
        minimum=Decimal(0),
        help="Execution environments kept warm (0: none).",
        section=PROVISIONED,
    ),
    Field(
        name="pc_hours",
        label="Provisioned concurrency hours",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=Decimal(744),
        help="Hours it is enabled in the month; billed in 5-minute steps.",
        section=PROVISIONED,
    ),
    Field(
        name="pc_requests",
        label="Requests on provisioned concurrency",
        kind="int",
        default=0,
        minimum=Decimal(0),
        help="Invocations served by provisioned concurrency (not counted in requests).",
        section=PROVISIONED,
    ),
    Field(
        name="pc_duration_ms",
        label="Duration on provisioned concurrency (ms)",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=Decimal(900_000),
        help="Average time per invocation served by provisioned concurrency.",
        section=PROVISIONED,
    ),
)


def check(values: dict[str, object]) -> dict[str, list[str]]:
    """Cross-field rules: requests on provisioned concurrency need it enabled, a duration, and
    enough capacity (concurrency × time enabled) to serve them."""
    errors: dict[str, list[str]] = {}
    pc_requests = dec(values["pc_requests"])
    if pc_requests == 0:
        return errors
    concurrency, hours = dec(values["provisioned_concurrency"]), dec(values["pc_hours"])
    duration = dec(values["pc_duration_ms"])
    if concurrency == 0 or hours == 0:
        errors.setdefault("pc_requests", []).append(
            Message(
                "requests served by provisioned concurrency need provisioned_concurrency and pc_hours above 0",
                page="Requests on provisioned concurrency need Provisioned concurrency and Provisioned concurrency hours above 0",
            )
        )
    if duration == 0:
        errors.setdefault("pc_duration_ms", []).append(
            Message(
                "give the duration of the requests served by provisioned concurrency",
                page="Duration on provisioned concurrency (ms) is needed for requests on provisioned concurrency",
            )
        )
    if not errors:
        capacity = (concurrency * hours * S_PER_HOUR * MS_PER_S / _billed_ms(duration)).to_integral_value(rounding=ROUND_FLOOR)
        if pc_requests > capacity:
            serves = (
                f"provisioned concurrency of {number(concurrency)} for {number(hours)} h serves at most {number(capacity)} "
                f"requests of {number(_billed_ms(duration))} ms"
            )
            errors["pc_requests"] = [
                Message(
                    f"{serves}; put the rest in requests", page=f"{serves[:1].upper()}{serves[1:]}: put the rest in Requests (on demand)"
                )
            ]
    return errors


def estimate(values: dict[str, object], table: Table) -> Estimate:
    arch = str(values["architecture"])
    free_tier = bool(values["free_tier"])
    memory_gb = dec(values["memory_mb"]) / MB_PER_GB
    requests, pc_requests = dec(values["requests"]), dec(values["pc_requests"])
    duration_ms = _billed_ms(dec(values["duration_ms"]))
    pc_duration_ms = _billed_ms(dec(values["pc_duration_ms"])) if pc_requests else Decimal(0)
    lines: list[Line] = []
    notes: list[str] = []

    # Requests: on-demand and provisioned alike, the free million shared by both.
    total_requests = requests + pc_requests
    free_requests = min(total_requests, dec(table["free_tier"]["requests"])) if free_tier else Decimal(0)
    billable = total_requests - free_requests
    request_price = dec(table["request_price_per_million"])
    counted = f"{number(requests)} + {number(pc_requests)} = {number(total_requests)}" if pc_requests else number(total_requests)
    formula = f"{counted} requests" + (f" − {number(free_requests)} free = {number(billable)}" if free_tier else "")
    formula += f" × {price_text(request_price)} per million = {money(to_cents(billable * request_price / MILLION))}"
    lines.append(line("Requests", billable, "requests", request_price, per=MILLION, formula=formula))
    if free_tier:
        notes.append(f"The free tier covered {number(free_requests)} requests.")

    # On-demand duration: free GB-seconds first, then the architecture's volume tiers.
    gb_seconds = requests * duration_ms * dec(values["memory_mb"]) / (MS_PER_S * MB_PER_GB)
    free_gb_s = min(gb_seconds, dec(table["free_tier"]["gb_seconds"])) if free_tier else Decimal(0)
    usage = f"{number(requests)} requests × {number(duration_ms / MS_PER_S)} s × {number(memory_gb)} GB = {number(gb_seconds)} GB-s"
    if free_tier:
        usage += f" − {number(free_gb_s)} free = {number(gb_seconds - free_gb_s)} GB-s"
        notes.append(f"The free tier covered {number(free_gb_s)} GB-seconds of on-demand duration.")
    lines.extend(_tiered_duration(gb_seconds - free_gb_s, table["duration_tiers"][arch], usage))
    if dec(values["duration_ms"]) != duration_ms and requests:
        notes.append(
            f"Each {number(dec(values['duration_ms']))} ms invocation is billed as {number(duration_ms)} ms "
            "(rounded up to the millisecond)."
        )

    # Provisioned concurrency: configured GB-seconds while enabled, then the duration it serves.
    concurrency = dec(values["provisioned_concurrency"])
    pc_hours = dec(values["pc_hours"])
    if concurrency and pc_hours:
        pc = table["provisioned_concurrency"]
        step = dec(pc["billing_increment_seconds"])
        enabled_s = (pc_hours * S_PER_HOUR / step).to_integral_value(rounding=ROUND_CEILING) * step
        configured = concurrency * memory_gb * enabled_s
        price = dec(pc[arch]["concurrency_per_gb_second"])
        lines.append(
            line(
                "Provisioned concurrency",
                configured,
                "GB-s",
                price,
                formula=(
                    f"{number(concurrency)} environments × {number(memory_gb)} GB × {number(enabled_s)} s = {number(configured)} GB-s"
                    f" × {price_text(price)} per GB-s = {money(to_cents(configured * price))}"
                ),
            )
        )
        if enabled_s != pc_hours * S_PER_HOUR:
            notes.append(
                f"Provisioned concurrency is billed in {number(step / 60)}-minute steps: {number(pc_hours)} h counts as "
                f"{number(enabled_s)} s."
            )
        notes.append("The free tier does not cover provisioned concurrency or its duration.")
    if pc_requests:
        if dec(values["pc_duration_ms"]) != pc_duration_ms:
            notes.append(
                f"Each {number(dec(values['pc_duration_ms']))} ms invocation on provisioned concurrency is billed as "
                f"{number(pc_duration_ms)} ms."
            )
        pc_gb_s = pc_requests * pc_duration_ms * dec(values["memory_mb"]) / (MS_PER_S * MB_PER_GB)
        price = dec(table["provisioned_concurrency"][arch]["duration_per_gb_second"])
        lines.append(
            line(
                "Duration on provisioned concurrency",
                pc_gb_s,
                "GB-s",
                price,
                formula=(
                    f"{number(pc_requests)} requests × {number(pc_duration_ms / MS_PER_S)} s × {number(memory_gb)} GB"
                    f" = {number(pc_gb_s)} GB-s × {price_text(price)} per GB-s = {money(to_cents(pc_gb_s * price))}"
                ),
            )
        )

    # Ephemeral storage above the included 512 MB, for every second the function runs.
    storage = table["ephemeral_storage"]
    extra_mb = dec(values["ephemeral_storage_mb"]) - dec(storage["included_mb"])
    if extra_mb > 0:
        run_s = (requests * duration_ms + pc_requests * pc_duration_ms) / MS_PER_S
        extra_gb = extra_mb / MB_PER_GB
        storage_gb_s = run_s * extra_gb
        price = dec(storage["price_per_gb_second"])
        lines.append(
            line(
                "Ephemeral storage",
                storage_gb_s,
                "GB-s",
                price,
                formula=(
                    f"{number(run_s)} s of run time × {number(extra_gb)} GB above the included "
                    f"{number(dec(storage['included_mb']))} MB = {number(storage_gb_s)} GB-s × {price_text(price)} per GB-s"
                    f" = {money(to_cents(storage_gb_s * price))}"
                ),
            )
        )

    return Estimate(service=SERVICE, inputs=values, lines=tuple(lines), notes=tuple(notes))


def problem(rng: random.Random, table: Table) -> tuple[str, dict[str, object]]:
    """A word problem and the inputs that answer it: plain on demand, with extra ephemeral
    storage, or with provisioned concurrency."""
    arch = rng.choice(("x86_64", "arm64"))
    memory = rng.choice((128, 256, 512, 1024, 1536, 2048, 3008, 4096))
    millions = rng.choice((1, 2, 3, 4, 5, 8, 10, 12, 15, 20, 25, 30, 50, 100))
    duration = rng.choice((20, 50, 80, 100, 120, 150, 200, 230, 250, 300, 400, 500, 750, 1000, 2000))
    free_tier = rng.random() < 0.6
    raw: dict[str, object] = {
        "architecture": arch,
        "memory_mb": memory,
        "requests": millions * 1_000_000,
        "duration_ms": duration,
        "free_tier": free_tier,
    }
    what = f"A function on {arch} with {number(memory)} MB"
    kind = rng.choice(("plain", "plain", "storage", "provisioned"))
    if kind == "storage":
        storage = rng.choice((1024, 2048, 4096, 10_240))
        raw["ephemeral_storage_mb"] = storage
        what += f" and {number(storage)} MB of ephemeral storage"
    text = f"{what} runs {_millions(millions)} times a month for {duration} ms each"
    if kind == "provisioned":
        concurrency = rng.choice((5, 10, 20, 50, 100))
        hours = rng.choice((8, 24, 100, 240, 730))
        pc_duration = rng.choice((50, 100, 120, 200))
        capacity = concurrency * hours * 3600 * 1000 // pc_duration
        pc_requests = rng.choice([n for n in (100_000, 250_000, 500_000, 1_000_000, 2_000_000) if n <= capacity])
        raw |= {"provisioned_concurrency": concurrency, "pc_hours": hours, "pc_requests": pc_requests, "pc_duration_ms": pc_duration}
        text += (
            f" on demand; provisioned concurrency of {concurrency} is enabled for {hours} hours and serves another "
            f"{number(pc_requests)} requests of {pc_duration} ms"
        )
    text += f", free tier {'on' if free_tier else 'off'}: what is the monthly bill?"
    return text, raw


def _billed_ms(duration_ms: Decimal) -> Decimal:
    """Rounded up to the millisecond; an invocation is billed at least 1 ms."""
    return max(duration_ms.to_integral_value(rounding=ROUND_CEILING), Decimal(1))


def _tiered_duration(billable: Decimal, tiers: list[dict[str, Decimal]], usage: str) -> list[Line]:
    """One line per volume tier used; a single "Duration" line when it all falls in the first."""
    bands = split_tiers(billable, tiers, "upto_gb_seconds")
    if len(bands) <= 1:
        price = dec((bands[0][2] if bands else tiers[0])["price"])
        return [
            line(
                "Duration", billable, "GB-s", price, formula=f"{usage} × {price_text(price)} per GB-s = {money(to_cents(billable * price))}"
            )
        ]
    lines = []
    for index, (lower, portion, tier) in enumerate(bands):
        upper, price = tier.get("upto_gb_seconds"), dec(tier["price"])
        words = "first" if index == 0 else "remaining" if index == len(bands) - 1 else "next"
        formula = f"{words} {number(portion)} GB-s × {price_text(price)} per GB-s = {money(to_cents(portion * price))}"
        lines.append(
            line(
                f"Duration, tier {index + 1} ({_range(lower, upper)})",
                portion,
                "GB-s",
                price,
                formula=f"{usage}; {formula}" if index == 0 else formula,
            )
        )
    return lines


def _range(lower: Decimal, upper: Decimal | None) -> str:
    return f"{number(lower)} to {number(upper)} GB-s" if upper is not None else f"over {number(lower)} GB-s"


def _millions(n: int) -> str:
    return "1 million" if n == 1 else f"{n} million"
