"""Real ASGI server processes, started as `make run` starts them (:func:`server_command`, checked
against the Makefile by tests/core/test_asgi.py), for the tests that need real HTTP and WebSockets
end to end: `make run` itself, restarts, the live game in a browser and on two processes sharing
Redis. :class:`Server` serves studyapp on a free loopback port against the test database the test
process made (or any DATABASE_URL given), and stops when the test ends."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from studyapp.accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# `make run`'s server and flags (chosen by measurement: docs/performance.md, "ASGI server").
UVICORN_FLAGS = [
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--ws",
    "websockets-sansio",
    "--lifespan",
    "off",
    "--no-proxy-headers",
    "--ws-per-message-deflate",
    "false",
]


def server_command(port: int, app: str = "studyapp.asgi:application") -> list[str]:
    return [str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port), *UVICORN_FLAGS, "--no-access-log", app]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_of_this_test_run() -> str:
    """The test database this process is using, as a DATABASE_URL another process can open."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, password = quote(settings["USER"]), quote(settings["PASSWORD"])
    return f"postgres://{user}:{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


class Server:
    """One server process on a fixed port; ``restart()`` stops it and starts it again on that port,
    as a deploy or a crash would."""

    def __init__(
        self, *, redis_url: str | None = None, database_url: str | None = None, env: dict[str, str] | None = None, log: Path | None = None
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DJANGO_DEBUG": "1", "PYTHONUNBUFFERED": "1", **(env or {})}
        self.env["DATABASE_URL"] = database_url or database_of_this_test_run()
        self.env.pop("REDIS_URL", None)
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(server_command(self.port), cwd=ROOT, env=self.env, stdout=output, stderr=output)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/healthz/", timeout=1)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the ASGI server exited with {self.process.returncode}") from None
                time.sleep(0.1)
        raise RuntimeError("the ASGI server did not answer /healthz/ within 30 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def asgi_server(*, redis_url: str | None = None, log: Path | None = None) -> Iterator[str]:
    """Serve studyapp on a free port; yield its base URL once /healthz/ answers; stop it."""
    with running(Server(redis_url=redis_url, log=log)) as server:
        yield server.base


@contextmanager
def running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


def usable_by_servers(user: User, password: str) -> None:
    """Hash ``password`` as a server process checks it: the tests' own fast hasher (MD5, see
    tests/conftest.py) is not in the servers' PASSWORD_HASHERS."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
