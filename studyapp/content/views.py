"""Notes pages and search: public, readable without an account."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.core.htmx import is_fragment_request, template_for
from studyapp.core.pagecache import key as pagecache_key
from studyapp.core.pagecache import public_page, remember

from . import queries
from . import search as search_module
from .embeds import render_embeds
from .models import Course, Note, NoteRead
from .services import record_note_read


def _url_key(name: str, request: HttpRequest) -> str:
    """The key of a fragment that depends on the URL alone (path and query), under the content's version."""
    return pagecache_key(name, hashlib.sha256(request.get_full_path().encode()).hexdigest())


def _render_course(request: HttpRequest, course: Course) -> HttpResponse:
    # The outline only: a signed-in learner's recall and readiness panels are lazy-loaded from
    # srs and quizzes (their own URLs), which sit above content.
    user = request.user if request.user.is_authenticated else None
    rows = queries.course_outline(course, user)
    # The topic list shows only the outline and which notes were read: kept per read set.
    read = sorted(rows[0].read) if rows and user else []
    topics_key = pagecache_key("course-topics", course.pk, user is not None, hashlib.sha256(repr(read).encode()).hexdigest()[:16])
    return render(request, "content/course.html", {"course": course, "rows": rows, "topics_key": topics_key})


@login_not_required
@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    """Public. One course: its home page; several: a list of them."""
    courses = remember("courses", lambda: list(Course.objects.live()))
    if len(courses) == 1:
        return _render_course(request, courses[0])
    return render(request, "content/home.html", {"courses": courses})


@login_not_required
@require_safe
@public_page
def course(request: HttpRequest, course_slug: str) -> HttpResponse:
    """Public: a course's topics in order, with the learner's progress when signed in."""
    return _render_course(request, get_object_or_404(Course.objects.live(), slug=course_slug))


@login_not_required
@require_safe
@public_page
def note(request: HttpRequest, course_slug: str, note_slug: str) -> HttpResponse:
    """Public: one note, rendered. A signed-in learner sees whether it counts as read, and the form
    that counts it (opening a note is not reading it)."""
    note = remember(
        f"note:{course_slug}/{note_slug}", lambda: get_object_or_404(queries.note_page(), course__slug=course_slug, slug=note_slug)
    )
    read = request.user.is_authenticated and NoteRead.objects.for_user(request.user).filter(note=note).exists()
    context = {
        "note": note,
        "read": read,
        "body_html": lambda: render_embeds(note.body_html, request),  # called by the template only when its fragment is not cached
        "note_key": _url_key("note", request),  # embeds draw what the query asks for (a calculator's inputs), the same for everyone
    }
    return render(request, "content/note.html", context)


@require_POST
def mark_read(request: AuthenticatedHttpRequest, course_slug: str, note_slug: str) -> HttpResponse:
    """Signed-in learners: count a note as read, when its end comes into view (htmx) or on "Mark as
    read". htmx gets the ``note-read`` fragment; a plain form goes back to the note's end."""
    note = get_object_or_404(Note.objects.live().filter(course__retired_at__isnull=True), course__slug=course_slug, slug=note_slug)
    record_note_read(user=request.user, note=note, now=timezone.now())
    if is_fragment_request(request):
        return render(request, "content/note.html#note-read", {"note": note, "read": True})
    messages.success(request, f"“{note.title}” counts as read.")
    return redirect(f"{note.get_absolute_url()}#note-read")


@login_not_required
@require_safe
@vary_on_headers("HX-Request")
@public_page
def search(request: HttpRequest) -> HttpResponse:
    """Public: ranked full-text search; htmx asks for the ``results`` fragment as the learner types,
    and the header's search box for the short ``quick`` list (``quick=1``)."""
    query = request.GET.get("q", "")
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    digest = hashlib.sha256(query.encode()).hexdigest()
    results = remember(f"search:{digest}:{page}", lambda: search_module.search(query, page=page))
    partial = "quick" if request.GET.get("quick") else "results"
    context = {"results": results, "query": query, "results_key": _url_key("search", request)}
    return render(request, template_for(request, "content/search.html", partial), context)
