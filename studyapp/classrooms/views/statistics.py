"""Item statistics of a quiz assignment (issue 14, point 5): the page and its CSV, for the class's
instructors only. An assignment that is not of this class, or is not a quiz, is a 404."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.core.htmx import template_for

from ..access import ClassroomAccess, access_classroom
from ..export import csv_text
from ..models import Assignment, AssignmentKind
from ..statistics import SORTS, csv_rows, item_statistics


def _quiz_assignment(access: ClassroomAccess, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.filter(classroom=access.classroom, pk=assignment_id, kind=AssignmentKind.QUIZ).select_related("quiz").first()
    )
    if assignment is None:
        raise Http404("No such quiz assignment in this class.")
    assignment.classroom = access.classroom  # already read: no second query for it
    return assignment


@require_safe
def statistics(request: AuthenticatedHttpRequest, class_id: int, assignment_id: int) -> HttpResponse:
    """Per question: facility, discrimination, a flag for review and the answers per option;
    ``?sort=facility|discrimination`` orders the table by that index (lowest first)."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    assignment = _quiz_assignment(access, assignment_id)
    stats = item_statistics(assignment)
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else ""
    context = {
        "classroom": access.classroom,
        "assignment": assignment,
        "stats": stats,
        "questions": stats.sorted_by(sort),
        "sort": sort,
    }
    return render(request, template_for(request, "classrooms/statistics.html", "items"), context)


@require_safe
def statistics_csv(request: AuthenticatedHttpRequest, class_id: int, assignment_id: int) -> HttpResponse:
    """The same figures as CSV: one row per option of each question (and one for no answer)."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    assignment = _quiz_assignment(access, assignment_id)
    response = HttpResponse(csv_text(csv_rows(item_statistics(assignment))), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{access.classroom.pk}-assignment-{assignment.pk}-statistics.csv"'
    return response
