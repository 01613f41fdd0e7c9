"""studyapp.core.concurrency: each HTTP request is one call on a fixed pool of threads: at most that
many run at once, in the order they came; what one request activates never reaches the next; each
thread keeps its database connection; streamed and failing responses still arrive whole."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils import timezone, translation

from studyapp.accounts.models import User
from studyapp.core.concurrency import PooledHandler
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]


@dataclass
class Seen:
    inside: int = 0
    most: int = 0
    order: list[int] = field(default_factory=list)


_lock = threading.Lock()
_seen = Seen()


@login_not_required
def slow(request: HttpRequest) -> HttpResponse:
    with _lock:
        _seen.order.append(int(request.GET["n"]))
        _seen.inside += 1
        _seen.most = max(_seen.most, _seen.inside)
    time.sleep(0.02)  # the view's own time, holding its thread
    with _lock:
        _seen.inside -= 1
    return HttpResponse("done")


@login_not_required
def activate(request: HttpRequest) -> HttpResponse:
    timezone.activate("Asia/Tokyo")
    translation.activate("fr")
    return HttpResponse(f"{timezone.get_current_timezone_name()} {translation.get_language()}")


@login_not_required
def report(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{timezone.get_current_timezone_name()} {translation.get_language()}")


@login_not_required
def connection_id(request: HttpRequest) -> HttpResponse:
    connection.ensure_connection()
    return HttpResponse(f"{threading.get_ident()} {id(connection.connection)}")


@login_not_required
def stream(request: HttpRequest) -> StreamingHttpResponse:
    def rows() -> Iterator[str]:
        for user in User.objects.order_by("pk").iterator(chunk_size=2):  # a cursor on this thread's connection
            yield f"{user.username}\n"

    return StreamingHttpResponse(rows(), content_type="text/plain")


@login_not_required
def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("slow/", slow),
    path("activate/", activate),
    path("report/", report),
    path("connection/", connection_id),
    path("stream/", stream),
    path("fail/", fail),
]


async def _get(app: PooledHandler, url: str) -> tuple[int, bytes]:
    path_, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path_,
        "raw_path": path_.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    messages = iter([{"type": "http.request", "body": b"", "more_body": False}])
    status, body = 0, b""

    async def receive() -> dict[str, object]:
        try:
            return next(messages)
        except StopIteration:
            await asyncio.Event().wait()  # the client stays connected
            raise AssertionError("unreachable") from None

    async def send(message: dict[str, object]) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]  # type: ignore[assignment]
        else:
            body += message.get("body", b"")  # type: ignore[operator]

    await app(scope, receive, send)
    return status, body


def get(app: PooledHandler, *urls: str) -> list[tuple[int, bytes]]:
    """The responses to ``urls``, requested one after the other."""

    async def main() -> list[tuple[int, bytes]]:
        return [await _get(app, url) for url in urls]

    return asyncio.run(main())


def test_at_most_the_pool_of_requests_run_at_once_in_the_order_they_came():
    global _seen
    _seen = Seen()
    app = PooledHandler(threads=3)

    async def main() -> list[tuple[int, bytes]]:
        tasks = []
        for n in range(20):
            tasks.append(asyncio.ensure_future(_get(app, f"/slow/?n={n}")))
            await asyncio.sleep(0)  # each request arrives after the one before
        return await asyncio.gather(*tasks)

    responses = asyncio.run(main())
    assert responses == [(200, b"done")] * 20
    assert _seen.most == 3
    # Taken from the queue in arrival order: the three running at once may reach the view in any order
    # (the middleware's own database work differs), never one that came three or more places later.
    assert sorted(_seen.order) == list(range(20))
    assert all(abs(place - n) < 3 for place, n in enumerate(_seen.order)), _seen.order


def test_what_one_request_activates_does_not_reach_the_next_on_the_same_thread():
    app = PooledHandler(threads=1)
    activated, after = get(app, "/activate/", "/report/")
    assert activated == (200, b"Asia/Tokyo fr")
    assert after == (200, b"UTC en-us")


def test_each_thread_keeps_its_database_connection_between_requests():
    app = PooledHandler(threads=1)
    first, second = get(app, "/connection/", "/connection/")
    assert first[0] == 200
    if connection.vendor == "sqlite":
        assert first == second  # the same thread, the same connection: none opened for the second request
    else:  # PostgreSQL: the same thread; its pool took the connection back at the first request's end
        assert first[1].split()[0] == second[1].split()[0]


def test_a_streamed_response_read_from_the_database_arrives_whole():
    names = [UserFactory(username=f"learner{n}").username for n in range(7)]
    ((status, body),) = get(PooledHandler(threads=2), "/stream/")
    assert status == 200
    assert body.decode().split() == names


def test_a_view_that_fails_is_a_500_page_and_the_thread_serves_the_next_request():
    app = PooledHandler(threads=1)
    failed, next_one = get(app, "/fail/", "/report/")
    assert failed[0] == 500
    assert b"boom" not in failed[1]  # no traceback for the visitor
    assert next_one == (200, b"UTC en-us")


def test_a_websocket_is_not_served_here_and_a_pool_needs_a_thread():
    with pytest.raises(ValueError, match="1 or more"):
        PooledHandler(threads=0)

    async def main() -> None:
        await PooledHandler(threads=1)({"type": "websocket"}, None, None)

    with pytest.raises(ValueError, match="websocket"):
        asyncio.run(main())


def test_the_served_application_runs_http_on_the_pool_and_websockets_through_channels():
    from django.conf import settings

    from studyapp.asgi import application

    http = application.application_mapping["http"]
    assert isinstance(http, PooledHandler)
    assert http.threads == settings.STUDYAPP_REQUEST_THREADS
    assert "websocket" in application.application_mapping


@pytest.mark.parametrize(
    ("database", "environment", "threads"),
    [
        ("sqlite:///db.sqlite3", {}, 1),  # in-process queries: one request at a time, as a sync worker
        ("postgres://u:p@127.0.0.1:5432/x", {}, 8),  # round trips another thread can work through
        ("sqlite:///db.sqlite3", {"STUDYAPP_REQUEST_THREADS": "3"}, 3),
    ],
)
def test_the_pool_s_size_follows_the_database_unless_it_is_set(database: str, environment: dict[str, str], threads: int) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"STUDYAPP_REQUEST_THREADS", "REDIS_URL"}} | environment
    env |= {"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "studyapp.settings"}
    code = "from django.conf import settings; print(settings.STUDYAPP_REQUEST_THREADS)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True, capture_output=True, text=True, timeout=60)
    assert int(out.stdout) == threads
