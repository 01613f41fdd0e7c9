"""Amazon ECR: private and public repository storage and transfer out for one month. Pure: no Django.

Storage is per GB-month. The private 500 MB-month free tier (500 ÷ 1,024 GB) is a switch; the
public allowances (50 GB-month of storage, 500 GB of anonymous transfer out) always apply.
Private transfer out to the internet is priced in tiers after the AWS-wide free allowance, an
input because other services may already have used it. Transfer in, and to compute in the same
region, is free. Each line is rounded to the cent, then the lines are added.
"""

import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from studyapp.pricing.money import Estimate, Field, Line, dec, line, money, number, price_text, split_tiers, to_cents
from studyapp.pricing.tables import Table

SERVICE = "ecr"
TITLE = "Amazon ECR"
SUMMARY = "Container images kept in private and public repositories, and transfer out to the internet."

MB_PER_GB = Decimal(1024)
GB_PER_TB = Decimal(1024)
LIMIT = Decimal(10**9)

FIELDS = (
    Field(
        name="storage_gb",
        label="Private storage (GB-month)",
        kind="decimal",
        default=Decimal(10),
        minimum=Decimal(0),
        maximum=LIMIT,
        help="Images kept in private repositories, averaged over the month.",
    ),
    Field(
        name="internet_egress_gb",
        label="Private transfer out to the internet (GB)",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=LIMIT,
        help="Image pulls from private repositories to outside AWS (or another region). Pulls by compute in the same region are free.",
    ),
    Field(
        name="free_egress_gb",
        label="Free transfer out left (GB)",
        kind="decimal",
        default=Decimal(100),
        minimum=Decimal(0),
        maximum=Decimal(100),
        help="AWS gives 100 GB of transfer out to the internet free each month, shared by all services: enter what is left of it for ECR.",
    ),
    Field(
        name="public_storage_gb",
        label="Public storage (GB-month)",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=LIMIT,
        help="Images in public repositories: 50 GB-month free every month, always.",
    ),
    Field(
        name="public_anonymous_egress_gb",
        label="Public anonymous pulls (GB)",
        kind="decimal",
        default=Decimal(0),
        minimum=Decimal(0),
        maximum=Decimal(500),
        help="Transfer out of public repositories to anonymous users: free, up to a quota of 500 GB a month (users signed in to AWS get 5 TB).",
    ),
    Field(
        name="free_tier",
        label="Free tier",
        kind="bool",
        default=False,
        help="The 12-month free tier for new accounts: 500 MB-month of private storage. Off by default: accounts created from 15 July 2025 get credits instead. The public allowances apply either way.",
    ),
)


def check(values: dict[str, object]) -> dict[str, list[str]]:
    """No rules across fields: every input is valid on its own range."""
    return {}


def estimate(values: dict[str, object], table: Table) -> Estimate:
    price: Decimal = table["storage_price_per_gb_month"]
    lines: list[Line] = []
    notes: list[str] = []

    storage = dec(values["storage_gb"])
    if storage:
        head = f"{number(storage)} GB-month"
        if values["free_tier"]:
            free_mb: Decimal = table["private_free_tier"]["storage_mb_month"]
            used = min(free_mb / MB_PER_GB, storage)
            head += f" − {number(used)} free ({number(free_mb)} MB ÷ 1,024) = {number(storage - used)}"
            notes.append(
                f"The free tier covered {number(used)} GB-month of private storage ({number(free_mb)} MB-month, for the first 12 months)."
            )
            storage -= used
        lines.append(_line("Private storage", head, storage, "GB-month", price))

    egress = dec(values["internet_egress_gb"])
    if egress:
        free = dec(values["free_egress_gb"])
        used = min(free, egress)
        head = f"{number(egress)} GB"
        if used:
            head += f" − {number(used)} free = {number(egress - used)}"
            notes.append(f"AWS's monthly free transfer out covered {number(used)} GB.")
        lines += _tiers("Transfer out to the internet", head, egress - used, table["transfer_out_tiers"])

    public = table["public_free"]
    public_storage = dec(values["public_storage_gb"])
    if public_storage:
        used = min(public["storage_gb_month"], public_storage)
        head = f"{number(public_storage)} GB-month − {number(used)} free = {number(public_storage - used)}"
        lines.append(_line("Public storage", head, public_storage - used, "GB-month", price))
        notes.append(f"Public repositories keep {number(public['storage_gb_month'])} GB-month free every month, for every account.")

    anonymous = dec(values["public_anonymous_egress_gb"])
    if anonymous:
        quota = public["anonymous_transfer_out_gb"]
        lines.append(
            line(
                "Public transfer out (anonymous)",
                anonymous,
                "GB",
                Decimal(0),
                formula=f"{number(anonymous)} GB, within the {number(quota)} GB a month free to anonymous users = $0.00",
            )
        )

    notes.append("Pushing images in, and pulling them to compute in the same region, is free.")
    return Estimate(service=SERVICE, inputs=values, lines=tuple(lines), notes=tuple(notes))


def _line(label: str, head: str, quantity: Decimal, unit: str, unit_price: Decimal) -> Line:
    amount = to_cents(quantity * unit_price)
    return line(label, quantity, unit, unit_price, formula=f"{head} × {price_text(unit_price)} per {unit} = {money(amount)}")


def _tiers(label: str, head: str, gb: Decimal, tiers: Sequence[Mapping[str, Any]]) -> list[Line]:
    """One line per tier that ``gb`` reaches (tiers run up to their cumulative ``upto_gb``); a
    quantity within the first tier is one line carrying the whole ``head``."""
    bands = split_tiers(gb, tiers, "upto_gb")
    if len(bands) <= 1:
        unit_price = (bands[0][2] if bands else tiers[0])["price_per_gb"]
        return [_line(label, head, gb, "GB", unit_price)]
    lines = []
    for index, (start, take, tier) in enumerate(bands):
        step = f"{head}: first {number(take)} GB" if index == 0 else f"next {number(take)} GB"
        lines.append(_line(f"{label}, {_span(start, tier.get('upto_gb'))}", step, take, "GB", tier["price_per_gb"]))
    return lines


def _span(start: Decimal, end: Decimal | None) -> str:
    def tb(gb: Decimal) -> str:
        return f"{number(gb / GB_PER_TB)} TB" if gb % GB_PER_TB == 0 else f"{number(gb)} GB"

    if end is None:
        return f"over {tb(start)}"
    return f"first {tb(end)}" if start == 0 else f"{tb(start)} to {tb(end)}"


def problem(rng: random.Random, table: Table) -> tuple[str, dict[str, object]]:
    """A randomised question and the raw inputs that answer it."""
    storage = rng.choice((5, 20, 50, 120, 300))
    egress = rng.choice((0, 50, 400, 1_200, 15_000))
    free_left = rng.choice((100, 100, 0))
    public_storage = rng.choice((0, 0, 30, 80))
    anonymous = rng.choice((100, 450)) if public_storage else 0
    free_tier = rng.random() < 0.3
    parts = [f"A team keeps {storage} GB of images in private ECR repositories"]
    if egress:
        parts.append(f"developers pull {number(egress)} GB a month from them to laptops over the internet")
        parts.append(
            "the account's 100 GB of free transfer out is unused elsewhere"
            if free_left
            else "other services already use the account's 100 GB of free transfer out"
        )
    else:
        parts.append("only ECS tasks in the same region pull from them")
    if public_storage:
        parts.append(f"they also publish {public_storage} GB of images in a public repository, pulled anonymously {anonymous} GB a month")
    parts.append("the private free tier applies (first 12 months)" if free_tier else "no free tier")
    text = "; ".join(parts) + ". What is the monthly ECR bill?"
    raw: dict[str, object] = {
        "storage_gb": storage,
        "internet_egress_gb": egress,
        "free_egress_gb": free_left,
        "public_storage_gb": public_storage,
        "public_anonymous_egress_gb": anonymous,
        "free_tier": free_tier,
    }
    return text, raw
