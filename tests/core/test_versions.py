"""Named versions (core.versions): a bump is a new value, seen at once in this process and within
the TTL in another."""

import pytest

from studyapp.core import versions
from studyapp.core.models import Stamp

pytestmark = pytest.mark.django_db


def test_a_bump_gives_a_new_value_each_time():
    first, second = versions.bump("content"), versions.bump("content")
    assert first != second
    assert versions.current("content") == second == Stamp.objects.get(name="content").value


def test_another_process_s_bump_is_seen_after_the_ttl(monkeypatch):
    seen = versions.current("content")
    Stamp.objects.update_or_create(name="content", defaults={"value": "from-elsewhere"})  # as manage.py load_content would
    assert versions.current("content") == seen  # trusted for TTL seconds: no query per page
    clock = versions.time.monotonic() + versions.TTL + 0.1
    monkeypatch.setattr(versions.time, "monotonic", lambda: clock)
    assert versions.current("content") == "from-elsewhere"
