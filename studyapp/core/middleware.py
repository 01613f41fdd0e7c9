"""Project-wide middleware: each learner's time zone; flash messages in htmx fragments; signed-in pages never stored; form bodies in UTF-8 only."""

import codecs
import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import parse_header_parameters

from .messages import append_oob_messages


class UserTimezoneMiddleware:
    """Activate each signed-in learner's own time zone for the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class HtmxMessagesMiddleware:
    """Every htmx fragment response carries the messages its view queued, out of band (see
    :mod:`studyapp.core.messages`). Listed after MessageMiddleware, so it runs before the
    messages left unread are stored for the next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return append_oob_messages(request, self.get_response(request))


class PrivateCacheMiddleware:
    """The one door for caching a learner's data: every response to a signed-in user carries
    ``Cache-Control: private, no-store`` (no shared cache keeps it, nor the browser once the page is
    left), unless the view set a ``Cache-Control`` of its own on purpose (``never_cache``, a file
    download's own policy). Anonymous responses are left as the view made them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


# --- form charsets (issue 12, point 2) --------------------------------------------------------
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def _declared_charset(request: HttpRequest) -> str | None:
    """The charset a form body declares (None: none declared, or not a form body)."""
    content_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
    return params.get("charset") if content_type.lower() == FORM_CONTENT_TYPE else None


class FormCharsetMiddleware:
    """A form body declaring any charset but UTF-8 gets a 400 page before anything reads it.

    Django refuses such a body with BadRequest each time ``request.POST`` is read (forms are UTF-8,
    RFC 1866 and WHATWG), and its error handling then reads it again, which raises again; a charset
    it does not know it silently ignores. Listed first, so no middleware (CSRF, sessions) reads the
    body before: nothing is written. A UTF-8 alias (``utf8``) is read as UTF-8."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        charset = _declared_charset(request)
        if charset is not None:
            try:
                utf8 = codecs.lookup(charset).name == "utf-8"
            except LookupError:
                utf8 = False
            if not utf8:
                return render(request, "400_charset.html", status=400)
            request.encoding = "utf-8"  # "utf8", "UTF-8": Django only takes the exact name
        return self.get_response(request)
