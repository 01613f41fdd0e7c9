"""The question bank's page: the category tree, tags, search and filters, the list with where each
question is used (htmx: the list, or the whole page body for the tree), bulk actions on the ticked
rows, and the category forms. Each partial's name is the DOM id it replaces."""

from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.content.models import Topic
from studyapp.core.htmx import is_fragment_request, template_for
from studyapp.core.pagecache import remember, signed_in_page
from studyapp.questions import services as question_services
from studyapp.questions.models import CATEGORY_ROOT

from .. import bank
from ..access import access_bank
from ..bank_forms import BULK_ACTIONS, DONE, BankFilterForm, BulkForm, CategoryForm, GrantForm
from ..bank_html import rows_html, select_html, tags_html, tree_html

PAGE = "authoring/bank.html"
MAX_TAGS = 40  # the most used, in the side column


def _author_only(request: AuthenticatedHttpRequest) -> str:
    """The bank page's door, before its cache is read; the page depends on nothing of the author's
    beyond who they are (in every kept page's key)."""
    access_bank(request.user)
    return ""


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@signed_in_page(None, also=[question_services.VERSION, question_services.USES_VERSION, bank.CATEGORIES_VERSION], vary=_author_only)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The bank: the list for the query's filters (htmx: ``#bank``, or ``#bank-page`` from the tree).
    Kept in the cache for this author (core.pagecache.signed_in_page) until a question, a category
    or grant, the content, or where questions are used (an assignment's quiz, a live game) changes."""
    return _render_bank(request, request.GET)


@require_POST
def bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Tag, move, publish, retire or export the ticked questions; only those the author may edit
    change, and the message names the others. Then the list again, with the same filters."""
    access_bank(request.user)
    form = BulkForm(request.POST)
    if not form.is_valid():
        return _render_bank(request, request.POST, bulk=form, status=422)
    action, ids = form.cleaned_data["action"], form.cleaned_data["ids"]
    if action == "export":
        url = f"{reverse('authoring:export')}?{urlencode([('ids', i) for i in ids])}"
        return HttpResponseClientRedirect(url) if is_fragment_request(request) else HttpResponseRedirect(url)
    try:
        if action == "tag":
            result = bank.tag_questions(user=request.user, ids=ids, tag=form.cleaned_data["new_tag"])
        elif action == "move":
            result = bank.move_questions(user=request.user, ids=ids, category=form.cleaned_data["move_to"])
        elif action == "publish":
            result = bank.publish_questions(user=request.user, ids=ids)
        else:
            result = bank.retire_questions(user=request.user, ids=ids)
    except bank.BankError as error:
        form.add_error(None, str(error))
        return _render_bank(request, request.POST, bulk=form, status=422)
    messages.success(request, result.message(DONE[action]))
    return _after_change(request)


@require_POST
def category_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new category under one the author may edit (anywhere for a superuser); they own it."""
    access_bank(request.user)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            made = bank.create_category(
                user=request.user, parent=form.cleaned_data["parent"], name=form.cleaned_data["name"], now=timezone.now()
            )
        except bank.BankError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Category {made.path} created: it is yours.")
            return _after_change(request, partial="bank-page")
    return _render_bank(request, request.POST, category_form=form, partial="bank-page", status=422)


@require_POST
def category_grant(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The owner of a category gives it to another author, who may then edit its questions."""
    access_bank(request.user)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            grant = bank.grant_category(
                by=request.user, path=form.cleaned_data["grant_category"], username=form.cleaned_data["username"], now=timezone.now()
            )
        except bank.BankError as error:
            form.add_error("username", str(error))
        else:
            messages.success(request, f"{grant.user.username} may now edit {grant.category.path}.")
            return _after_change(request, partial="bank-page")
    return _render_bank(request, request.POST, grant_form=form, partial="bank-page", status=422)


def _after_change(request: AuthenticatedHttpRequest, *, partial: str = "") -> HttpResponse:
    """htmx: the list (or page) again for the posted filters; otherwise back to the bank with them."""
    if is_fragment_request(request):
        return _render_bank(request, request.POST, partial=partial)
    filters = BankFilterForm(request.POST, topics=_topics())
    pairs = filters.pairs() if filters.is_valid() else []
    page = request.POST.get("page", "")
    if page.isdigit():
        pairs.append(("page", page))
    return HttpResponseRedirect(f"{reverse('authoring:bank')}?{urlencode(pairs)}" if pairs else reverse("authoring:bank"))


def _topics() -> list[Topic]:
    return remember("bank-topics", lambda: list(Topic.objects.live().order_by("course", "position")))  # until the content changes


def _question_url(pk: int) -> str:
    return reverse("authoring:question", args=[pk])


def _render_bank(
    request: AuthenticatedHttpRequest,
    data: QueryDict,
    *,
    bulk: BulkForm | None = None,
    category_form: CategoryForm | None = None,
    grant_form: GrantForm | None = None,
    partial: str = "",
    status: int = 200,
) -> HttpResponse:
    """The bank for filters ``data`` (the GET query, or a POST form's hidden copy of it)."""
    partial = partial or ("bank-page" if getattr(getattr(request, "htmx", None), "target", None) == "bank-page" else "bank")
    summary = bank.summary(request.user, counts=not (is_fragment_request(request) and partial == "bank"))  # the list shows no tree
    form = BankFilterForm(data, topics=_topics())
    bank_url = reverse("authoring:bank")
    targets = [path for path in summary.editable if path != CATEGORY_ROOT]
    context: dict[str, object] = {
        "form": form,
        "selects": {name: select_html(form[name]) for name in ("kind", "domain", "topic", "status", "used")},  # the widgets' HTML, faster
        "summary": summary,
        "bulk": bulk,
        "bulk_actions": BULK_ACTIONS,
        "move_targets": targets,
        "parents": [CATEGORY_ROOT, *targets] if request.user.is_superuser else targets,
        "category_form": category_form or CategoryForm(),
        "grant_form": grant_form or GrantForm(),
        "new_question_url": reverse("authoring:question_new"),
    }
    if form.is_valid():
        filters = form.filters()
        kept = [(name, value) for name, value in form.pairs() if name != "category"]
        # Listing counts and slices as Paginator needs; typed as the rows it gives.
        rows_source = cast(Sequence[tuple[Any, ...]], bank.Listing(filters))
        page: Page[tuple[Any, ...]] = Paginator(rows_source, bank.PAGE_SIZE).get_page(data.get("page"))
        rows = bank.page_rows(page.object_list, summary)
        query = QueryDict(mutable=True)
        for name, value in form.pairs():
            query.appendlist(name, value)
        context |= {
            "page": page,
            "rows_html": rows_html(rows, bank_url=bank_url, question_url=_question_url),
            "tree_html": tree_html(summary.tree, bank_url=bank_url, kept=kept, current=filters.category),
            "tags_html": tags_html(summary.tags[:MAX_TAGS], bank_url=bank_url, kept=form.pairs()),
            "kept": form.pairs(),
            "query": query,
            "category": filters.category,
        }
    else:
        context |= {
            "tree_html": tree_html(summary.tree, bank_url=bank_url, kept=[], current=""),
            "tags_html": tags_html(summary.tags[:MAX_TAGS], bank_url=bank_url, kept=[]),
            "query": QueryDict(),
        }
    return render(request, template_for(request, PAGE, partial), context, status=status)
