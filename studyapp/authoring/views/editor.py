"""The question editor: write a question of any supported kind with a live preview, save it as a
draft, publish or retire it, duplicate a read-only one, and read its versions with a word-level diff.

Every view starts at the authoring door (:mod:`..access`): writes ask ``edit=True``, so another
author's category and the course notes' questions are a 403. Questions are written only through
:mod:`studyapp.questions.services`; a change to what learners may see bumps the page cache.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.content.parsing.types import DOMAINS
from studyapp.core import pagecache, versions
from studyapp.core.htmx import template_for
from studyapp.questions import services
from studyapp.questions.content import Kind
from studyapp.questions.models import Question, QuestionVersion, Status

from .. import diff
from ..access import QuestionAccess, access_bank, access_question
from ..forms import KINDS, MOODLE_FRACTIONS, QuestionForm, category_choices, initial_for, shown_content, shown_form, topic_choices

EDITOR = "authoring/question_form.html"


def _question_url(question: Question) -> str:
    return reverse("authoring:question", args=[question.pk])


def _kind(written: str) -> Kind | None:
    return Kind(written) if written in KINDS else None


def _form(request: AuthenticatedHttpRequest, kind: Kind, question: Question | None) -> QuestionForm:
    """The editor's form: bound to the POST, or filled from ``question``'s current version, or blank."""
    topics = topic_choices()
    categories = category_choices(request.user)
    if request.method == "POST":
        return QuestionForm(request.POST, kind=kind, categories=categories, topics=topics)
    if question is not None:
        initial, rows = initial_for(question, topics)
        return QuestionForm(kind=kind, categories=categories, topics=topics, initial=initial, rows=rows)
    return QuestionForm(kind=kind, categories=categories, topics=topics)


def _render_editor(request: AuthenticatedHttpRequest, form: QuestionForm, question: Question | None, *, status: int = 200) -> HttpResponse:
    action = reverse("authoring:question_edit", args=[question.pk]) if question else f"{reverse('authoring:question_new')}?kind={form.kind}"
    context: dict[str, Any] = {
        "form": form,
        "question": question,
        "kind": form.kind,
        "kinds": KINDS,
        "action": action,
        "fractions": MOODLE_FRACTIONS,
        "shown": shown_form(form) if form.is_bound else shown_content(question.content) if question else None,
    }
    return render(request, template_for(request, EDITOR, "preview"), context, status=status)


def _wants_save(request: AuthenticatedHttpRequest) -> bool:
    """A POST that saves, not the "Add more options" button."""
    return request.method == "POST" and "more" not in request.POST


def _content_changed() -> None:
    versions.bump(pagecache.VERSION)  # learners' cached pages and fragments may show the question


@require_http_methods(["GET", "HEAD", "POST"])
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new question of ``?kind=`` (multiple choice by default), saved as a draft."""
    access_bank(request.user)
    kind = _kind(request.GET.get("kind", Kind.SINGLE))
    if kind is None:
        return HttpResponseBadRequest(f"Choose a kind of question: {', '.join(KINDS)}.", content_type="text/plain")
    form = _form(request, kind, None)
    if _wants_save(request) and form.is_valid() and form.content is not None:
        question = services.create_question(content=form.content, by=request.user, now=timezone.now(), **form.details())
        messages.success(request, "Saved as a draft: learners see it once you publish it.")
        return redirect(_question_url(question))
    return _render_editor(request, form, None)


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    """Change a question: a new version when the wording changed, its details in place."""
    access = access_question(request.user, question_id, edit=True)
    question = access.question
    kind = _kind(question.kind)
    if kind is None or question.current_version is None:
        return HttpResponseBadRequest("The editor cannot change this kind of question.", content_type="text/plain")
    form = _form(request, kind, question)
    if _wants_save(request) and form.is_valid() and form.content is not None:
        before = question.current_version_id
        version = services.add_version(question=question, content=form.content, by=request.user, now=timezone.now())
        detailed = services.update_details(question=question, **form.details())
        if version.pk != before:
            messages.success(request, f"Saved as version {version.number}.")
        else:
            messages.info(request, "The wording did not change: no new version." + (" Details saved." if detailed else ""))
        if question.status == Status.PUBLISHED and (version.pk != before or detailed):
            _content_changed()
        return redirect(_question_url(question))
    return _render_editor(request, form, question)


@require_POST
def preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The live preview (htmx: the ``preview`` fragment) and the Preview button's page (the whole
    editor, the form as written, the preview filled). Saves nothing."""
    access_bank(request.user)
    question = None
    written_id = request.POST.get("question", "")
    if written_id:
        if not written_id.isdigit() or len(written_id) > 18:
            return HttpResponseBadRequest("No such question.", content_type="text/plain")
        question = access_question(request.user, int(written_id), edit=True).question
        kind = _kind(question.kind)
    else:
        kind = _kind(request.POST.get("kind", ""))
    if kind is None:
        return HttpResponseBadRequest(f"Choose a kind of question: {', '.join(KINDS)}.", content_type="text/plain")
    form = _form(request, kind, question)
    form.is_valid()  # the errors show beside the fields on the no-JavaScript page
    return _render_editor(request, form, question)


@require_safe
def detail(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    """The question: its current version, status, category, tags, versions and what may be done."""
    access = access_question(request.user, question_id)
    question = access.question
    history = list(question.versions.select_related("created_by").order_by("-number"))
    context = {
        "access": access,
        "question": question,
        "shown": shown_content(question.content) if question.current_version else None,
        "versions": history,
        "categories": category_choices(request.user),
        "editable_kind": question.kind in KINDS,
        "domain_label": DOMAINS.get(question.domain, question.domain),
    }
    return render(request, "authoring/question.html", context)


def _status_change(request: AuthenticatedHttpRequest, question_id: int, status: Status) -> HttpResponseRedirect:
    access = access_question(request.user, question_id, edit=True)
    question = access.question
    was = question.status
    try:
        if status == Status.PUBLISHED:
            services.publish(question=question)
        else:
            services.retire(question=question)
    except services.NotPublishable as error:
        messages.error(request, f"Not published: {error}.")
        return redirect(_question_url(question))
    if was != status:
        _content_changed()
    messages.success(
        request, "Published: learners can practise it now." if status == Status.PUBLISHED else "Retired: learners no longer see it."
    )
    return redirect(_question_url(question))


@require_POST
def publish(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    return _status_change(request, question_id, Status.PUBLISHED)


@require_POST
def retire(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    return _status_change(request, question_id, Status.RETIRED)


@require_POST
def duplicate(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    """A new draft with the same content, domain and tags in a category the author may edit (the
    one asked for, else their first), without the original's id: the way to edit a read-only one."""
    source = access_question(request.user, question_id).question
    if source.current_version is None:
        return HttpResponseBadRequest("This question has no version to copy.", content_type="text/plain")
    categories = category_choices(request.user)
    if not categories:
        raise PermissionDenied("You have no category to put a copy in: ask an author who owns one to give it to you.")
    wanted = request.POST.get("category", "")
    category = wanted if wanted in categories else categories[0]
    copy = services.create_question(
        content=source.content, by=request.user, now=timezone.now(), category=category, domain=source.domain, tags=source.tags
    )
    messages.success(request, f"Copied into {category} as a draft: edit it here.")
    return redirect(reverse("authoring:question_edit", args=[copy.pk]))


def _pair(versions_: list[QuestionVersion], a: str, b: str) -> tuple[QuestionVersion, QuestionVersion] | None:
    """The two versions ``?a=&b=`` name (numbers of this question's versions), else the last two
    (None when there is only one)."""
    by_number = {v.number: v for v in versions_}
    if a.isdigit() and b.isdigit() and int(a) in by_number and int(b) in by_number:
        return by_number[int(a)], by_number[int(b)]
    if len(versions_) < 2:
        return None
    return versions_[-2], versions_[-1]


@require_safe
def history(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    """Every version (number, date, by whom) and the word-level diff between two of them."""
    access: QuestionAccess = access_question(request.user, question_id)
    question = access.question
    all_versions = list(question.versions.select_related("created_by").order_by("number"))
    pair = _pair(all_versions, request.GET.get("a", "")[:10], request.GET.get("b", "")[:10])
    context = {
        "access": access,
        "question": question,
        "versions": all_versions,
        "old": pair[0] if pair else None,
        "new": pair[1] if pair else None,
        "changes": [change for change in diff.compare(pair[0].content, pair[1].content) if change.changed] if pair else [],
    }
    return render(request, "authoring/question_history.html", context)
