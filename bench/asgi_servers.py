"""ASGI servers compared on this app: daphne, uvicorn (uvloop, httptools, websockets), granian, hypercorn.

    .venv/bin/python bench/asgi_servers.py [--seconds 5] [--connections 8] [--rounds 2] [--clients 200,500,1000]

Each server runs one worker process (the fair comparison; see WORKERS for running several), started
on a free loopback port with no access log, and is measured in rounds, A B C D then A B C D again,
so load from others on a shared machine hits every server alike; each figure is the median over the
rounds (each round's value is printed too).

1. Plain pages: wrk (Debian package `wrk`, ``-t1 --latency``) after a 1 s warm-up, on ``/`` of the
   bare Django app (``bench/bare.py``) and on studyapp (``studyapp.asgi:application``, production
   settings on a fresh SQLite file holding the course, after collectstatic): ``/healthz/``, the course
   home and a note page as a visitor. Requests per second, p50 and p99 latency.
2. WebSocket fan-out (``bench/asgi_fanout.py``, in-memory channel layer): N clients (the `websockets`
   library, no compression, in this process) join the group; then ``--triggers`` times one HTTP
   request makes the server send the group a ~2 KB message. Latency is from just before the trigger
   request to each client's receipt, p50 and p99 over every client and trigger; memory is the RSS of
   the server's processes after connecting the N clients minus before, divided by N.

Bounded: every wait has a timeout, and ``--budget`` seconds (default 1200) end the run whatever happens.
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from common import PY, ROOT, use_production_settings_on_a_temp_database

BIN = ROOT / ".venv/bin"
LOG = Path("/tmp/asgi_servers.log")


def daphne(port: int, app: str) -> list[str]:
    return [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "-v", "0", app]  # -v 0: no access log


def uvicorn(port: int, app: str) -> list[str]:
    return [
        *[str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port)],
        *["--loop", "uvloop", "--http", "httptools", "--ws", "websockets", "--lifespan", "off"],
        *["--no-access-log", "--log-level", "warning", app],
    ]


def uvicorn_sansio(port: int, app: str) -> list[str]:
    """uvicorn with the `websockets` library's sans-I/O protocol, which ``--ws websockets`` is deprecated for."""
    return ["websockets-sansio" if arg == "websockets" else arg for arg in uvicorn(port, app)]


def granian(port: int, app: str) -> list[str]:
    # asginl: ASGI without the lifespan protocol, which neither Django nor Channels speaks.
    return [
        *[str(BIN / "granian"), "--interface", "asginl", "--host", "127.0.0.1", "--port", str(port)],
        *["--workers", "1", "--loop", "uvloop", "--log-level", "warning", app],
    ]


def hypercorn(port: int, app: str) -> list[str]:
    return [str(BIN / "hypercorn"), "-b", f"127.0.0.1:{port}", "-w", "1", "-k", "uvloop", "--log-level", "warning", app]


SERVERS: dict[str, Callable[[int, str], list[str]]] = {"daphne": daphne, "uvicorn": uvicorn, "granian": granian, "hypercorn": hypercorn}
OTHERS: dict[str, Callable[[int, str], list[str]]] = {"uvicorn-sansio": uvicorn_sansio}  # by --servers only
# How each runs several processes on one port (with REDIS_URL, so the channel layer spans them).
WORKERS = {
    "daphne": "no worker option: one process per port (or sockets handed over with --fd) behind a balancer",
    "uvicorn": "--workers N (a supervisor forks N processes sharing the socket, restarts dead ones)",
    "granian": "--workers N (N processes; --runtime-threads for the Rust I/O threads)",
    "hypercorn": "-w N (N processes sharing the socket)",
}
PAGES = {
    "bare app /": ("bare", "/"),
    "studyapp /healthz/": ("studyapp", "/healthz/"),
    "course home, visitor": ("studyapp", "/"),
    "note page, visitor": ("studyapp", "/courses/compute/lambda/"),
}
APPS = {
    "bare": ("bench.bare:application", "/"),
    "studyapp": ("studyapp.asgi:application", "/healthz/"),
    "fanout": ("bench.asgi_fanout:application", "/"),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(server: str, app: str, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """Start ``server`` serving ``app`` (a key of APPS) on a free port; yield (base URL, pid) once it
    answers; stop it and every process it started (its own process group)."""
    target, ready = APPS[app]
    port = free_port()
    with LOG.open("ab") as log:
        log.write(f"--- {server} {target}\n".encode())
        log.flush()
        process = subprocess.Popen(
            SERVERS[server](port, target),
            cwd=ROOT,
            env=env | {"PYTHONPATH": str(ROOT)},
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + ready, timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    raise SystemExit(f"{server} did not start: see {LOG}") from None
                time.sleep(0.1)
        else:
            raise SystemExit(f"{server} did not answer in 30 s: see {LOG}")
        yield base, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # workers left behind by a supervisor
            os.killpg(process.pid, signal.SIGKILL)


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, KiB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        with contextlib.suppress(OSError):
            match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{current}/status").read_text())
            total += int(match.group(1)) if match else 0
    return total


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    """(requests per second, p50 ms, p99 ms) from ``wrk -t1 --latency``; any non-2xx/3xx fails."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if failed or "Socket errors" in out:
        raise SystemExit(f"{url}: failed responses or socket errors\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50, p99 = (re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M) for p in (50, 99))
    if rate is None or p50 is None or p99 is None:
        raise SystemExit(f"{url}: wrk printed no rate or latency\n{out}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return float(rate.group(1)), float(p50.group(1)) * scale[p50.group(2)], float(p99.group(1)) * scale[p99.group(2)]


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class Fanout:
    connect_s: float
    p50_ms: float
    p99_ms: float
    last_ms: float  # the median over triggers of the last client's receipt
    kib_per_client: float
    lost: int = 0  # messages that did not arrive within the wait


@dataclass
class Clients:
    n: int
    arrivals: dict[int, list[float]] = field(default_factory=dict)
    complete: dict[int, asyncio.Event] = field(default_factory=dict)

    def expect(self, seq: int) -> asyncio.Event:
        self.arrivals[seq] = []
        self.complete[seq] = asyncio.Event()
        return self.complete[seq]

    def arrived(self, seq: int) -> None:
        at = time.monotonic()
        if seq in self.arrivals:
            self.arrivals[seq].append(at)
            if len(self.arrivals[seq]) == self.n:
                self.complete[seq].set()


async def trigger(port: int, seq: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /trigger/?seq={seq} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    status = await reader.readline()
    await reader.read()
    writer.close()
    if b" 200 " not in status:
        raise SystemExit(f"trigger answered {status!r}")


async def fan_out(port: int, pid: int, n: int, triggers: int) -> Fanout:
    from websockets.asyncio.client import ClientConnection, connect

    url = f"ws://127.0.0.1:{port}/ws/"
    gate = asyncio.Semaphore(50)  # connections opened at once

    async def open_client(clients: Clients) -> ClientConnection:
        async with gate:
            ws = await connect(url, compression=None, ping_interval=None, open_timeout=30, max_queue=None)

        async def read() -> None:
            with contextlib.suppress(Exception):
                async for message in ws:
                    clients.arrived(json.loads(message)["seq"])

        reading.append(asyncio.create_task(read()))
        return ws

    async def fire(clients: Clients, seq: int, wait: float) -> list[float]:
        done = clients.expect(seq)
        start = time.monotonic()
        await trigger(port, seq)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), wait)
        return [at - start for at in clients.arrivals.pop(seq)]

    reading: list[asyncio.Task[None]] = []
    # Warm-up: a few clients through the whole path once, so the "before" memory has the code loaded.
    warm = Clients(10)
    sockets = [await open_client(warm) for _ in range(10)]
    await fire(warm, -1, 10)
    await asyncio.gather(*(ws.close() for ws in sockets))
    await asyncio.sleep(0.5)
    before = rss_kib(pid)

    clients = Clients(n)
    start = time.monotonic()
    sockets = await asyncio.gather(*(open_client(clients) for _ in range(n)))
    connect_s = time.monotonic() - start
    await asyncio.sleep(1)
    after = rss_kib(pid)

    latencies: list[float] = []
    lasts: list[float] = []
    lost = 0
    for seq in range(triggers):
        got = await fire(clients, seq, 15)
        lost += n - len(got)
        latencies += got
        lasts.append(max(got, default=15.0))
        await asyncio.sleep(0.3)
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    for task in reading:
        task.cancel()
    ms = [s * 1000 for s in latencies] or [float("nan")]
    return Fanout(connect_s, percentile(ms, 50), percentile(ms, 99), statistics.median(lasts) * 1000, (after - before) / n, lost)


def prepare_studyapp() -> dict[str, str]:
    """Production settings on a fresh SQLite file with the course, static files collected: the env."""
    use_production_settings_on_a_temp_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_content", verbosity=0, stdout=devnull)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, timeout=300)
    return dict(os.environ)


def versions() -> str:
    from importlib.metadata import version

    names = ["daphne", "twisted", "uvicorn", "uvloop", "httptools", "websockets", "granian", "hypercorn", "django", "channels"]
    return ", ".join(f"{name} {version(name)}" for name in names) + f"; Python {sys.version.split()[0]}"


def cell(values: list[float], digits: int = 0) -> str:
    """The median, then each round's value."""
    each = ", ".join(f"{v:.{digits}f}" for v in values)
    return f"{statistics.median(values):.{digits}f} ({each})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="each wrk measurement (default 5)")
    parser.add_argument("--connections", type=int, default=8, help="wrk's connections (default 8)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all servers (default 2)")
    parser.add_argument("--clients", default="200,500,1000", help="WebSocket clients, comma-separated (default 200,500,1000)")
    parser.add_argument("--triggers", type=int, default=10, help="fan-out messages per measurement (default 10)")
    parser.add_argument("--servers", default=",".join(SERVERS), help=f"comma-separated (default {','.join(SERVERS)})")
    parser.add_argument("--only", choices=["http", "ws"], help="measure one part only")
    parser.add_argument("--budget", type=int, default=1200, help="seconds for the whole run, then it stops (default 1200)")
    args = parser.parse_args()
    servers = args.servers.split(",")
    SERVERS.update(OTHERS)
    if unknown := set(servers) - set(SERVERS):
        raise SystemExit(f"unknown servers: {', '.join(sorted(unknown))}")
    if args.only != "ws" and not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    def out_of_time(signum: int, frame: object) -> None:
        raise SystemExit(f"--budget of {args.budget} s spent: stopped")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.budget)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket a client here and one in the server
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    LOG.write_bytes(b"")
    print(f"{versions()}\none worker process each; wrk -t1 -c{args.connections} -d{args.seconds}s; {args.rounds} rounds, interleaved")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}\n")

    if args.only != "ws":
        env = prepare_studyapp()
        http: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        for _ in range(args.rounds):
            for server in servers:
                for app in ("bare", "studyapp"):
                    with serve(server, app, env) as (base, _pid):
                        for name, (page_app, path) in PAGES.items():
                            if page_app == app:
                                wrk(base + path, 1, args.connections)  # warm-up
                                http.setdefault((server, name), []).append(wrk(base + path, args.seconds, args.connections))
        for name in PAGES:
            print(f"{name}: req/s, p50 ms, p99 ms — median (each round)")
            print("| server | req/s | p50 ms | p99 ms |\n|---|---|---|---|")
            for server in servers:
                runs = http[(server, name)]
                print(f"| {server} | {cell([r[0] for r in runs])} | {cell([r[1] for r in runs], 2)} | {cell([r[2] for r in runs], 1)} |")
            print()
        print(f"load average {os.getloadavg()[0]:.1f}\n")

    if args.only != "http":
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        counts = [int(n) for n in args.clients.split(",")]
        ws: dict[tuple[str, int], list[Fanout]] = {}
        for _ in range(args.rounds):
            for n in counts:
                for server in servers:
                    with serve(server, "fanout", env) as (base, pid):
                        port = int(base.rsplit(":", 1)[1])
                        ws.setdefault((server, n), []).append(asyncio.run(asyncio.wait_for(fan_out(port, pid, n, args.triggers), 300)))
        for n in counts:
            print(f"fan-out to {n} clients, ~2 KB, {args.triggers} triggers: median (each round)")
            print(
                "| server | connect all, s | p50 ms | p99 ms | last client ms | KiB per connection | lost |\n|---|---|---|---|---|---|---|"
            )
            for server in servers:
                fans = ws[(server, n)]
                print(
                    f"| {server} | {cell([r.connect_s for r in fans], 2)} | {cell([r.p50_ms for r in fans], 1)} | {cell([r.p99_ms for r in fans], 1)}"
                    f" | {cell([r.last_ms for r in fans], 1)} | {cell([r.kib_per_client for r in fans], 1)} | {sum(r.lost for r in fans)} |"
                )
            print()
        print(f"load average {os.getloadavg()[0]:.1f}\n")
    print("several workers:")
    for server in servers:
        print(f"- {server}: {WORKERS[server.split('-')[0]]}")


if __name__ == "__main__":
    main()
