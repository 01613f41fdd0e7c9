"""Project-wide middleware: each learner's time zone; flash messages in htmx fragments."""

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

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
