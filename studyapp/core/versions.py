"""Named versions (``Stamp`` rows) that caches are keyed by: the writer bumps one when it changes
what it owns (``content.sync`` bumps ``content`` when a load writes anything), and every cache entry
built from that data carries the version in its key, so a bump invalidates them all at once and an
unchanged load invalidates nothing.

Each process keeps the version it read for :data:`TTL` seconds, so a cached page costs no query; a
change made by another process (``manage.py load_content``) is seen within that time. A bump in this
process is seen at once.
"""

import secrets
import time
from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction

from .models import Stamp

TTL = 1.0  # seconds a process trusts the version it read
_UNSET = "0"  # the version before anything was ever bumped

_known: dict[str, tuple[str, float]] = {}  # name -> (value, monotonic time it was read)


def current(name: str) -> str:
    """The version of ``name``: at most :data:`TTL` seconds old, at most one query per TTL."""
    return current_all([name])[0]


def current_all(names: Sequence[str]) -> list[str]:
    """The versions of ``names``, as :func:`current`: those not known in the last TTL in one query."""
    now = time.monotonic()
    stale = [name for name in names if (known := _known.get(name)) is None or now - known[1] >= TTL]
    if stale:
        read = dict(Stamp.objects.filter(name__in=stale).values_list("name", "value"))
        for name in stale:
            _known[name] = (read.get(name) or _UNSET, now)
    return [_known[name][0] for name in names]


def bump(name: str) -> str:
    """Give ``name`` a new version (inside the caller's transaction); returns it."""
    value = secrets.token_hex(8)
    # One statement (INSERT ... ON CONFLICT DO UPDATE): writers of questions bump on every write.
    Stamp.objects.bulk_create([Stamp(name=name, value=value)], update_conflicts=True, unique_fields=["name"], update_fields=["value"])
    _known[name] = (value, time.monotonic())
    return value


def forget() -> None:
    """Drop what this process remembers (tests: each starts from the database)."""
    _known.clear()


# --- one learner's own versions --------------------------------------------------------------
# Kept in Django's default cache, not in Stamp rows: read on every page a learner's cache serves
# (no query), and dropped after each commit that changes their data (no write in the transaction).
# That cache is shared by every process that serves them (Redis, when REDIS_URL is set; the local
# memory cache of the one process otherwise). A version the cache has lost is a new one: the
# pages built under the old one are never served again.
_LEARNER_TIMEOUT = 7 * 24 * 3600  # seconds; longer than any page is kept (core.pagecache.TIMEOUT)


def _learner_key(user_id: int, area: str) -> str:
    return f"studyapp:learner-version:{area}:{user_id}"


def of_learner(user_id: int, area: str) -> str:
    """The version of learner ``user_id``'s data in ``area`` (e.g. ``"srs"``: their review states)."""
    return str(cache.get_or_set(_learner_key(user_id, area), lambda: secrets.token_hex(8), _LEARNER_TIMEOUT))


def bump_learner(user_id: int, area: str) -> None:
    """Learner ``user_id``'s data in ``area`` changed (call inside the writing transaction): their
    version is dropped now, and again once the transaction commits. A page read in between sees
    the data as it was before, and is stored under a version the commit then drops; after the
    commit, every read makes (or finds) a version newer than the change."""
    key = _learner_key(user_id, area)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
