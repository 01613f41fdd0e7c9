"""Studying flashcards. Every view here needs a signed-in learner (LoginRequiredMiddleware), and
every query starts from ``request.user``: a learner only ever sees and changes their own state."""

from datetime import UTC, datetime

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.content.models import Course, Topic
from studyapp.core.forms import slug_or_404
from studyapp.core.htmx import is_fragment_request, template_for
from studyapp.core.pagecache import keep_for, remember, signed_in_page
from studyapp.core.redirects import safe_next
from studyapp.questions.services import VERSION as QUESTIONS_VERSION

from . import browser, queue, reports, services
from .browser_html import rows_html
from .forms import BULK_CHOICES, BulkForm, CardFilterForm, GradeForm, ReviewSettingsForm, UndoForm


def _topic(slug: str | None) -> Topic | None:
    slug = slug_or_404(slug)  # a NUL or any non-slug is a 404 before the database sees it
    return get_object_or_404(Topic.objects.live(), slug=slug) if slug else None


def _review_url(topic: Topic | None) -> str:
    url = reverse("srs:review")
    return f"{url}?topic={topic.slug}" if topic else url


def _shown_at(value: str | float | None, now: datetime) -> datetime | None:
    if value is None:
        return None
    try:
        shown = datetime.fromtimestamp(float(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return shown if shown <= now else None


@require_safe
def study_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's study overview: what is due, course-wide and per topic."""
    now = timezone.now()
    return render(request, "srs/home.html", reports.overview(request.user, now=now))


def _render_review(request: AuthenticatedHttpRequest, topic: Topic | None, *, show: bool, shown: str | None = None) -> HttpResponse:
    now = timezone.now()
    context = reports.review_screen(request.user, now=now, topic=topic, show=show, shown_at=_shown_at(shown, now) or now)
    # Where the card actions come back to: the review screen itself, never the URL this fragment
    # answered (after an action that is the action's POST-only URL).
    context["review_url"] = _review_url(topic)
    return render(request, template_for(request, "srs/review.html", "card"), context)


@require_safe
def review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The next card's front (``show=1``: its back with the rating buttons)."""
    return _render_review(request, _topic(request.GET.get("topic")), show=request.GET.get("show") == "1", shown=request.GET.get("shown"))


@require_POST
def grade(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Rate the card shown; then the next one (htmx: only the card fragment)."""
    form = GradeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Rate the card with 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy).", content_type="text/plain")
    data = form.cleaned_data
    topic = _topic(data["topic"])
    now = timezone.now()
    try:
        services.record_review(
            user=request.user,
            kind=data["kind"],
            item_id=data["item"],
            revision=data["revision"],
            rating=data["rating"],
            now=now,
            shown_at=_shown_at(data["shown"], now),
        )
    except services.ItemNotFound:
        return HttpResponseBadRequest("That card is not in your course.", content_type="text/plain")
    if is_fragment_request(request):
        return _render_review(request, topic, show=False)
    return redirect(_review_url(topic))


@require_POST
def undo(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Take back the last review (and show that card again) or the last bury, suspend or flag."""
    form = UndoForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("That undo form is out of date: reload the page.", content_type="text/plain")
    topic = _topic(form.cleaned_data["topic"])
    try:
        undone = services.undo_last_change(user=request.user, now=timezone.now(), expected=form.cleaned_data["change"] or None)
    except services.AlreadyUndone:
        messages.info(request, "Already undone: nothing more was taken back.")
    else:
        if undone is None:
            messages.info(request, "There is nothing to undo.")
        elif undone.kind != "review":
            messages.success(request, UNDO_MESSAGES[undone.kind] if undone.count else "Nothing to undo: those cards changed since.")
    if is_fragment_request(request):
        return _render_review(request, topic, show=False)
    return redirect(_review_url(topic))


ACTIONS = {
    "suspend": lambda **kw: services.set_suspended(suspended=True, **kw),
    "unsuspend": lambda **kw: services.set_suspended(suspended=False, **kw),
    "bury": lambda **kw: services.bury(**kw),
    "flag": lambda **kw: services.set_flag(flagged=True, **kw),
    "unflag": lambda **kw: services.set_flag(flagged=False, **kw),
}
ACTION_MESSAGES = {
    "suspend": "Suspended: it will not come back until you unsuspend it.",
    "unsuspend": "Unsuspended: it is back in your reviews.",
    "bury": "Buried until tomorrow.",
    "flag": "Flagged.",
    "unflag": "Flag removed.",
}


UNDO_MESSAGES = {
    "suspend": "Undone: unsuspended again.",
    "unsuspend": "Undone: suspended again.",
    "bury": "Undone: no longer buried.",
    "unbury": "Undone: buried again.",
    "flag": "Undone: flag removed.",
    "unflag": "Undone: flagged again.",
    "reset": "Undone: the cards' progress is back.",
}


@require_POST
def item_action(request: AuthenticatedHttpRequest, kind: str, item_id: int, action: str) -> HttpResponse:
    """Suspend, unsuspend, bury, flag or unflag one of the learner's items."""
    if action not in ACTIONS or kind not in {"card", "question"}:
        return HttpResponseBadRequest("Unknown action.", content_type="text/plain")
    topic = _topic(request.POST.get("topic"))  # checked before anything changes
    try:
        ACTIONS[action](user=request.user, kind=kind, item_id=item_id, now=timezone.now())
    except services.ItemNotFound:
        return HttpResponseBadRequest("That card is not in your course.", content_type="text/plain")
    messages.success(request, ACTION_MESSAGES[action])
    next_url = safe_next(request, reverse("srs:review"))
    if is_fragment_request(request) and next_url.startswith(reverse("srs:review")):
        return _render_review(request, topic, show=False)
    return HttpResponseRedirect(next_url)  # a path, never redirect()'s URL name


def _render_cards(request: AuthenticatedHttpRequest, data: QueryDict, *, bulk: BulkForm | None = None) -> HttpResponse:
    """The card browser for filters ``data`` (the GET query, or the bulk form's hidden copy of it)."""
    topics = remember("browser-topics", lambda: list(Topic.objects.live().order_by("course", "position")))  # until the content changes
    form = CardFilterForm(data, topics=topics)
    context: dict[str, object] = {"form": form, "bulk": bulk, "bulk_actions": BULK_CHOICES}
    now, changes_at = timezone.now(), None  # changes_at: when the page's first "Buried" mark goes
    if form.is_valid():
        page, rows = browser.page(browser.matching(request.user, form.filters(), now=now), data.get("page"), now=now)
        context |= {"page": page, "rows_html": rows_html(rows), "filter_query": form.query_string(), "kept": form.pairs()}
        changes_at = min((row.buried_until for row in rows if row.buried_until), default=None)
    response = render(request, template_for(request, "srs/cards.html", "cards"), context)
    if changes_at is not None:
        keep_for(response, (changes_at - now).total_seconds())
    return response


def _cards_vary(request: AuthenticatedHttpRequest) -> str | None:
    """What the card browser's page depends on besides the learner's review states (see
    :func:`cards`): their setting for beyond-exam cards. None (not kept) for the "Buried" filter,
    which a clock changes (an item leaves it when the next study day starts), and when the setting
    did not come loaded with the learner (the page would then read it from the database)."""
    included = browser.beyond_exam_included(request.user)
    return None if "buried" in request.GET or included is None else f"beyond-exam:{included}"


@require_safe
@cache_control(private=True, no_store=True)
@vary_on_headers("HX-Request")
@signed_in_page(services.AREA, also=[QUESTIONS_VERSION], vary=_cards_vary)
def cards(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The card browser: the learner's items in the queue, searched and filtered (htmx: the list).
    Kept in the cache for this learner until their review states, the course or the question bank
    change (core.pagecache.signed_in_page): paging back and forth or changing a filter back costs
    no query for the list."""
    return _render_cards(request, request.GET)


@require_POST
def cards_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Unsuspend, unflag, unbury or reset the ticked items (the learner's own only); then the list
    again with the same filters. One batch: Undo on the review screen takes it back."""
    form = BulkForm(request.POST)
    if not form.is_valid():
        return _render_cards(request, request.POST, bulk=form)
    action = form.cleaned_data["action"]
    changed = services.bulk_change(user=request.user, state_ids=form.cleaned_data["ids"], kind=action, now=timezone.now())
    label = dict(BULK_CHOICES)[action]
    messages.success(request, f"{label}: {changed} item{'s' if changed != 1 else ''} changed. Undo (U on the review screen) takes it back.")
    if is_fragment_request(request):
        return _render_cards(request, request.POST)
    filters = CardFilterForm(request.POST, topics=list(Topic.objects.live()))
    query = filters.query_string() if filters.is_valid() else ""
    page = request.POST.get("page", "")
    params = "&".join(part for part in (query, f"page={page}" if page.isdigit() else "") if part)
    return redirect(f"{reverse('srs:cards')}?{params}" if params else reverse("srs:cards"))


@require_safe
def leeches(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Cards forgotten 8 times or more: rewrite them, or suspend them."""
    return render(request, "srs/leeches.html", {"leeches": services.leeches(request.user), "threshold": services.LEECH_LAPSES})


@require_safe
def history_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Every review the learner made (undone ones left out), for an FSRS optimizer or a spreadsheet."""
    response = StreamingHttpResponse(reports.history_rows(request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="studyapp-review-history.csv"'
    return response


@require_safe
def stats(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reviews per day, the coming workload, a year's calendar, retention by topic, cards by state."""
    return render(request, "srs/stats.html", reports.statistics(request.user, now=timezone.now()))


@require_http_methods(["GET", "HEAD", "POST"])
def study_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's retention, daily new cards, steps, fuzz and exam date."""
    today = queue.local_date(request.user, timezone.now())
    form = ReviewSettingsForm(request.POST or None, instance=queue.review_settings(request.user), today=today)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Study settings saved. They apply from your next review.")
        return redirect("srs:settings")
    return render(request, "srs/settings.html", {"form": form})


@require_safe
@cache_control(private=True, no_store=True)
@vary_on_headers("HX-Request")
def recall_panel(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per topic, the average predicted recall of the cards seen and how many are not seen yet: the
    course home lazy-loads it (``?course=<slug>``, that course's topics; without it, every course's)."""
    slug = slug_or_404(request.GET.get("course"))
    course = get_object_or_404(Course.objects.live(), slug=slug) if slug else None
    topics = Topic.objects.live().filter(course=course) if course else Topic.objects.live()
    recall = reports.recall_by_topic(request.user, now=timezone.now())
    rows = [(topic, recall[topic.pk]) for topic in topics if topic.pk in recall]  # topics with cards
    return render(request, template_for(request, "srs/recall_panel.html", "recall-panel"), {"course": course, "rows": rows})
