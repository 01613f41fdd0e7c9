"""Live quiz fan-out: N simulated phones in one game (issue 15's Speed section).

    .venv/bin/python bench/live_fanout.py [--players 200,500,1000,2000] [--rounds 2] [--database sqlite|postgres|both]
                                          [--processes 1,2] [--budget 2400] [--profile DIR]

Production settings (DJANGO_DEBUG=0) on a temp database (SQLite file, or PostgreSQL database
``studyapp_fanout``, created and dropped), a host, five published single-answer questions, a FIXED
quiz of them and a game. For each N, a fresh game with N players (bulk-created, seat cookies from
``seats.seat_value``), served by the server `make run` starts (its recipe is read from the Makefile),
one process, or two processes sharing Redis (``redis://127.0.0.1:6379/7``, flushed) with the
clients split across both. Then, with N clients (the `websockets` library on uvloop, in this
process) and the host (a session made here, its cookie sent with the socket):

1. connect every player (50 at a time), each waiting for its lobby screen;
2. the host advances lobby -> question 1: per client, the time from the host's send to that client
   receiving question 1's screen (p50, p99, max, share within 1 s);
3. each client answers at a uniform random moment within 5 s of receiving it: answers stored
   (LiveAnswer rows), all of them within the 20 s limit, scores added when the question closes
   (the host's ticker closes it once everyone has answered), refusals and errors;
4. the host advances reveal -> question 2: the same fan-out latency again.

Memory per connection: the server processes' VmRSS after connecting minus before, over N. CPU: the
servers' user+system seconds during each step. Every wait has a timeout, and ``--budget`` seconds
end the run whatever happens. ``--profile DIR`` samples every server process (all threads) with
py-spy (``pip install --target /tmp/pyspy py-spy``) into DIR as collapsed stacks.
"""

import argparse
import asyncio
import json
import os
import random
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from common import PY, ROOT, run_command, use_production_settings_on_a_temp_database

PG_ADMIN = "postgres://studyapp:studyapp@127.0.0.1:5432/studyapp"
PG_NAME = "studyapp_fanout"
REDIS_URL = "redis://127.0.0.1:6379/7"
TIME_LIMIT = 20
ANSWER_SPREAD = 5.0
CONNECT_AT_ONCE = 50
LOG = Path(tempfile.gettempdir()) / "live_fanout_server.log"


# --- the server, as `make run` starts it ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(env: dict[str, str], root: Path = ROOT) -> Iterator[tuple[str, int]]:
    """One server process on a free port: yields (base URL, pid) once /healthz/ answers. ``root``: a
    copy of the project to serve instead (the server imports the app from its working directory)."""
    port = free_port()
    command = run_command(port)
    with LOG.open("ab") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise SystemExit(f"the server exited with {process.returncode}: see {LOG}") from None
                time.sleep(0.1)
        else:
            raise SystemExit(f"the server did not answer within 30 s: see {LOG}")
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (a server that forks workers is measured whole)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in (p for root in pids for p in tree(root)):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def cpu_s(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in (p for root in pids for p in tree(root)):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


# --- the game -----------------------------------------------------------------------------------


def prepare() -> tuple[Any, Any]:
    """Migrate; a host, five published single-answer questions and a FIXED quiz of them."""
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from studyapp.accounts.models import Role, User
    from studyapp.questions import services as question_services
    from studyapp.questions.content import Choice, Kind, QuestionContent
    from studyapp.questions.models import Status
    from studyapp.quizzes.models import Quiz, Selection

    call_command("migrate", "--noinput", verbosity=0)
    host = User.objects.create_user(username="host", password=secrets.token_urlsafe(16), role=Role.INSTRUCTOR)
    now = timezone.now()
    ids = []
    for n in range(1, 6):
        choices = [Choice(text=f"Right answer {n}", fraction=Decimal(1))]
        choices += [Choice(text=f"Wrong answer {n}.{k}", fraction=Decimal(0)) for k in range(1, 4)]
        content = QuestionContent(kind=Kind.SINGLE, stem=f"Bench question {n}: which one is right?", choices=tuple(choices))
        question = question_services.create_question(content=content, by=None, now=now, status=Status.PUBLISHED, domain="D3")
        ids.append(question.pk)
    quiz = Quiz.objects.create(
        title="Fan-out", owner=host, selection=Selection.FIXED, question_ids=ids, question_count=len(ids), shuffle_questions=False
    )
    return host, quiz


def new_game(host: Any, quiz: Any, players: int) -> tuple[int, list[str], str]:
    """A game in its lobby with ``players`` seats: (game id, each seat's Cookie header, the host's)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils import timezone

    from studyapp.live import seats, services
    from studyapp.live.models import Player

    now = timezone.now()
    game = services.create_game(host=host, quiz=quiz, now=now, rng=random.Random(1), time_limit_seconds=TIME_LIMIT)
    seated = Player.objects.bulk_create(
        Player(game=game, nickname=f"p{i}", nickname_key=f"p{i}", secret=secrets.token_hex(16), joined_at=now) for i in range(players)
    )
    name = seats.cookie_name(game.pk)
    cookies = [f"{name}={seats.seat_value(player)}" for player in seated]
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(host.pk), "studyapp.accounts.backends.UserBackend"
    session[HASH_SESSION_KEY] = host.get_session_auth_hash()
    session.save()
    return game.pk, cookies, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def stored(game_id: int, position: int) -> dict[str, Any]:
    """What the database holds for question ``position``: answers, whether all came within its time."""
    from django.db.models import Max, Sum

    from studyapp.live.models import Game, LiveAnswer, Player

    game = Game.objects.get(pk=game_id)
    answers = LiveAnswer.objects.filter(game_question__game_id=game_id, game_question__position=position)
    summary = answers.aggregate(last_ms=Max("response_ms"), points=Sum("points"))
    return {
        "phase": game.phase,
        "answers": answers.count(),
        "last_ms": summary["last_ms"] or 0,
        "points": summary["points"] or 0,
        "scores": Player.objects.filter(game_id=game_id).aggregate(s=Sum("score"))["s"] or 0,
    }


# --- the clients --------------------------------------------------------------------------------


@dataclass
class Client:
    url: str
    cookie: str
    got: dict[str, float] = field(default_factory=dict)  # what arrived -> perf_counter() of its first arrival
    notices: list[str] = field(default_factory=list)
    error: str = ""
    ws: Any = None
    reader: "asyncio.Task[None] | None" = None


def classify(text: str) -> str | None:
    """What a server message is: lobby, q<position> (a question's buttons), locked (answered), reveal, notice:…"""
    message = json.loads(text)
    if "notice" in message:
        return "notice:" + str(message["notice"])
    screen = message.get("screen")
    if not isinstance(screen, str):
        return None
    if 'data-phase="lobby"' in screen:
        return "lobby"
    if 'data-phase="question"' in screen:
        position = re.search(r'data-position="(\d+)"', screen)
        return f"q{position.group(1)}" if position else "locked"
    if 'data-phase="reveal"' in screen:
        return "reveal"
    return "other"


async def listen(client: Client) -> None:
    try:
        async for text in client.ws:
            kind = classify(text)
            if kind is None:
                continue
            if kind.startswith("notice:"):
                client.notices.append(kind[7:])
            client.got.setdefault(kind, time.perf_counter())
    except asyncio.CancelledError:
        raise
    except Exception as error:  # a dropped connection: counted, the run goes on
        client.error = client.error or type(error).__name__


async def open_socket(client: Client, origin: str) -> None:
    from websockets.asyncio.client import connect

    try:
        # compression as a browser offers it (permessage-deflate); the server decides.
        client.ws = await connect(client.url, origin=origin, additional_headers={"Cookie": client.cookie}, open_timeout=60, max_size=2**22)  # type: ignore[arg-type]
    except Exception as error:
        client.error = f"connect: {type(error).__name__}"
        return
    client.reader = asyncio.create_task(listen(client))


async def wait_all(clients: list[Client], event: str, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and not all(event in c.got or c.error for c in clients):
        await asyncio.sleep(0.01)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Result:
    database: str
    processes: int
    players: int
    connected: int = 0
    connect_s: float = 0.0
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    kb_per_conn: float = 0.0
    q1_p50_ms: float = float("nan")
    q1_p99_ms: float = float("nan")
    q1_max_ms: float = float("nan")
    q1_within_1s: int = 0
    answers_sent: int = 0
    answers_stored: int = 0
    ack_p50_ms: float = float("nan")
    ack_p99_ms: float = float("nan")
    last_response_ms: int = 0
    all_in_time: bool = False
    scored: bool = False
    refused: int = 0
    errors: int = 0
    reveal_spread_ms: float = float("nan")
    q2_p50_ms: float = float("nan")
    q2_p99_ms: float = float("nan")
    q2_within_1s: int = 0
    cpu_connect_s: float = 0.0
    cpu_q1_s: float = 0.0
    cpu_answers_s: float = 0.0
    cpu_q2_s: float = 0.0
    client_cpu_q1_s: float = 0.0
    tracebacks: int = 0
    load1: float = 0.0  # the machine's 1-minute load average when the run ended (shared by other engineers)


async def fanout(
    clients: list[Client], host: Client, pids: list[int], message: dict[str, Any], event: str
) -> tuple[list[float], float, float]:
    """The host sends ``message``: each client's ms from the send to ``event``; server and client CPU seconds."""
    cpu, ccpu = cpu_s(pids), client_cpu()
    sent = time.perf_counter()
    await host.ws.send(json.dumps(message))
    await wait_all(clients, event, 15)
    ms = [(c.got[event] - sent) * 1000 for c in clients if event in c.got]
    return ms, cpu_s(pids) - cpu, client_cpu() - ccpu


async def play(result: Result, bases: list[str], pids: list[int], game_id: int, cookies: list[str], host_cookie: str) -> None:
    from asgiref.sync import sync_to_async

    from studyapp.live.models import Game

    n = len(cookies)
    origin = bases[0]
    ws_bases = [b.replace("http://", "ws://") for b in bases]
    host = Client(f"{ws_bases[0]}/ws/live/{game_id}/host/", host_cookie)
    await open_socket(host, origin)
    if host.error:
        raise SystemExit(f"the host could not connect: {host.error}")
    clients = [Client(f"{ws_bases[i % len(bases)]}/ws/live/{game_id}/play/", cookie) for i, cookie in enumerate(cookies)]
    try:
        await asyncio.sleep(1.5)
        rss_before, cpu0 = rss_mb(pids), cpu_s(pids)

        # 1. connect every player
        started = time.perf_counter()
        gate = asyncio.Semaphore(CONNECT_AT_ONCE)

        async def join(client: Client) -> None:
            async with gate:
                await open_socket(client, origin)
                await wait_all([client], "lobby", 60)

        await asyncio.wait_for(asyncio.gather(*(join(c) for c in clients)), timeout=60 + n * 0.1)
        result.connect_s = time.perf_counter() - started
        result.connected = sum("lobby" in c.got for c in clients)
        await asyncio.sleep(2)
        result.rss_before_mb, result.rss_after_mb = rss_before, rss_mb(pids)
        result.kb_per_conn = (result.rss_after_mb - rss_before) * 1024 / n
        result.cpu_connect_s = cpu_s(pids) - cpu0

        # 2. lobby -> question 1
        ms, result.cpu_q1_s, result.client_cpu_q1_s = await fanout(
            clients, host, pids, {"action": "next", "position": 0, "phase": "lobby"}, "q1"
        )
        result.q1_p50_ms, result.q1_p99_ms, result.q1_max_ms = pct(ms, 50), pct(ms, 99), max(ms, default=float("nan"))
        result.q1_within_1s = sum(m <= 1000 for m in ms)

        # 3. every client answers within ANSWER_SPREAD s of receiving question 1
        rng = random.Random(2)
        cpu2 = cpu_s(pids)
        sent_at: dict[int, float] = {}

        async def answer(index: int, client: Client) -> None:
            if "q1" not in client.got or client.ws is None:
                return
            await asyncio.sleep(max(0.0, client.got["q1"] + rng.uniform(0, ANSWER_SPREAD) - time.perf_counter()))
            sent_at[index] = time.perf_counter()
            try:
                await client.ws.send(json.dumps({"position": 1, "answer": [rng.randrange(4)]}))
            except Exception as error:
                client.error = client.error or f"send: {type(error).__name__}"

        await asyncio.wait_for(asyncio.gather(*(answer(i, c) for i, c in enumerate(clients))), timeout=ANSWER_SPREAD + 15)
        result.answers_sent = len(sent_at)
        await wait_all([clients[i] for i in sent_at], "locked", TIME_LIMIT)
        acks = [(c.got["locked"] - sent_at[i]) * 1000 for i, c in enumerate(clients) if "locked" in c.got and i in sent_at]
        result.ack_p50_ms, result.ack_p99_ms = pct(acks, 50), pct(acks, 99)
        result.cpu_answers_s = cpu_s(pids) - cpu2
        # the question closes once everyone has answered (the host's ticker) or when its time is up
        deadline = time.perf_counter() + TIME_LIMIT + 5
        while time.perf_counter() < deadline and (await sync_to_async(Game.objects.get)(pk=game_id)).phase == "question":
            await asyncio.sleep(0.25)
        await wait_all([c for c in clients if not c.error], "reveal", 15)
        data = await sync_to_async(stored)(game_id, 1)
        result.answers_stored, result.last_response_ms = data["answers"], data["last_ms"]
        result.all_in_time = data["answers"] == n and data["last_ms"] <= TIME_LIMIT * 1000
        result.scored = data["phase"] == "reveal" and data["scores"] == data["points"]
        result.refused = sum(bool(c.notices) for c in clients)
        reveals = [c.got["reveal"] for c in clients if "reveal" in c.got]
        result.reveal_spread_ms = (max(reveals) - min(reveals)) * 1000 if len(reveals) == n else float("nan")

        # 4. reveal -> question 2
        await asyncio.sleep(1)
        ms, result.cpu_q2_s, _ = await fanout(clients, host, pids, {"action": "next", "position": 1, "phase": "reveal"}, "q2")
        result.q2_p50_ms, result.q2_p99_ms, result.q2_within_1s = pct(ms, 50), pct(ms, 99), sum(m <= 1000 for m in ms)
        result.errors = sum(bool(c.error) for c in clients)
    finally:
        everyone = [host, *clients]
        for client in everyone:
            if client.reader is not None:
                client.reader.cancel()
        await asyncio.wait_for(asyncio.gather(*(c.ws.close() for c in everyone if c.ws is not None), return_exceptions=True), timeout=30)


# --- one database, every topology and size ------------------------------------------------------


def server_env(processes: int) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)
    if processes > 1:
        env["REDIS_URL"] = REDIS_URL
    return env


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


@contextmanager
def profiling(pids: list[int], folder: Path | None) -> Iterator[None]:
    """py-spy (``--py-spy``) sampling every server process, all threads, for the block's duration."""
    if folder is None:
        yield
        return
    spies = [
        subprocess.Popen(
            [
                str(PYSPY),
                "record",
                "--pid",
                str(pid),
                "--rate",
                "200",
                "--format",
                "raw",
                "--threads",
                "-o",
                str(folder / f"server-{pid}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in pids
    ]
    try:
        time.sleep(0.5)
        yield
    finally:
        for spy in spies:
            spy.send_signal(signal.SIGINT)
        for spy in spies:
            try:
                spy.wait(timeout=60)
            except subprocess.TimeoutExpired:
                spy.kill()


PYSPY = Path("/tmp/pyspy/bin/py-spy")


def run_one(database: str, processes: int, players: int, host: Any, quiz: Any, profile: Path | None, root: Path) -> Result:
    result = Result(database=database, processes=processes, players=players)
    game_id, cookies, host_cookie = new_game(host, quiz, players)
    if processes > 1:
        flush_redis()
    before = LOG.read_text(errors="replace").count("Traceback") if LOG.exists() else 0
    env = server_env(processes)
    with ExitStack() as stack:
        started = [stack.enter_context(server(env, root)) for _ in range(processes)]
        bases, pids = [b for b, _ in started], [p for _, p in started]
        with profiling(pids, profile):
            asyncio.run(asyncio.wait_for(play(result, bases, pids, game_id, cookies, host_cookie), timeout=240))
    result.tracebacks = LOG.read_text(errors="replace").count("Traceback") - before
    result.load1 = os.getloadavg()[0]
    return result


def run_database(args: argparse.Namespace) -> None:
    """In a process of its own: ``args.database``'s settings are fixed at django.setup()."""
    use_production_settings_on_a_temp_database()
    if args.database == "postgres":
        os.environ["DATABASE_URL"] = f"postgres://studyapp:studyapp@127.0.0.1:5432/{PG_NAME}"
        postgres(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)", f"CREATE DATABASE {PG_NAME}")
    try:
        import django

        django.setup()
        try:
            import uvloop

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        except ImportError:
            pass
        subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, timeout=300)
        host, quiz = prepare()
        profile = Path(args.profile) if args.profile else None
        for _round in range(args.rounds):  # rounds outermost: load from others on the machine hits every size alike
            for processes in args.processes:
                for players in args.players:
                    result = run_one(args.database, processes, players, host, quiz, profile, Path(args.root))
                    line = json.dumps(asdict(result))
                    print(line, flush=True)
                    with Path(args.out).open("a") as out:
                        out.write(line + "\n")
    finally:
        from django.db import connections

        connections.close_all()
        if args.database == "postgres":
            postgres(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        if 2 in args.processes:
            flush_redis()


def postgres(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement.encode())  # built here from constants, never from input


# --- the report ---------------------------------------------------------------------------------

COLUMNS = [
    ("players", "N", "{:d}"),
    ("connected", "connected", "{:d}"),
    ("q1_p50_ms", "Q1 p50 ms", "{:.0f}"),
    ("q1_p99_ms", "Q1 p99 ms", "{:.0f}"),
    ("q1_max_ms", "Q1 max ms", "{:.0f}"),
    ("q1_within_1s", "Q1 ≤1 s", "{:.0f}"),
    ("q2_p50_ms", "Q2 p50 ms", "{:.0f}"),
    ("q2_p99_ms", "Q2 p99 ms", "{:.0f}"),
    ("answers_stored", "stored", "{:.0f}"),
    ("last_response_ms", "last answer ms", "{:.0f}"),
    ("ack_p50_ms", "ack p50 ms", "{:.0f}"),
    ("ack_p99_ms", "ack p99 ms", "{:.0f}"),
    ("kb_per_conn", "KB/conn", "{:.0f}"),
    ("cpu_q1_s", "CPU Q1 s", "{:.2f}"),
    ("cpu_answers_s", "CPU answers s", "{:.1f}"),
    ("connect_s", "connect s", "{:.1f}"),
]


def report(lines: list[dict[str, Any]]) -> None:
    groups: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    for line in lines:
        groups.setdefault((line["database"], line["processes"], line["players"]), []).append(line)
    print(
        "\n| database | processes | " + " | ".join(title for _k, title, _f in COLUMNS) + " | all stored in time, scored | errors | load |"
    )
    print("|" + "---|" * (len(COLUMNS) + 5))
    for (database, processes, _players), rows in sorted(groups.items()):
        cells = []
        for key, _title, fmt in COLUMNS:
            value = statistics.median(r[key] for r in rows)
            cells.append(fmt.format(int(value)) if fmt == "{:d}" else fmt.format(value))
        ok = "/".join("yes" if r["all_in_time"] and r["scored"] else "no" for r in rows)
        errors = "/".join(str(r["errors"] + r["refused"] + r["tracebacks"]) for r in rows)
        load = "/".join(f"{r.get('load1', 0):.1f}" for r in rows)
        print(f"| {database} | {processes} | " + " | ".join(cells) + f" | {ok} | {errors} | {load} |")
    print(f"\nmedians of {max(len(r) for r in groups.values())} rounds; 'all stored…' and 'errors' per round")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", type=lambda s: [int(x) for x in s.split(",")], default=[200, 500, 1000, 2000])
    parser.add_argument("--processes", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--budget", type=int, default=2400, help="seconds after which the whole run stops (default 2400)")
    parser.add_argument("--profile", default="", help="a folder: py-spy samples each server into it (raw collapsed stacks)")
    parser.add_argument("--out", default="", help="append each run's JSON line here (default: a temp file)")
    parser.add_argument(
        "--root", default=str(ROOT), help="serve a copy of the project from this folder (to try a change); default this one"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the servers inherit it too
    if args.child:
        run_database(args)
        return
    out = Path(args.out or tempfile.mkstemp(suffix=".jsonl", prefix="live_fanout_")[1])
    out.write_text("")
    started = time.monotonic()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in databases:
        left = args.budget - (time.monotonic() - started)
        if left <= 0:
            print(f"budget spent: {database} not run")
            break
        child = [PY, __file__, "--child", "--database", database, "--rounds", str(args.rounds), "--out", str(out)]
        child += ["--players", ",".join(map(str, args.players)), "--processes", ",".join(map(str, args.processes))]
        child += ["--root", args.root] + (["--profile", args.profile] if args.profile else [])
        process = subprocess.Popen(child, cwd=ROOT, start_new_session=True)
        try:
            process.wait(timeout=left)
        except subprocess.TimeoutExpired:
            print(f"budget spent during {database}: stopped")
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    print(f"results: {out}; server output: {LOG}")
    report([json.loads(line) for line in out.read_text().splitlines() if line.strip()])


if __name__ == "__main__":
    main()
