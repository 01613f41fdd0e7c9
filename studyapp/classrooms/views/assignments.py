"""Assignments and the gradebook. A class's learners open its assignments once they are open and
take its quizzes; its instructors set work, give extensions and read the gradebook. Every view
reaches the class through ``access_classroom`` and the assignment through the class."""

import random
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studyapp.accounts.typing import AuthenticatedHttpRequest

from .. import gradebook, services
from ..access import ClassroomAccess, access_classroom
from ..forms import AssignmentForm, OverrideForm
from ..gradebook_html import rows_html
from ..models import Assignment, AssignmentKind
from ..progress import Status


def _assignment(access: ClassroomAccess, assignment_id: int) -> Assignment:
    """The class's assignment; a learner sees it only once it is open (before, the same 404 as a
    missing one)."""
    assignment = access.classroom.assignments.select_related("quiz").filter(pk=assignment_id).first()
    if assignment is None or (not access.teaches and assignment.opens_at > timezone.now()):
        raise Http404("No such assignment.")
    return assignment


@require_http_methods(["GET", "HEAD", "POST"])
def new(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """Set work: ``?kind=quiz|flashcards|notes`` picks the form."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    kind = request.POST.get("kind") or request.GET.get("kind") or AssignmentKind.QUIZ
    if kind not in AssignmentKind.values:
        return HttpResponseBadRequest("Choose a quiz, a flashcard goal or notes to read.", content_type="text/plain")
    now = timezone.now().replace(second=0, microsecond=0)
    initial = {"opens_at": timezone.localtime(now), "due_at": timezone.localtime(now + timedelta(days=7))}
    form = AssignmentForm(request.POST or None, kind=kind, course=access.classroom.course, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.create_assignment(
                access,
                title=form.cleaned_data["title"],
                instructions=form.cleaned_data["instructions"],
                schedule=form.schedule(),
                quiz=form.quiz_setup(),
                goal=form.goal(),
                note_ids=form.note_ids(),
                now=timezone.now(),
            )
        except services.ClassroomError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{assignment.title}” set for the class.")
            return redirect(assignment)
    context = {"access": access, "classroom": access.classroom, "form": form, "kind": kind, "kinds": AssignmentKind.choices}
    return render(request, "classrooms/assignment_new.html", context)


@require_safe
def detail(request: AuthenticatedHttpRequest, class_id: int, assignment_id: int) -> HttpResponse:
    """The assignment: for a learner their status, grade and attempts, and the quiz's start button;
    for an instructor every learner's status with extensions and excusals."""
    access = access_classroom(request.user, class_id)
    assignment = _assignment(access, assignment_id)
    now = timezone.now()
    context = {"access": access, "classroom": access.classroom, "assignment": assignment, "now": now}
    context |= gradebook.assignment_page(assignment, viewer=request.user, teaches=access.teaches, now=now)
    return render(request, "classrooms/assignment.html", context)


@require_POST
def start(request: AuthenticatedHttpRequest, class_id: int, assignment_id: int) -> HttpResponse:
    """Start the quiz (or go back to the attempt under way)."""
    access = access_classroom(request.user, class_id)
    if access.teaches:
        raise PermissionDenied("Only the class's learners take its quizzes.")
    assignment = _assignment(access, assignment_id)
    try:
        attempt = services.start_assignment_quiz(user=request.user, assignment_id=assignment.pk, now=timezone.now(), rng=random.Random())
    except services.ClassroomError as error:
        messages.error(request, str(error))
        return redirect(assignment)
    return redirect("quizzes:mock_question", attempt.pk, 1)


@require_POST
def override(request: AuthenticatedHttpRequest, class_id: int, assignment_id: int) -> HttpResponse:
    """Give one learner an extension, or excuse them (or undo either)."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    assignment = _assignment(access, assignment_id)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a date and time for the extension (or tick “Excused”).")
        return redirect(assignment)
    try:
        done = services.set_override(
            access,
            assignment_id=assignment.pk,
            user_id=form.cleaned_data["user"],
            due_at=form.cleaned_data["due_at"],
            excused=form.cleaned_data["excused"],
            now=timezone.now(),
        )
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        said = (
            "excused"
            if done.excused
            else f"due {timezone.localtime(done.due_at):%d %b %Y, %H:%M}"
            if done.due_at
            else "back to the class's date"
        )
        messages.success(request, f"{done.user}: {said}.")
    return redirect(assignment)


@require_safe
def gradebook_page(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """Learners × assignments. ``?sort=name`` or ``?sort=<assignment id>`` (lowest grade first),
    ``?status=late&assignment=<id>`` keeps the learners with that status there, ``?q=`` finds by name."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    book = gradebook.build(access.classroom, now=timezone.now())
    view = gradebook.filtered(
        book,
        sort=request.GET.get("sort", "name"),
        status=request.GET.get("status", ""),
        of=request.GET.get("assignment", ""),
        q=request.GET.get("q", ""),
    )
    context = {"access": access, "classroom": access.classroom, "book": book, "statuses": [s.value for s in Status], **view}
    context["rows_html"] = rows_html(view["rows"], class_id=access.classroom.pk)  # type: ignore[arg-type]
    return render(request, "classrooms/gradebook.html", context)
