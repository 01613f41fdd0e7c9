"""Brute-force protection, as django-axes calls it (settings ``AXES_*``): who the client is, and the
page a locked-out log in gets.

The counting itself is axes' (its database handler, per username and per client address); this
module only says which address a request comes from and renders the 429 page with the time the
lock ends, which is the last counted failure plus ``AXES_COOLOFF_TIME``: a refused attempt is not
counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``), so that time holds.
"""

import math
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    """The address failures are counted against: ``REMOTE_ADDR``, unless
    ``STUDYAPP_TRUSTED_PROXY_COUNT`` names how many reverse proxies in front of the app append the
    address they saw to ``X-Forwarded-For``; then the entry that many hops from the right (the one the
    outermost trusted proxy wrote; anything left of it the client may have made up)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    hops = settings.STUDYAPP_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    return forwarded[-hops] if len(forwarded) >= hops else remote


def lock_ends(request: HttpRequest, credentials: dict[str, object] | None, *, now: datetime) -> datetime:
    """When the lock on this request's username or address ends: the latest counted failure plus the
    cool-off. Without the database handler (no rows to read), a full cool-off from ``now``."""
    cool_off = get_cool_off(request) or timedelta(0)
    handler = AxesProxyHandler.get_implementation()
    if isinstance(handler, AxesDatabaseHandler):
        latest = [attempts.aggregate(last=Max("attempt_time"))["last"] for attempts in handler.get_user_attempts(request, credentials)]
        known = [when for when in latest if when is not None]
        if known:
            return max(known) + cool_off
    return now + cool_off


def lockout_response(request: HttpRequest, *args: object) -> HttpResponse:
    """The page a locked-out log in gets: 429 Too Many Requests, with ``Retry-After`` and the time to
    try again. Axes calls it as ``(request, original_response, credentials)``, or (its async
    middleware) ``(request, credentials)``; the credentials it recorded on the request are the ones read."""
    credentials = getattr(request, "axes_credentials", None)
    now = timezone.now()
    ends = max(lock_ends(request, credentials, now=now), now)
    seconds = math.ceil((ends - now).total_seconds())
    context = {"ends": ends, "minutes": max(1, math.ceil(seconds / 60)), "failure_limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(max(1, seconds))
    return response
