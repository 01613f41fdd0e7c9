"""Shared by the benchmarks: serve the app as `make run` does on a free port, and load it with wrk."""

import argparse
import os
import re
import shlex
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv/bin/python")


def arguments(doc: str | None, *, seconds: int, connections: int | None = None) -> argparse.ArgumentParser:
    """The options every bench takes: ``--seconds`` per measurement and (for wrk) ``--connections``;
    the module's docstring is the help text. A bench adds its own options to the parser returned."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=seconds, help=f"how long each measurement runs (default {seconds})")
    if connections is not None:
        parser.add_argument("--connections", type=int, default=connections, help=f"concurrent connections (default {connections})")
    return parser


def run_command(port: int, app: str = "studyapp.asgi:application") -> list[str]:
    """The command of the Makefile's ``run`` recipe (its last line) for ``port`` on loopback, serving
    ``app``: the benches measure the server `make run` starts, with its flags."""
    text = (ROOT / "Makefile").read_text()
    match = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    if match is None:
        raise SystemExit("no run target in the Makefile")
    recipe = match.group(1).replace("\\\n", " ")  # a command continued over several lines is one command
    line = recipe.strip().splitlines()[-1].strip()
    values = {"VENV": ".venv", "PY": ".venv/bin/python", "HOST": "127.0.0.1", "PORT": str(port)}
    line = re.sub(r"\$\((\w+)\)", lambda m: values.get(m.group(1), m.group(0)), line)
    if "$(" in line:
        raise SystemExit(f"cannot follow the Makefile's run recipe: {line}")
    words = shlex.split(line)
    if words[0].startswith(".venv/"):
        words[0] = str(ROOT / words[0])
    if app != "studyapp.asgi:application":
        words = [app if word == "studyapp.asgi:application" else word for word in words]
    return words


@contextmanager
def serve(
    env: dict[str, str] | None = None, *, app: str = "studyapp.asgi:application", ready: str = "/healthz/", log: Path | None = None
) -> Iterator[str]:
    """Start the server as `make run` does (:func:`run_command`) serving ``app`` on a free port; yield
    its base URL once ``ready`` answers; stop it. ``app="bench.bare:application", ready="/"`` is the
    bare baseline, served the same way. ``log``: a file for the server's output, otherwise discarded."""
    with socket.socket() as probe:  # a free port, so a server left over from another run is never measured
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        run_command(port, app),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab") if log else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + ready, timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def wrk(
    url: str, seconds: int, connections: int, *, headers: Sequence[str] = (), script: Path | None = None, env: dict[str, str] | None = None
) -> float:
    """Requests per second from `wrk -t1` (Debian package wrk); any non-2xx/3xx response is an error."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True, env=os.environ | (env or {})).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if failed:
        raise SystemExit(f"{url}: {failed.group(1)} failed responses\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise SystemExit(f"{url}: wrk printed no rate\n{out}")
    return float(rate.group(1))


def use_production_settings_on_a_temp_database() -> Path:
    """Before django.setup(): production settings (DEBUG off) on a fresh SQLite file; returns its folder."""
    import secrets
    import sys
    import tempfile

    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp())
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    os.environ |= {
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    return tmp


# wrk posts one line of a file per request: "<path> <urlencoded body>", as a signed-in learner with htmx.
POST_LUA = """
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["HX-Request"] = "true"
wrk.headers["Cookie"] = os.getenv("COOKIE")
wrk.headers["X-CSRFToken"] = os.getenv("CSRF")
request = function()
  i = i + 1
  local line = bodies[(i - 1) % #bodies + 1]
  local path, body = line:match("([^ ]+) (.*)")
  return wrk.format(nil, path, nil, body)
end
"""


def signed_in_posts(user, lines: list[str], tmp: Path) -> tuple[Path, dict[str, str]]:
    """A wrk script posting ``lines`` (see POST_LUA) with a real session for ``user``: (script, env)."""
    import secrets

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "studyapp.accounts.backends.UserBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    csrf = secrets.token_hex(16)
    bodies, script = tmp / "bodies.txt", tmp / "post.lua"
    bodies.write_text("".join(line + "\n" for line in lines))
    script.write_text(POST_LUA)
    return script, {"BODIES": str(bodies), "COOKIE": f"sessionid={session.session_key}; csrftoken={csrf}", "CSRF": csrf}


@dataclass(frozen=True, slots=True, kw_only=True)
class Rates:
    """Requests per second: the bare app before and after (the machine's drift shows), a signed-in
    /healthz/ (the ceiling of any signed-in page), and each page."""

    bare_first: float
    bare_last: float
    healthz: float
    pages: dict[str, float]

    @property
    def bare(self) -> float:
        return (self.bare_first + self.bare_last) / 2


def _numbered(path: str) -> Path:
    """A wrk script requesting ``path`` with ``{n}`` replaced by 1, 2, 3...: a new URL each time,
    so a page cache misses on every request (the page built, as on a first visit)."""
    import tempfile

    script = Path(tempfile.mkdtemp()) / "numbered.lua"
    before, after = path.split("{n}", 1)
    script.write_text(f'local i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(nil, "{before}" .. i .. "{after}")\nend\n')
    return script


def signed_in_rates(pages: dict[str, tuple[str, bool]], cookie: str, *, seconds: int, connections: int) -> Rates:
    """Serve the bare app and studyapp side by side and load ``pages`` (name -> (path, as htmx))
    signed in with ``cookie`` (a ``Cookie:`` header), between two runs of the bare app. A ``{n}``
    in a path is a number counted up per request (a new URL each time: the cache misses)."""
    with serve(app="bench.bare:application", ready="/") as bare_base, serve() as base:
        bare_first = wrk(bare_base + "/", seconds, connections)
        healthz = wrk(base + "/healthz/", seconds, connections, headers=[cookie])
        rates = {
            name: wrk(
                base + path.replace("{n}", "0"),
                seconds,
                connections,
                headers=[cookie, *(["HX-Request: true"] if htmx else [])],
                script=_numbered(path) if "{n}" in path else None,
            )
            for name, (path, htmx) in pages.items()
        }
        bare_last = wrk(bare_base + "/", seconds, connections)
    return Rates(bare_first=bare_first, bare_last=bare_last, healthz=healthz, pages=rates)
