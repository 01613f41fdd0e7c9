"""A person's class notifications and their email setting (issue 14, point 7).

For every signed-in user, not tied to a class: each view reads and writes only ``request.user``'s
own rows (``Notification.objects.for_user(request.user)``), so nobody reaches another person's
notifications and there is no id to probe. One page, ``classrooms/notifications.html``, owns the
list (``#notifications``, replaced by "Mark all read") and the mail setting (``#mail-form``); each
htmx form has a plain ``action`` twin.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.core.htmx import is_fragment_request, template_for

from .. import notifications as service
from ..forms import MailPreferenceForm
from ..models import Notification

PAGE = "classrooms/notifications.html"
SHOWN = 100  # the newest lines the page lists


def _render(request: AuthenticatedHttpRequest, partial: str, *, form: MailPreferenceForm | None = None, status: int = 200) -> HttpResponse:
    mine = Notification.objects.for_user(request.user)
    context = {
        "lines": mine.select_related("assignment__classroom").order_by("-created_at", "-pk")[:SHOWN],
        "unread": mine.unread().count(),
        "form": form or MailPreferenceForm(initial={"digest": service.wants_digest(request.user)}),
        "has_email": bool(request.user.email),
    }
    return render(request, template_for(request, PAGE, partial), context, status=status)


@require_safe
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's notifications, newest first, unread ones marked."""
    return _render(request, "notifications")


@require_POST
def mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark all of the person's notifications read: htmx gets the list again, a form the page."""
    count = service.mark_all_read(request.user, now=timezone.now())
    if is_fragment_request(request):
        return _render(request, "notifications")
    messages.success(request, f"Marked {count} notification{'' if count == 1 else 's'} read." if count else "Nothing was unread.")
    return redirect("classrooms:notifications")


@require_http_methods(["GET", "HEAD", "POST"])
def mail(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the mail setting (on the notifications page). POST: turn the digest on or off; a value
    no checkbox sends is a form error (422)."""
    if request.method != "POST":
        return _render(request, "mail-form")
    form = MailPreferenceForm(request.POST)
    if not form.is_valid():
        return _render(request, "mail-form", form=form, status=422)
    digest = form.cleaned_data["digest"]
    service.set_digest(request.user, digest=digest)
    messages.success(request, "The email digest is on." if digest else "The email digest is off: you get no class mail.")
    if is_fragment_request(request):
        return _render(request, "mail-form", form=MailPreferenceForm(initial={"digest": digest}))
    return redirect("classrooms:notifications")
