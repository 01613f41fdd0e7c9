"""Import and export in the browser (issue 16, points 4 and 5).

Import: upload a file, see a preview of every question that will be created or revised and every
error with its line, then confirm. The confirm form carries the file's text signed with
``django.core.signing`` for this author (for an hour) and a one-time token; the confirm parses the
text again and imports it, and a second confirm of the same preview imports nothing. Export: a page
to choose the format and category, and the download itself (``?format=...&category=...``).
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.core.forms import is_id
from studyapp.core.previews import read_signed_preview

from .. import services
from ..access import access_bank, editable_categories
from ..transfer_forms import MAX_TICKED, ExportForm, ImportForm

SALT = "studyapp.authoring.import"
PREVIEW_MAX_AGE = 3600  # seconds: an older preview is shown again before anything is imported
KIND_LABELS = {
    "single": "Multiple choice",
    "multiple": "Multiple response",
    "truefalse": "True/false",
    "shortanswer": "Short answer",
    "numerical": "Numerical",
    "matching": "Matching",
    "essay": "Essay",
    "description": "Description",
}
_USED = "studyapp:authoring:import-confirmed:"  # cache key prefix of the one-time tokens already confirmed


@require_http_methods(["GET", "HEAD", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the upload form. POST: the preview (a dry run); the confirm form when anything would be imported."""
    access_bank(request.user)
    editable = editable_categories(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, editable=editable)
    context: dict[str, object] = {"form": form, "editable": sorted(editable), "formats": services.FORMATS}
    if request.method == "POST" and form.is_valid():
        fmt, category = form.cleaned_data["format"], form.cleaned_data["category"]
        try:
            text = services.decode(form.cleaned_data["file"])
            result = services.parse(text, fmt=fmt)
        except services.UnusableFile as error:
            form.add_error("file", f"{str(error)[:1].upper()}{str(error)[1:]}.")
        else:
            report = services.import_questions(result=result, by=request.user, now=timezone.now(), default_category=category, dry_run=True)
            context.update(report=report, items=_rows(report), fmt=services.FORMATS[fmt])
            if report.of(services.Action.CREATE) or report.of(services.Action.REVISE):
                payload = {"user": request.user.pk, "format": fmt, "category": category, "text": text, "token": secrets.token_urlsafe(16)}
                signed = signing.dumps(payload, salt=SALT, compress=True)
                if len(signed) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 4096:
                    context["signed"] = signed
                else:
                    context["too_big_to_confirm"] = True
    return render(request, "authoring/import.html", context)


@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import the previewed file (read again from the signed form), then the summary."""
    access_bank(request.user)
    again = redirect("authoring:import")
    payload = read_signed_preview(request, request.POST.get("import", ""), salt=SALT, max_age=PREVIEW_MAX_AGE)
    if payload is None:
        return again
    if not isinstance(payload, dict) or payload.get("user") != request.user.pk or payload.get("format") not in services.FORMATS:
        messages.error(request, "That preview was made for someone else, so nothing was imported: upload the file yourself.")
        return again
    if not cache.add(_USED + str(payload["token"]), True, timeout=PREVIEW_MAX_AGE * 2):
        messages.info(request, "This import was already confirmed: nothing was imported a second time.")
        return redirect("authoring:bank")
    category = payload.get("category")
    try:
        result = services.parse(str(payload["text"]), fmt=payload["format"])
    except services.UnusableFile as error:  # it parsed for the preview; a format that changed since may not
        messages.error(request, f"Nothing was imported: {error}.")
        return again
    report = services.import_questions(
        result=result, by=request.user, now=timezone.now(), default_category=category if isinstance(category, str) else None, dry_run=False
    )
    return render(request, "authoring/import_done.html", {"report": report, "items": _rows(report)})


def _rows(report: services.ImportReport) -> list[dict[str, object]]:
    """Questions and unreadable blocks in file order, for one table."""
    rows: list[dict[str, object]] = [
        {
            "line": item.line,
            "name": item.name,
            "kind": KIND_LABELS.get(item.kind, item.kind),
            "category": item.category,
            "action": str(item.action),
            "message": item.message,
            "question_id": item.question_id,
        }
        for item in report.items
    ]
    rows += [
        {"line": error.line, "name": error.name, "kind": "", "category": "", "action": "error", "message": error.message}
        for error in report.errors
    ]
    return sorted(rows, key=lambda row: int(str(row["line"])))


@require_safe
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """With ``format``: the download. Without: the page (with ``check``: what that format leaves out)."""
    access_bank(request.user)
    if "format" in request.GET:
        form = ExportForm(request.GET)
        if form.is_valid():
            return _download(form.cleaned_data["format"], form.cleaned_data["category"], form.cleaned_data["ids"])
        return render(request, "authoring/export.html", _export_context(form), status=400)
    # The questions ticked in the bank ride along as hidden fields of the download form.
    ticked = [int(value) for value in request.GET.getlist("ids") if is_id(value)][:MAX_TICKED]
    context = _export_context(ExportForm(initial={"category": request.GET.get("category", ""), "ids": ticked}))
    context["ticked"] = len(ticked)
    check = request.GET.get("check")
    if check in services.FORMATS:
        category = services.normal_category(request.GET["category"]) if request.GET.get("category", "").strip() else None
        context.update(
            checked=services.export_questions(category=category, fmt=check), check=services.FORMATS[check], checked_category=category
        )
    return render(request, "authoring/export.html", context)


def _export_context(form: ExportForm) -> dict[str, object]:
    categories = services.bank_categories()
    return {"form": form, "categories": categories, "formats": services.FORMATS}


def _download(fmt: str, category: str | None, ids: list[int]) -> HttpResponse:
    export = services.export_questions(category=category, fmt=fmt, ids=ids)
    chosen = services.FORMATS[fmt]
    name = slugify(category.removeprefix("$course$/top").replace("/", " ")) if category else ""
    response = HttpResponse(export.text, content_type=f"{chosen.content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="questions{"-" + name if name else ""}.{chosen.extension}"'
    response["X-Questions-Exported"] = str(export.count)
    response["X-Questions-Skipped"] = str(len(export.skipped))
    return response
