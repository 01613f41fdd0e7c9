"""A learner's progress as their class's instructors see it, and the class's readiness by exam
domain (lazy-loaded on the class page). Instructors of the class only (``as_instructor=True``)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.core.htmx import template_for

from .. import gradebook, reports
from ..access import access_classroom


@require_safe
@cache_control(private=True, no_store=True)
def learner(request: AuthenticatedHttpRequest, class_id: int, user_id: int) -> HttpResponse:
    """One learner of the class: mock scores over time, reviews per day, predicted recall by topic,
    readiness by domain. A 404 for anyone who is not a learner of this class (a removed learner's
    page still opens, marked removed)."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    membership = access.classroom.memberships.learners().select_related("user", "classroom").filter(user_id=user_id).first()
    if membership is None:
        raise Http404("No such learner in this class.")
    now = timezone.now()
    context = {"classroom": access.classroom, **reports.learner_progress(membership, now=now)}
    context["work"] = gradebook.learner_work(access.classroom, membership.user, now=now)
    return render(request, "classrooms/learner.html", context)


@require_safe
@cache_control(private=True, no_store=True)
@vary_on_headers("HX-Request")
def readiness_panel(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """The class's readiness by exam domain; the class page lazy-loads it (``hx-trigger="revealed"``)
    and links here without JavaScript."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    context = {"classroom": access.classroom, "readiness": reports.class_readiness(access.classroom, now=timezone.now())}
    return render(request, template_for(request, "classrooms/readiness_panel.html", "class-readiness"), context)
