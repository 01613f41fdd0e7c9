"""Roster import and invitations (issue 14, point 2).

The import page is its class's instructors' only: upload a CSV file (or paste its text), see what
each row will do, then confirm. The confirm form carries the file's text signed with
``django.core.signing`` (for this class, for an hour), and the import re-reads it in one
transaction that refuses the whole file if any row is wrong. The invitation link is the one class
page open to visitors: it shows the class's name and the way to sign up or log in, and a signed-in
person accepts it with a POST.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from studyapp.accounts.models import User
from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.core.previews import read_signed_preview

from .. import services
from ..access import access_classroom
from ..forms import RosterUploadForm
from ..models import Invitation

SALT = "studyapp.classrooms.roster-import"
PREVIEW_MAX_AGE = 3600  # seconds: a preview older than this is shown again before anything is imported


@require_http_methods(["GET", "HEAD", "POST"])
def roster_import(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """GET: the upload form. POST: the preview, row by row; the confirm form only if no row is wrong."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"access": access, "classroom": access.classroom, "form": form}
    if request.method == "POST" and not access.classroom.archived and form.is_valid():
        data = form.roster_bytes()
        preview = services.preview_roster(access, data=data)
        context["preview"] = preview
        if preview.ok:
            context["signed"] = signing.dumps({"class": access.classroom.pk, "csv": data.decode("utf-8")}, salt=SALT, compress=True)
    return render(request, "classrooms/roster_import.html", context)


@require_POST
def roster_import_confirm(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """Import the previewed file (read again from the signed form), then back to the class."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    again = redirect("classrooms:roster_import", class_id=access.classroom.pk)
    payload = read_signed_preview(request, request.POST.get("roster", ""), salt=SALT, max_age=PREVIEW_MAX_AGE)
    if payload is None:
        return again
    if not isinstance(payload, dict) or payload.get("class") != access.classroom.pk or not isinstance(payload.get("csv"), str):
        messages.error(request, "That preview was made for another class, so nothing was imported: upload the file here.")
        return again
    try:
        imported = services.import_roster(
            access, data=payload["csv"].encode("utf-8"), now=timezone.now(), absolute=request.build_absolute_uri
        )
    except services.ClassroomError as error:
        messages.error(request, str(error))
        return again
    messages.success(request, f"{imported.summary()}.")
    return redirect(access.classroom)


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link. A visitor sees the class's name and the way to sign up or log in; a
    signed-in person sees a button that POSTs here, which enrols them and opens the class."""
    found = services.invitation_for_token(token)
    if found is None:
        return render(request, "classrooms/invitation_unknown.html", status=404)
    here = reverse("classrooms:invitation", args=[found.token])
    user = request.user
    if not isinstance(user, User):  # a visitor: sign up (the address filled in) or log in, then back here
        if request.method == "POST":
            return redirect(f"{reverse('login')}?{urlencode({'next': here})}")
        context = {
            "invitation": found,
            "classroom": found.classroom,
            "signup_url": f"{reverse('accounts:signup')}?{urlencode({'next': here, 'email': found.email})}",
            "login_url": f"{reverse('login')}?{urlencode({'next': here})}",
        }
        return render(request, "classrooms/invitation.html", context)
    if request.method == "POST":
        try:
            joined = services.accept_invitation(user=user, invitation=found, now=timezone.now())
        except services.ClassroomError as error:
            return render(request, "classrooms/invitation.html", _context(found, user, refused=str(error)), status=409)
        if joined.created:
            messages.success(request, f"You joined “{found.classroom.name}”.")
        return redirect(found.classroom)
    return render(request, "classrooms/invitation.html", _context(found, user))


def _context(invitation: Invitation, user: User, *, refused: str = "") -> dict[str, object]:
    membership = invitation.classroom.memberships.filter(user=user).first()
    taken = invitation.accepted_by_id is not None and invitation.accepted_by_id != user.pk
    return {"invitation": invitation, "classroom": invitation.classroom, "membership": membership, "taken": taken, "refused": refused}
