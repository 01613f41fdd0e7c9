"""`make run` serves the app through uvicorn (ASGI): pages and static files over real HTTP, started
exactly as the Makefile starts it."""

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.servers import UVICORN_FLAGS, Server, running

ROOT = Path(__file__).resolve().parents[2]


def test_the_tests_start_the_server_as_make_run_does() -> None:
    recipe = re.search(r"^run: setup\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert recipe is not None, "the Makefile has a `run` target"
    words = recipe.group(1).replace("\\\n", " ").split()
    assert words[0] == "$(VENV)/bin/uvicorn" and words[-1] == "studyapp.asgi:application"
    flags = [w for w in words[1:-1] if w not in {"--host", "$(HOST)", "--port", "$(PORT)"}]
    assert flags == UVICORN_FLAGS


def test_make_runs_server_serves_pages_and_static_files(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["DATABASE_URL"] = database
    for command in (["migrate", "--noinput", "-v0"], ["load_content"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    with running(Server(database_url=database)) as server:
        home = urllib.request.urlopen(server.base + "/", timeout=5).read().decode()
        assert "Compute" in home
        css = urllib.request.urlopen(server.base + "/static/css/app.css", timeout=5)
        assert css.status == 200 and b"--accent" in css.read()
        htmx = urllib.request.urlopen(server.base + "/static/django_htmx/htmx-2.min.js", timeout=5)
        assert htmx.status == 200
        assert "<mark>" in urllib.request.urlopen(server.base + "/search/?q=lambda", timeout=5).read().decode()


def test_what_start_up_made_is_out_of_the_collector_s_sight() -> None:
    """gc.freeze() once the application is built: a full collection no longer walks Django's own
    objects (docs/performance.md)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    code = "import gc, studyapp.asgi; print(gc.get_freeze_count())"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120)
    assert int(out.stdout) > 50_000  # Django, the apps, the URL patterns and the channels stack
