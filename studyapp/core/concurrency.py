"""How one server process serves HTTP: each request in one call on a fixed pool of threads.

Django's own ASGI handler runs a request's synchronous part in a thread made for that request
(``asgiref.sync.ThreadSensitiveContext``), and with synchronous middleware it hops between the event
loop and threads about a dozen times a request; each new thread opens a database connection of its
own (on SQLite: connect, the two PRAGMAs, close) and two threads are started and joined. Measured in
process, that was most of a signed-in request that renders nothing (docs/performance.md).

:class:`PooledHandler` is Django's ASGI handler with the synchronous middleware chain, as under a
WSGI server: the body is read in the event loop; then signals, middleware, view, template and the
response's closing run as **one** call on one of ``settings.STUDYAPP_REQUEST_THREADS`` long-lived
threads; the response is sent from the event loop. Each thread keeps its database connection between
requests (SQLite's ``CONN_MAX_AGE``; PostgreSQL's pool takes them back at the end of each request,
as ``request_finished`` closes them in the thread that used them). At most that many requests run
at once: fifty learners clicking together are not fifty threads sharing one interpreter lock, one of
them holding SQLite's write lock with a fiftieth of it; the others wait their turn, first come first
served, in the pool's queue, where waiting costs nothing. WebSockets go to Channels, not here.

Each request runs in a copy of the event loop's context (``contextvars``), so what one request
activates (a learner's time zone, a language) never reaches the next one on the same thread. A view
that streams a synchronous iterator has it read whole in the same thread (as Django's ASGI handler
reads it whole too, in another thread), so a queryset's cursor stays on its own connection; an
asynchronous iterator is streamed from the event loop.
"""

import asyncio
import contextvars
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import IO, Any, cast

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import set_script_prefix

type Scope = dict[str, Any]


async def _replay(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


class PooledHandler(ASGIHandler):
    """Django's ASGI handler, each request's synchronous work as one call on ``threads`` threads."""

    def __init__(self, threads: int | None = None) -> None:
        BaseHandler.__init__(self)  # not ASGIHandler.__init__: it builds the asynchronous chain
        self.load_middleware(is_async=False)
        self.threads = threads if threads is not None else settings.STUDYAPP_REQUEST_THREADS
        if self.threads < 1:
            raise ValueError("STUDYAPP_REQUEST_THREADS must be 1 or more")
        self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="studyapp-http")

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        with closing(body_file):
            response, closed = await loop.run_in_executor(self._pool, context.run, self._respond, scope, body_file)
        try:
            await self.send_response(response, send)
        finally:
            if not closed:  # a view's asynchronous stream, sent from the loop: closed once sent
                await loop.run_in_executor(self._pool, context.run, response.close)

    def _respond(self, scope: Scope, body_file: IO[bytes]) -> tuple[HttpResponseBase, bool]:
        """In a pool thread: what a WSGI handler does for one request, up to the response's bytes;
        and whether the response is closed already (all but a view's asynchronous stream)."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, refused = self.create_request(scope, body_file)
        response = self.get_response(request) if request is not None else refused
        assert response is not None  # create_request gives a request or the response refusing it
        response._handler_class = self.__class__  # type: ignore[attr-defined]  # as Django's handler marks it
        if isinstance(response, StreamingHttpResponse):
            if response.is_async:
                return response, False
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
            response.streaming_content = _replay(list(cast(Iterator[bytes], response.streaming_content)))
        response.close()  # request_finished in this thread, so its connection is the one closed
        return response, True
