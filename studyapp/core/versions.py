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

from .models import Stamp

TTL = 1.0  # seconds a process trusts the version it read
_UNSET = "0"  # the version before anything was ever bumped

_known: dict[str, tuple[str, float]] = {}  # name -> (value, monotonic time it was read)


def current(name: str) -> str:
    """The version of ``name``: at most :data:`TTL` seconds old, at most one query per TTL."""
    now = time.monotonic()
    known = _known.get(name)
    if known is not None and now - known[1] < TTL:
        return known[0]
    value = Stamp.objects.filter(name=name).values_list("value", flat=True).first() or _UNSET
    _known[name] = (value, now)
    return value


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
