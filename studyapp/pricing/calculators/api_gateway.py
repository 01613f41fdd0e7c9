"""Amazon API Gateway: HTTP, REST and WebSocket APIs for one month. Pure: no Django.

HTTP requests are metered in 512 KB units and WebSocket messages in 32 KB units (the unit sizes
come from the table); request and message prices fall in monthly volume tiers, one bill line per
tier used, after the free tier when it is switched on. REST APIs add data transfer out (GB =
KB ÷ 1,024², priced exactly, not rounded to a tenth of a GB first) and an optional cache billed by
the hour. Each line is rounded to the cent, then the lines are added.
"""

import random
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_CEILING, Decimal
from typing import Any

from studyapp.pricing.money import (
    CENT,
    Estimate,
    Field,
    InputError,
    Line,
    Message,
    dec,
    line,
    money,
    number,
    price_text,
    split_tiers,
    to_cents,
)
from studyapp.pricing.tables import Table

SERVICE = "api_gateway"
TITLE = "Amazon API Gateway"
SUMMARY = "HTTP, REST or WebSocket APIs: requests or messages in metered units, REST's tiers, data transfer out and stage cache."

MILLION = Decimal(1_000_000)
KB_PER_GB = Decimal(1024 * 1024)
API_TYPES = ("http", "rest", "websocket")
NAMES = {"http": "an HTTP API", "rest": "a REST API", "websocket": "a WebSocket API"}
# The cache sizes a REST stage offers (GB); "0" is no cache. The prices are in the table.
CACHE_SIZES = ("0", "0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237")

FIELDS = (
    Field(
        name="api_type",
        label="API type",
        kind="choice",
        default="http",
        choices=API_TYPES,
        choice_labels=("HTTP API", "REST API", "WebSocket API"),
        help="http (cheapest, requests metered in 512 KB units), rest (request tiers, data transfer out, optional cache) or websocket (messages and connection minutes).",
    ),
    Field(
        name="requests",
        when=("api_type", ("http", "rest")),
        label="Requests a month",
        kind="int",
        default=1_000_000,
        minimum=Decimal(0),
        maximum=Decimal(10**13),
        help="API calls received in the month (HTTP and REST APIs).",
    ),
    Field(
        name="request_size_kb",
        when=("api_type", ("http",)),
        label="Request size (KB)",
        kind="decimal",
        default=Decimal(1),
        minimum=Decimal(0),
        maximum=Decimal(10_240),
        help="HTTP APIs count each request once per started 512 KB: a 513 KB request counts as 2. REST requests are priced the same whatever their size.",
    ),
    Field(
        name="response_size_kb",
        when=("api_type", ("rest",)),
        label="Response size (KB)",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=Decimal(10_240),
        help="REST APIs: data transferred out per call, billed per GB (KB ÷ 1,024²).",
    ),
    Field(
        name="cache_gb",
        when=("api_type", ("rest",)),
        label="Cache size (GB)",
        kind="choice",
        default="0",
        choices=CACHE_SIZES,
        choice_labels=("No cache", *(f"{size} GB" for size in CACHE_SIZES[1:])),
        help="REST APIs only: a stage cache of one of these sizes, billed by the hour; 0 for none.",
    ),
    Field(
        name="cache_hours",
        when=("api_type", ("rest",)),
        label="Cache hours",
        kind="int",
        default=730,
        minimum=Decimal(0),
        maximum=Decimal(744),
        help="Hours the cache runs in the month: 730 is the month of AWS's calculator, 744 a 31-day month.",
    ),
    Field(
        name="messages",
        when=("api_type", ("websocket",)),
        label="Messages a month",
        kind="int",
        default=1_000_000,
        minimum=Decimal(0),
        maximum=Decimal(10**13),
        help="WebSocket APIs: messages sent and received in the month.",
    ),
    Field(
        name="message_size_kb",
        when=("api_type", ("websocket",)),
        label="Message size (KB)",
        kind="decimal",
        default=Decimal(1),
        minimum=Decimal(0),
        maximum=Decimal(128),
        help="WebSocket messages count once per started 32 KB: a 33 KB message counts as 2.",
    ),
    Field(
        name="connection_minutes",
        when=("api_type", ("websocket",)),
        label="Connection minutes",
        kind="int",
        default=0,
        minimum=Decimal(0),
        maximum=Decimal(10**13),
        help="WebSocket APIs: minutes clients stay connected in the month (clients × minutes each).",
    ),
    Field(
        name="free_tier",
        label="Free tier",
        kind="bool",
        default=False,
        help="The 12-month free tier: 1 million HTTP or REST calls, 1 million WebSocket messages and 750,000 connection minutes a month. Off by default: accounts created from 15 July 2025 get credits instead.",
    ),
)


def check(values: dict[str, object]) -> dict[str, list[str]]:
    """Cross-field rules: only a REST API has a cache."""
    errors: dict[str, list[str]] = {}
    if values["api_type"] != "rest" and Decimal(str(values["cache_gb"])) != 0:
        name = NAMES[str(values["api_type"])]
        errors["cache_gb"] = [
            Message(
                f"only REST APIs have a cache; choose 0 for {name}",
                page=f"Only REST APIs have a cache: set Cache size (GB) to 0 for {name}",
            )
        ]
    return errors


def estimate(values: dict[str, object], table: Table) -> Estimate:
    api_type = str(values["api_type"])
    build = {"http": _http, "rest": _rest, "websocket": _websocket}[api_type]
    lines, notes = build(values, table[api_type], bool(values["free_tier"]))
    if values["free_tier"]:
        notes.append("The free tier lasts 12 months from sign-up; accounts created from 15 July 2025 get credits instead.")
    return Estimate(service=SERVICE, inputs=values, lines=tuple(lines), notes=tuple(notes))


def _http(values: Mapping[str, object], prices: Mapping[str, Any], free_tier: bool) -> tuple[list[Line], list[str]]:
    notes = [
        "An HTTP API is billed per request, metered in 512 KB units; it has no cache, and the response, message and connection inputs don't apply."
    ]
    metered, head = _metered(dec(values["requests"]), dec(values["request_size_kb"]), prices["metering_kb"], "request", "HTTP", notes)
    lines = _free_then_tiers(
        "HTTP API requests",
        head,
        metered,
        prices["free_requests"] if free_tier else Decimal(0),
        prices["request_tiers"],
        "upto_requests",
        "price_per_million",
        unit="requests",
        notes=notes,
    )
    return lines, notes


def _rest(values: Mapping[str, object], prices: Mapping[str, Any], free_tier: bool) -> tuple[list[Line], list[str]]:
    notes = ["A REST API is billed per request whatever its size, plus data transfer out and an optional cache."]
    requests = dec(values["requests"])
    lines = _free_then_tiers(
        "REST API requests",
        f"{number(requests)} requests",
        requests,
        prices["free_requests"] if free_tier else Decimal(0),
        prices["request_tiers"],
        "upto_requests",
        "price_per_million",
        unit="requests",
        notes=notes,
    )
    response = dec(values["response_size_kb"])
    if requests and response:
        kb = requests * response
        gb = kb / KB_PER_GB
        head = f"{number(requests)} responses × {number(response)} KB = {number(kb)} KB ÷ 1,024² {_gb(gb)}"
        lines += _tiers(
            "Data transfer out",
            head,
            gb,
            prices["transfer_out_tiers"],
            "upto_gb",
            "price_per_gb",
            unit="GB",
            per=Decimal(1),
            show=_gb_amount,
            span=_tb_span,
        )
        notes.append(
            f"Data transfer out is priced per GB ({price_text(prices['transfer_out_tiers'][0]['price_per_gb'])} for the first 10 TB), as in AWS's example: the AWS-wide 100 GB of free transfer out a month is not taken off."
        )
    cache = Decimal(str(values["cache_gb"]))
    hours = dec(values["cache_hours"])
    if cache and hours:
        offered = {tier["size_gb"]: tier["price_per_hour"] for tier in prices["cache"]}
        if cache not in offered:
            raise InputError({"cache_gb": [f"this region offers {', '.join(number(size) for size in offered)} GB"]})
        hourly = offered[cache]
        amount = to_cents(hours * hourly)
        lines.append(
            line(
                f"Cache ({number(cache)} GB)",
                hours,
                "hours",
                hourly,
                formula=f"{number(hours)} hours × {price_text(hourly)} per hour = {money(amount)}",
            )
        )
        notes.append("The cache is billed for every hour it exists, whether or not it is used; the free tier doesn't cover it.")
    return lines, notes


def _websocket(values: Mapping[str, object], prices: Mapping[str, Any], free_tier: bool) -> tuple[list[Line], list[str]]:
    notes = ["A WebSocket API is billed per message, metered in 32 KB units, and per connection minute; the request inputs don't apply."]
    metered, head = _metered(dec(values["messages"]), dec(values["message_size_kb"]), prices["metering_kb"], "message", "WebSocket", notes)
    lines = _free_then_tiers(
        "WebSocket messages",
        head,
        metered,
        prices["free_messages"] if free_tier else Decimal(0),
        prices["message_tiers"],
        "upto_messages",
        "price_per_million",
        unit="messages",
        notes=notes,
    )
    minutes = dec(values["connection_minutes"])
    tier = [{"price_per_million": prices["connection_minutes_price_per_million"]}]
    lines += _free_then_tiers(
        "Connection minutes",
        f"{number(minutes)} minutes",
        minutes,
        prices["free_connection_minutes"] if free_tier else Decimal(0),
        tier,
        "upto_minutes",
        "price_per_million",
        unit="minutes",
        notes=notes,
    )
    return lines, notes


def _metered(count: Decimal, size: Decimal, unit_kb: Decimal, noun: str, api: str, notes: list[str]) -> tuple[Decimal, str]:
    """Requests (or messages) as billed, each counted once per started ``unit_kb``; and the bill line's
    head. A note says so when a size spans more than one unit."""
    units = metered_units(size, unit_kb)
    metered = count * units
    head = f"{number(count)} {noun}s"
    if units > 1:
        head += f" × {units} ({number(size)} KB in {number(unit_kb)} KB units) = {number(metered)} {noun}s"
        notes.append(f"Each {number(size)} KB {noun} counts as {units} {noun}s: {api} APIs meter {noun}s in {number(unit_kb)} KB units.")
    return metered, head


def metered_units(size_kb: Decimal, unit_kb: Decimal) -> int:
    """How many metered units one request or message of ``size_kb`` counts as (at least 1)."""
    return max(1, int((size_kb / unit_kb).to_integral_value(rounding=ROUND_CEILING)))


# Tiers ---------------------------------------------------------------------------------------


def _free_then_tiers(
    label: str,
    head: str,
    quantity: Decimal,
    free: Decimal,
    tiers: Sequence[Mapping[str, Any]],
    upto: str,
    price: str,
    *,
    unit: str,
    notes: list[str],
) -> list[Line]:
    """Take the free amount off ``quantity`` (described by ``head``), then price the rest per million in tiers."""
    if not quantity:
        return []
    used = min(free, quantity)
    if used:
        head += f" − {number(used)} free = {number(quantity - used)}"
        notes.append(f"The free tier covered {number(used)} {unit}.")
    return _tiers(label, head, quantity - used, tiers, upto, price, unit=unit, per=MILLION, show=number, span=_count_span)


def _tiers(
    label: str,
    head: str,
    quantity: Decimal,
    tiers: Sequence[Mapping[str, Any]],
    upto: str,
    price: str,
    *,
    unit: str,
    per: Decimal,
    show: Callable[[Decimal], str],
    span: Callable[[Decimal, Decimal | None], str],
) -> list[Line]:
    """One line per tier that ``quantity`` reaches (each tier runs up to its cumulative ``upto``);
    a quantity within the first tier is one line carrying the whole ``head``."""
    basis = "per million" if per == MILLION else f"per {unit}"
    bands = split_tiers(quantity, tiers, upto)
    if len(bands) <= 1:
        unit_price = tiers[0][price] if not bands else bands[0][2][price]
        amount = to_cents(quantity * unit_price / per)
        return [line(label, quantity, unit, unit_price, per=per, formula=f"{head} × {price_text(unit_price)} {basis} = {money(amount)}")]
    lines = []
    for index, (start, take, tier) in enumerate(bands):
        amount = to_cents(take * tier[price] / per)
        step = f"{head}: first {show(take)}" if index == 0 else f"next {show(take)}"
        lines.append(
            line(
                f"{label}, {span(start, tier.get(upto))}",
                take,
                unit,
                tier[price],
                per=per,
                formula=f"{step} {unit} × {price_text(tier[price])} {basis} = {money(amount)}",
            )
        )
    return lines


def _gb(gb: Decimal) -> str:
    """'= 15 GB' when exact, '≈ 14.31 GB' otherwise (the amount uses the exact figure)."""
    return f"{'=' if gb == gb.quantize(CENT) else '≈'} {_gb_amount(gb)} GB"


def _gb_amount(gb: Decimal) -> str:
    """A GB figure to two decimals at most, for display."""
    return number(gb.quantize(CENT)) if gb != gb.quantize(CENT) else number(gb)


def _count(n: Decimal) -> str:
    for size, word in ((Decimal(10**9), "billion"), (MILLION, "million")):
        if n >= size and n % size == 0:
            return f"{number(n / size)} {word}"
    return number(n)


def _count_span(start: Decimal, end: Decimal | None) -> str:
    if end is None:
        return f"over {_count(start)}"
    return f"first {_count(end)}" if start == 0 else f"{_count(start)} to {_count(end)}"


def _tb_span(start: Decimal, end: Decimal | None) -> str:
    def tb(gb: Decimal) -> str:
        return f"{number(gb / 1024)} TB" if gb % 1024 == 0 else f"{number(gb)} GB"

    if end is None:
        return f"over {tb(start)}"
    return f"first {tb(end)}" if start == 0 else f"{tb(start)} to {tb(end)}"


# Word problems -------------------------------------------------------------------------------


def problem(rng: random.Random, table: Table) -> tuple[str, dict[str, object]]:
    """A randomised question and the raw inputs that answer it."""
    api_type = rng.choice(API_TYPES)
    free_tier = rng.random() < 0.3
    free_text = "free tier on (the account is in its first 12 months)" if free_tier else "no free tier"
    if api_type == "http":
        millions = rng.choice((3, 10, 25, 80, 150, 300, 432, 600))
        size = rng.choice((2, 12, 64, 300, 600, 1024))
        text = f"An HTTP API receives {millions} million requests a month of {size} KB each, {free_text}. What is the monthly bill?"
        return text, {"api_type": "http", "requests": millions * 1_000_000, "request_size_kb": size, "free_tier": free_tier}
    if api_type == "rest":
        millions = rng.choice((2, 5, 10, 40, 120, 500))
        response = rng.choice((1, 3, 8, 20))
        transfer = price_text(table["rest"]["transfer_out_tiers"][0]["price_per_gb"])
        cache = rng.choice(["0", "0", *(number(tier["size_gb"]) for tier in table["rest"]["cache"][:3])])
        cache_text = "no cache" if cache == "0" else f"a {cache} GB cache running all month (730 hours)"
        text = (
            f"A REST API serves {millions} million calls a month with {response} KB responses (data transfer out at {transfer} per GB), "
            f"{cache_text}, {free_text}. What is the monthly bill?"
        )
        return text, {
            "api_type": "rest",
            "requests": millions * 1_000_000,
            "response_size_kb": response,
            "cache_gb": cache,
            "cache_hours": 730,
            "free_tier": free_tier,
        }
    millions = rng.choice((2, 10, 50, 300))
    size = rng.choice((1, 20, 32, 40, 100))
    clients = rng.choice((100, 1_000, 5_000))
    hours = rng.choice((1, 8, 24))
    minutes = clients * hours * 60 * 30
    text = (
        f"A WebSocket chat API carries {millions} million messages a month of {size} KB each; {number(clients)} clients stay connected "
        f"{hours} hour{'s' if hours > 1 else ''} a day for 30 days; {free_text}. What is the monthly bill?"
    )
    return text, {
        "api_type": "websocket",
        "messages": millions * 1_000_000,
        "message_size_kb": size,
        "connection_minutes": minutes,
        "free_tier": free_tier,
    }
