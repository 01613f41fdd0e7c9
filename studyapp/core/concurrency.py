"""How many HTTP requests Django works on at once in one server process.

Under ASGI, Django runs each request's synchronous part (middleware, view, template) in a thread of
its own (``asgiref.sync.ThreadSensitiveContext``): fifty learners clicking at once are fifty
threads sharing one interpreter lock, each with a database connection. The one holding SQLite's
write lock then gets a fiftieth of the interpreter, and every writer behind it waits that much
longer; on PostgreSQL the threads outnumber the connection pool and wait for it. Here at most
``settings.STUDYAPP_REQUEST_THREADS`` requests run at a time; the others wait, first come first
served, in the event loop, where waiting costs nothing. WebSockets are not counted.

A slot is held from the call into Django to the last byte handed to the server. daphne calls the
application once it has the whole request body and buffers what it sends, so a slow client does not
hold a slot; behind a server that streams request bodies to the application, put a buffering proxy
in front (as a production deployment has anyway).
"""

import asyncio
from typing import Any

from django.conf import settings

ASGIApp = Any  # an ASGI application: async (scope, receive, send) -> None


class LimitConcurrency:
    """ASGI middleware: ``limit`` HTTP requests at a time through ``app`` (0: no limit)."""

    def __init__(self, app: ASGIApp, limit: int | None = None) -> None:
        self.app = app
        self.limit = settings.STUDYAPP_REQUEST_THREADS if limit is None else limit
        self._slots: asyncio.Semaphore | None = None  # made on the server's event loop, at the first request

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:  # asyncio wakes its waiters in the order they came
            await self.app(scope, receive, send)
