"""Flash messages in htmx fragments: one helper, used for every view by
:class:`studyapp.core.middleware.HtmxMessagesMiddleware`.

A fragment response does not render ``base.html``, so a message a view queued would wait for the
next full page. Instead the pending messages ride on the fragment as an out-of-band element that
htmx swaps into the page's ``#messages`` region (a polite live region, so it is announced).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .htmx import is_fragment_request

MESSAGES_ID = "messages"
# htmx navigates away on these instead of swapping the body: the messages wait for that page.
_NAVIGATING_HEADERS = ("HX-Redirect", "HX-Location", "HX-Refresh")


def _swaps(response: HttpResponse) -> bool:
    """True when htmx will swap this response's body into the page (see the htmx-config in base.html)."""
    if response.streaming or not (200 <= response.status_code < 300 or response.status_code == 422):
        return False
    if response.status_code == 204 or any(name in response.headers for name in _NAVIGATING_HEADERS):
        return False
    return response.get("Content-Type", "").startswith("text/html")


def append_oob_messages(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Append the request's pending messages to an htmx fragment response, out of band.

    Does nothing for full pages (``base.html`` shows the messages), for responses htmx will not
    swap (redirects, errors, JSON, streams), and when no message is pending or a template already
    showed them. Reading the messages marks them used, so they are not shown a second time.
    """
    if not is_fragment_request(request) or not _swaps(response):
        return response
    storage = getattr(request, "_messages", None)
    if storage is None or storage.used:
        return response
    pending = list(messages.get_messages(request))
    if not pending:
        return response
    items = render_to_string("components/_messages.html", {"messages": pending}, request=request)
    response.content += f'<div id="{MESSAGES_ID}" hx-swap-oob="innerHTML">{items}</div>'.encode(response.charset)
    return response
