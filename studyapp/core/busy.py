"""A write that waited too long for SQLite's lock is a "busy, try again" page, not a server error.

Under a burst of writers a wait for SQLite's write lock can still run past the database's timeout
(see :mod:`studyapp.core.sqlite.base`); SQLite then raises ``OperationalError("database is
locked")`` and the transaction it was in is rolled back whole, so nothing is half-written. This
middleware answers that one error (and no other database error) with a 503 and ``Retry-After``,
which tells the learner, a browser and a proxy that trying again shortly is right.
"""

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

RETRY_AFTER_SECONDS = 5


def is_lock_timeout(error: BaseException) -> bool:
    """SQLite's "database is locked" (a lock wait that ran out), and nothing else."""
    return isinstance(error, OperationalError) and str(error).startswith("database is locked")


def busy_response() -> HttpResponse:
    # A static page: it reads nothing from the database that has just refused us.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseBusyMiddleware:
    """Listed last in ``MIDDLEWARE``, so its ``process_exception`` sees a view's error first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response() if is_lock_timeout(exception) else None
