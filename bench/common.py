"""Shared by the benchmarks: serve the app with daphne on a free port, and load it with wrk."""

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def daphne(env: dict[str, str] | None = None) -> Iterator[str]:
    """Start daphne (as `make run` does) on a free port; yield its base URL; stop it."""
    with socket.socket() as probe:  # a free port, so a server left over from another run is never measured
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/daphne"), "-b", "127.0.0.1", "-p", str(port), "studyapp.asgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("daphne did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def wrk(url: str, seconds: int, connections: int, *, headers: list[str] = (), script: Path | None = None, env: dict[str, str] | None = None) -> float:
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
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
