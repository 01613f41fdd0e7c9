"""Test-only settings and shared fixtures."""

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp.content.loader import load
from studyapp.content.sync import sync_content

FIXTURES = Path(__file__).parent / "content" / "fixtures"
DEMO = FIXTURES / "demo"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a file, not shared memory, so threads meet real locking (WAL, busy timeout)
    instead of shared-cache table locks."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] in {"django.db.backends.sqlite3", "studyapp.core.sqlite"}:
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    """Each test gets cache keys of its own and reads the content's version again: a page cached by
    one test (core.pagecache) must not answer another's, whose rows were rolled back, nor another
    run's sharing the Redis database (so the cache is not flushed under it)."""
    import secrets

    from studyapp.core import pagecache, versions

    monkeypatch.setattr(pagecache, "_release_digest", f"test-{secrets.token_hex(6)}")
    versions.forget()


@pytest.fixture
def demo_root(tmp_path: Path) -> Path:
    """A private copy of the demo content, free to edit."""
    root = tmp_path / "content"
    shutil.copytree(DEMO, root)
    return root


@pytest.fixture
def demo_course(db, demo_root: Path):
    """The demo content, loaded."""
    result = load(demo_root)
    assert result.ok, result.problems
    sync_content(result, now=NOW)
    from studyapp.content.models import Course

    return Course.objects.get(slug="demo")
