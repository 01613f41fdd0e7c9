"""Drawing a mock exam from the question bank by exam-domain weights. Pure: standard library only.

The bank comes in as :class:`BankItem` values and the random generator is passed in, so a stored
seed replays the same draw. A :class:`Blueprint` says how many questions to draw, how the domains
share them and which questions may appear.

The default blueprint is the CLF-C02 exam: 65 questions; Cloud Concepts (``domain-1``) 24 %,
Security and Compliance (``domain-2``) 30 %, Cloud Technology and Services (``domain-3``) 34 %,
Billing, Pricing and Support (``domain-4``) 12 %; single answer with exactly 4 options and multiple
response with 5 or more, as on the real exam (true/false does not appear there). The weights are the
exam guide's shares of scored content; applying them to all 65 questions gives 16/19/22/8.

Two mocks in a row: a draw may ``avoid`` the ids of the previous one, taking each domain's count
from the rest first and repeating only what a small pool forces, so consecutive mocks share at most
``max(0, 2 × count − pool)`` questions per domain (:func:`repeat_bound`).

Drawing is O(bank size): one pass to bucket eligible items by domain, then a sample per domain.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

CLF_C02_WEIGHTS: Mapping[str, Decimal] = MappingProxyType(
    {"domain-1": Decimal("0.24"), "domain-2": Decimal("0.30"), "domain-3": Decimal("0.34"), "domain-4": Decimal("0.12")}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BankItem:
    """What the blueprint needs to know about one question of the bank."""

    id: int
    domain: str  # "domain-1" .. "domain-4"
    kind: str  # any question kind: a blueprint admits those in its ``kinds``
    topic: str
    option_count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Blueprint:
    """How to draw one exam.

    ``weights`` maps a domain to its share (``Decimal``, ``float`` or ``int``; shares need not add up
    to 1, they are normalised). A float is read through its decimal repr, so 0.24 means exactly 0.24.
    Only domains with a positive weight are drawn from. ``kinds`` are the question kinds allowed;
    option rules: a single-answer question needs exactly ``single_options`` options, a multiple-response
    one at least ``multiple_min_options``, a true/false one exactly 2.
    """

    total: int = 65
    weights: Mapping[str, Decimal | float | int] = CLF_C02_WEIGHTS
    kinds: frozenset[str] = frozenset({"single", "multiple"})
    single_options: int = 4
    multiple_min_options: int = 5

    def __post_init__(self) -> None:
        if self.total < 0:
            raise ValueError(f"total must not be negative, got {self.total}")
        shares = {domain: _share(weight) for domain, weight in self.weights.items()}
        if any(share < 0 for share in shares.values()) or sum(shares.values()) <= 0:
            raise ValueError(f"weights must be non-negative with a positive sum, got {dict(self.weights)}")
        if unknown := set(self.kinds) - {"single", "multiple", "truefalse"}:
            raise ValueError(f"unknown question kinds {sorted(unknown)}")

    def shares(self) -> dict[str, Fraction]:
        """Each positively weighted domain's exact share of the exam; the shares add up to 1."""
        raw = {domain: _share(weight) for domain, weight in self.weights.items()}
        whole = sum(raw.values())
        return {domain: share / whole for domain, share in raw.items() if share > 0}

    def fits(self, item: BankItem) -> bool:
        """Whether ``item``'s kind is allowed and it has the right number of options (domain aside)."""
        if item.kind not in self.kinds:
            return False
        match item.kind:
            case "single":
                return item.option_count == self.single_options
            case "multiple":
                return item.option_count >= self.multiple_min_options
            case "truefalse":
                return item.option_count == 2
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class Draw:
    """One drawn exam.

    ``items`` are bank ids in the order they will be asked. ``counts`` is how many were drawn per
    domain. ``shortfall`` maps each domain that had fewer eligible items than its target (see
    :func:`targets`) to how many it lacked; the UI warns about these, as Moodle does when a category
    has too few questions. ``missing`` is how many fewer than ``blueprint.total`` were drawn in all
    (non-zero only when the whole bank has fewer eligible items than that).
    """

    items: tuple[int, ...]
    counts: dict[str, int]
    shortfall: dict[str, int]
    missing: int


def _share(weight: Decimal | float | int) -> Fraction:
    if isinstance(weight, bool):
        raise TypeError(f"a weight must be a number, got {weight!r}")
    number = Decimal(repr(weight)) if isinstance(weight, float) else Decimal(weight)
    if not number.is_finite():
        raise ValueError(f"a weight must be finite, got {weight!r}")
    return Fraction(number)


def _apportion(seats: int, shares: Mapping[str, Fraction]) -> dict[str, int]:
    """Largest-remainder (Hamilton) apportionment of ``seats`` among ``shares`` (positive, any sum).

    Each domain gets the floor of its exact quota; the seats left over go one each to the largest
    remainders, ties broken by the larger share, then by domain name. Every count is within 1 of its
    quota and the counts add up to ``seats`` exactly.
    """
    whole = sum(shares.values())
    quotas = {domain: seats * share / whole for domain, share in shares.items()}
    counts = {domain: int(quota) for domain, quota in quotas.items()}  # quotas are >= 0: int() floors
    left = seats - sum(counts.values())
    by_remainder = sorted(quotas, key=lambda d: (-(quotas[d] - counts[d]), -shares[d], d))
    for domain in by_remainder[:left]:
        counts[domain] += 1
    return counts


def targets(blueprint: Blueprint) -> dict[str, int]:
    """How many questions each positively weighted domain should give, adding up to ``blueprint.total``.

    Largest-remainder apportionment: 65 at the default weights has quotas 15.6/19.5/22.1/7.8, floors
    15/19/22/7 (63), and the two seats left go to the largest remainders (domain-4's .8, domain-1's .6):
    16/19/22/8.
    """
    return _apportion(blueprint.total, blueprint.shares())


def _capped(seats: int, shares: Mapping[str, Fraction], available: Mapping[str, int]) -> dict[str, int]:
    """Apportion ``seats`` (at most ``sum(available)``) so no domain gets more than it has.

    A domain whose apportioned count exceeds what it has gets all it has; the remaining seats are
    re-apportioned among the other domains by their weights, until every count fits. Each uncapped
    domain thus ends within 1 of its quota in the final re-apportionment.
    """
    counts: dict[str, int] = {}
    active = dict(shares)
    while active:
        trial = _apportion(seats, active)
        over = [domain for domain in active if trial[domain] > available[domain]]
        if not over:
            counts.update(trial)
            break
        for domain in over:
            counts[domain] = available[domain]
            seats -= available[domain]
            del active[domain]
    return counts


def draw(bank: Iterable[BankItem], blueprint: Blueprint, *, rng: random.Random, avoid: Collection[int] = frozenset()) -> Draw:
    """Draw ``blueprint.total`` distinct eligible questions, shuffled: from a weighted domain, and
    admitted by :meth:`Blueprint.fits` (an allowed kind with the right number of options).

    ``avoid`` (the learner's previous mock, say) changes which questions are drawn, never how many:
    each domain draws its count from its items not in ``avoid`` first, and only when those are too
    few takes the rest at random from the avoided ones. Two draws in a row from the same bank, the
    second avoiding the first, thus share at most ``max(0, 2 × count − pool)`` questions in each
    domain (its count and its eligible pool: :func:`repeat_bound`), none once every pool holds twice
    its count. An empty ``avoid`` draws exactly as before it existed.

    Each domain gives its :func:`targets` count. A domain with fewer eligible items gives all of them,
    the difference is recorded in ``shortfall``, and the missing seats are filled from the other
    domains in proportion to their weights (largest remainder again, capped by what each has), so the
    exam still has ``total`` questions whenever the bank has that many eligible items; with fewer,
    it has all of them and ``missing`` says how many it lacks. An id seen twice in ``bank`` counts
    once (its first eligible item). The same bank, blueprint and seed give the same draw.
    """
    buckets = _buckets(bank, blueprint)
    available = {domain: len(ids) for domain, ids in buckets.items()}
    wanted = targets(blueprint)
    shortfall = {domain: wanted[domain] - available[domain] for domain in sorted(wanted) if available[domain] < wanted[domain]}
    counts = _counts(available, blueprint)
    items: list[int] = []
    for domain in sorted(buckets):  # a fixed order, so a seed replays
        ids, count = buckets[domain], counts[domain]
        fresh = [i for i in ids if i not in avoid] if avoid else ids
        if len(fresh) >= count:
            items.extend(rng.sample(fresh, count))
        else:  # all the fresh ones, then as few repeats as the domain's count needs
            items.extend(fresh + rng.sample([i for i in ids if i in avoid], count - len(fresh)))
    rng.shuffle(items)
    return Draw(
        items=tuple(items),
        counts={domain: counts[domain] for domain in sorted(counts)},
        shortfall=shortfall,
        missing=blueprint.total - len(items),
    )


def planned_counts(bank: Iterable[BankItem], blueprint: Blueprint) -> dict[str, int]:
    """How many questions :func:`draw` takes from each weighted domain of this bank, whatever the
    seed: the :func:`targets`, capped by the eligible items each domain has, the seats a short domain
    cannot fill shared among the others by weight. Keys are every weighted domain, sorted. What a
    start page states, so it never promises the exam's counts when the bank cannot give them."""
    available = {domain: len(ids) for domain, ids in _buckets(bank, blueprint).items()}
    counts = _counts(available, blueprint)
    return {domain: counts[domain] for domain in sorted(counts)}


def repeat_bound(bank: Iterable[BankItem], blueprint: Blueprint) -> dict[str, int]:
    """At most how many questions of each weighted domain two mocks in a row share, when the second
    avoids the first (see :func:`draw`): ``max(0, 2 × count − pool)``, where ``count`` is what
    :func:`planned_counts` draws from the domain and ``pool`` its eligible items. The first mock took
    ``count`` of the pool, the second finds ``pool − count`` fresh ones and repeats only the rest.
    Keys as :func:`planned_counts`'s; their sum bounds the whole exam's overlap."""
    available = {domain: len(ids) for domain, ids in _buckets(bank, blueprint).items()}
    counts = _counts(available, blueprint)
    return {domain: max(0, 2 * counts[domain] - available[domain]) for domain in sorted(counts)}


def _buckets(bank: Iterable[BankItem], blueprint: Blueprint) -> dict[str, list[int]]:
    """The eligible ids of each weighted domain, in bank order; an id seen twice counts once."""
    buckets: dict[str, list[int]] = {domain: [] for domain in blueprint.shares()}
    seen: set[int] = set()
    for item in bank:
        bucket = buckets.get(item.domain)  # None: a domain without weight
        if bucket is not None and item.id not in seen and blueprint.fits(item):
            seen.add(item.id)
            bucket.append(item.id)
    return buckets


def _counts(available: Mapping[str, int], blueprint: Blueprint) -> dict[str, int]:
    return _capped(min(blueprint.total, sum(available.values())), blueprint.shares(), available)


def shuffle_options(option_count: int, *, rng: random.Random) -> tuple[int, ...]:
    """A random order for a question's options: ``order[position]`` is the stored index of the option
    shown at ``position``. A permutation of ``range(option_count)``."""
    if option_count < 0:
        raise ValueError(f"option_count must not be negative, got {option_count}")
    order = list(range(option_count))
    rng.shuffle(order)
    return tuple(order)
