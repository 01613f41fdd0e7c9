"""`make run` serves the app through daphne (ASGI): pages and static files over real HTTP."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_daphne_serves_pages_and_static_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    for command in (["migrate", "--noinput", "-v0"], ["load_content"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    daphne = Path(sys.executable).parent / "daphne"
    server = subprocess.Popen(
        [str(daphne), "-b", "127.0.0.1", "-p", str(port), "studyapp.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                home = urllib.request.urlopen(base + "/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("daphne did not answer")
        assert "Compute" in home
        css = urllib.request.urlopen(base + "/static/css/app.css", timeout=2)
        assert css.status == 200 and b"--accent" in css.read()
        htmx = urllib.request.urlopen(base + "/static/django_htmx/htmx-2.min.js", timeout=2)
        assert htmx.status == 200
        assert "<mark>" in urllib.request.urlopen(base + "/search/?q=lambda", timeout=2).read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
