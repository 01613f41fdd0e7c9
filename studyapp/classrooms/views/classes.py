"""Class pages. Every view needs a signed-in user (LoginRequiredMiddleware) and reaches a class only
through ``access.access_classroom``; the views parse, call one service or report, and render.
Instructor-only pages say so with ``as_instructor=True``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studyapp.accounts.typing import AuthenticatedHttpRequest

from .. import gradebook, reports, services
from ..access import access_classroom
from ..export import csv_text
from ..forms import ClassroomForm, InstructorForm
from ..models import MembershipStatus


@require_safe
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The classes the user learns in and teaches, and the work due in them."""
    context = {"mine": reports.classes_of(request.user), "due": gradebook.due_soon(request.user, now=timezone.now())}
    return render(request, "classrooms/index.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a class: the instructor role only (anyone else gets a 403 and nothing is created)."""
    if not request.user.is_instructor:
        raise PermissionDenied("Only instructors can create classes.")
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        classroom = services.create_classroom(
            by=request.user, name=data["name"], course=data["course"], description=data["description"], now=timezone.now()
        )
        messages.success(request, f"Class “{classroom.name}” created. Share its join link with your learners.")
        return redirect(classroom)
    return render(request, "classrooms/new.html", {"form": form})


@require_safe
def detail(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """The class: for its instructors the join link, the roster and its controls; for a learner the
    class and its instructors."""
    access = access_classroom(request.user, class_id)
    classroom = access.classroom
    context: dict[str, object] = {"access": access, "classroom": classroom, "roster": reports.roster(classroom)}
    context["now"] = now = timezone.now()
    context["work"] = gradebook.class_work(classroom, viewer=request.user, teaches=access.teaches, now=now)
    if access.teaches:
        context["join_link"] = request.build_absolute_uri(classroom.join_url())
        context["instructor_form"] = InstructorForm()
    return render(request, "classrooms/detail.html", context)


@require_POST
def rotate_code(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    access = access_classroom(request.user, class_id, as_instructor=True)
    try:
        services.rotate_join_code(access)
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "New join code made: the old link no longer works.")
    return redirect(access.classroom)


@require_POST
def add_instructor(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    access = access_classroom(request.user, class_id, as_instructor=True)
    form = InstructorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the username or email of the person to add.")
        return redirect(access.classroom)
    try:
        membership = services.add_instructor(access, identifier=form.cleaned_data["identifier"], now=timezone.now())
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user} now teaches this class.")
    return redirect(access.classroom)


@require_POST
def learner_status(request: AuthenticatedHttpRequest, class_id: int, user_id: int, status: str) -> HttpResponse:
    """Remove a learner (their work is kept) or restore one."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    wanted = MembershipStatus.REMOVED if status == "remove" else MembershipStatus.ACTIVE
    try:
        membership = services.set_learner_status(access, user_id=user_id, status=wanted, now=timezone.now())
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        said = "removed from the class; their work is kept" if wanted == MembershipStatus.REMOVED else "is back in the class"
        messages.success(request, f"{membership.user} {said}.")
    return redirect(access.classroom)


@require_POST
def archive(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    access = access_classroom(request.user, class_id, as_instructor=True)
    try:
        services.archive_classroom(access, now=timezone.now())
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Class archived: it stays readable and exportable, and takes no changes.")
    return redirect(access.classroom)


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The join link: GET shows the class and a button; POST enrols and opens the class."""
    classroom = services.classroom_for_code(code)
    if classroom is None:
        return render(request, "classrooms/join_unknown.html", status=404)
    if request.method == "POST":
        try:
            joined = services.join_classroom(user=request.user, classroom=classroom, now=timezone.now())
        except services.ClassroomError as error:
            return render(request, "classrooms/join.html", {"classroom": classroom, "refused": str(error)}, status=409)
        if joined.created:
            messages.success(request, f"You joined “{classroom.name}”.")
        return redirect(classroom)
    membership = classroom.memberships.filter(user=request.user).first()
    return render(request, "classrooms/join.html", {"classroom": classroom, "membership": membership})


@require_safe
def gradebook_csv(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """The gradebook as CSV, for the class's instructors: a header row, one row per learner."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    rows = gradebook.csv_rows(access.classroom, now=timezone.now())
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{access.classroom.pk}-gradebook.csv"'
    return response
