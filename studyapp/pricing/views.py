"""Pricing calculators: public pages, the JSON endpoint, and the fragment the notes embed."""

import csv
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.core.htmx import is_fragment_request, template_for

from . import estimates, registry
from .money import Estimate, Field, InputError, money, to_cents, worded


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """Two scenarios side by side: each side's calculator, what it fixes, and its name in the
    verdict ("Fargate costs $29.82 more a month"); ``shared`` inputs start both sides alike."""

    title: str
    left: tuple[str, str, dict[str, str]]  # (name, service, fixed inputs)
    right: tuple[str, str, dict[str, str]]
    shared: dict[str, str]


COMPARISONS = {
    "lambda-arm": Comparison(
        title="Lambda on x86 or on Arm (Graviton)",
        left=("Lambda on x86", "lambda", {"architecture": "x86_64"}),
        right=("Lambda on Arm (Graviton)", "lambda", {"architecture": "arm64"}),
        shared={"requests": "3000000", "duration_ms": "120", "memory_mb": "1536"},
    ),
    "lambda-fargate": Comparison(
        title="Lambda or Fargate for the same work",
        left=("Lambda", "lambda", {"requests": "3000000", "duration_ms": "120", "memory_mb": "2048"}),
        right=("Fargate", "fargate", {"tasks": "1", "duration_seconds": "2592000", "vcpu": "1", "memory_gb": "2"}),
        shared={},
    ),
    "fargate-spot": Comparison(
        title="Fargate on demand or on Spot",
        left=("Fargate on demand", "fargate", {"spot": "false"}),
        right=("Fargate Spot", "fargate", {"spot": "true"}),
        shared={"tasks": "150", "duration_seconds": "600", "vcpu": "1", "memory_gb": "2"},
    ),
}


def verdict(left: str, right: str, difference: Decimal) -> str:
    """Which side is cheaper, by how much a month: "Lambda is cheaper: Fargate costs $29.82 more a month."."""
    if difference == 0:
        return f"{left} and {right} cost the same."
    cheaper, dearer = (left, right) if difference > 0 else (right, left)
    return f"{cheaper} is cheaper: {dearer} costs {money(abs(difference))} more a month."


def _service(name: str):
    try:
        return registry.calculator(name)
    except registry.UnknownService:
        raise Http404(f"no calculator named {name}") from None


def _inputs(request: HttpRequest, module, prefix: str = "") -> dict[str, str]:
    names = {f.name for f in module.FIELDS}
    return {
        key[len(prefix) :]: value for key, value in request.GET.dict().items() if key.startswith(prefix) and key[len(prefix) :] in names
    }


def form_rows(module, raw: dict[str, str], errors: dict[str, list[str]], prefix: str = "") -> list[dict[str, object]]:
    """What the template needs to draw each input, with the value shown and its errors worded with
    the field's label (the JSON endpoint and the command keep the field names)."""
    rows = []
    for f in module.FIELDS:
        value = raw.get(f.name, "" if f.default is None else f.default)
        if isinstance(value, bool):
            value = "true" if value else "false"
        rows.append(
            {
                "field": f,
                "name": prefix + f.name,
                "id": f"{prefix or 'in-'}{module.SERVICE}-{f.name}".replace(".", "-"),
                "value": str(value),
                "errors": [worded(f, message) for message in errors.get(f.name, [])],
                "when_name": prefix + f.when[0] if f.when else "",
                "when_values": " ".join(f.when[1]) if f.when else "",
                "section": f.section,
            }
        )
    _mark_sections(rows)
    return rows


def _mark_sections(rows: list[dict[str, object]]) -> None:
    """Fold each optional feature's inputs (consecutive rows of one ``section``) into a disclosure,
    open when one of them is set away from its default or has an error: with or without JavaScript,
    a Lambda bill without provisioned concurrency shows no provisioned-concurrency inputs."""
    for i, row in enumerate(rows):
        section = row["section"]
        if not section:
            continue
        if i == 0 or rows[i - 1]["section"] != section:
            members = [r for r in rows[i:] if r["section"] == section]
            row["section_start"] = section
            row["section_open"] = any(r["errors"] or r["value"] != str(cast(Field, r["field"]).default) for r in members)
        row["section_end"] = i + 1 == len(rows) or rows[i + 1]["section"] != section


def _run(module, raw: Mapping[str, object]) -> tuple[Estimate | None, dict[str, list[str]]]:
    try:
        return registry.calculate(module.SERVICE, raw), {}
    except InputError as error:
        return None, error.errors


def context_for(request: HttpRequest, module) -> dict[str, object]:
    # A page opened without inputs starts from the worked example, not from a $0.00 bill.
    raw = _inputs(request, module) or dict(registry.EXAMPLES.get(module.SERVICE, {}))
    estimate, errors = _run(module, {**registry.defaults(module.SERVICE), **raw})
    table = registry.table(module.SERVICE)
    query = urlencode(raw)
    page = reverse("pricing:calculator", args=[module.SERVICE])
    return {
        "module": module,
        "fields": form_rows(module, raw, errors),
        "estimate": estimate,
        "errors": errors,
        "table": table,
        "share_url": f"{page}?{query}" if query else page,
        "oob": is_fragment_request(request),
    }


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Public: every calculator, and ready-made comparisons."""
    return render(request, "pricing/index.html", {"calculators": registry.CALCULATORS.values(), "comparisons": COMPARISONS})


@login_not_required
@require_safe
@vary_on_headers("HX-Request")
def calculator(request: HttpRequest, service: str) -> HttpResponse:
    """Public: one calculator. The form is a GET form (its URL is the scenario, to share or
    bookmark); htmx refreshes only the breakdown as the inputs change."""
    module = _service(service)
    return render(request, template_for(request, "pricing/calculator.html", "breakdown"), context_for(request, module))


@login_not_required
@require_safe
def embed(request: HttpRequest, service: str) -> HttpResponse:
    """Public: the calculator as a note embeds it (loaded when scrolled into view)."""
    module = _service(service)
    return render(request, "pricing/embed.html", {**context_for(request, module), "lazy": False})


@login_not_required
@require_safe
def estimate_json(request: HttpRequest, service: str) -> JsonResponse:
    """Public: the estimate as JSON (same shape as ``manage.py estimate``); 400 with every error."""
    module = _service(service)
    try:
        estimate = registry.calculate(module.SERVICE, dict(request.GET.items()))
    except InputError as error:
        return JsonResponse({"errors": error.errors}, status=400)
    return JsonResponse(estimate.as_json())


@login_not_required
@require_safe
@vary_on_headers("HX-Request")
def compare(request: HttpRequest, preset: str) -> HttpResponse:
    """Public: two scenarios side by side, and which is cheaper. A GET form like a calculator's
    (its URL is the pair of scenarios); htmx refreshes both bills and the verdict as inputs change."""
    comparison = COMPARISONS.get(preset)
    if comparison is None:
        raise Http404("no such comparison")
    sides = []
    for prefix, (name, service, fixed) in (("a.", comparison.left), ("b.", comparison.right)):
        module = registry.calculator(service)
        raw = {**shared_for(module, comparison.shared), **fixed, **_inputs(request, module, prefix)}
        estimate, errors = _run(module, {**registry.defaults(service), **raw})
        fields = form_rows(module, raw, errors, prefix)
        sides.append({"name": name, "module": module, "fields": fields, "estimate": estimate, "key": prefix[0]})
    left, right = (side["estimate"] for side in sides)
    said = (
        verdict(comparison.left[0], comparison.right[0], right.total - left.total)
        if isinstance(left, Estimate) and isinstance(right, Estimate)
        else None
    )
    context = {"comparison": comparison, "preset": preset, "sides": sides, "verdict": said, "oob": is_fragment_request(request)}
    return render(request, template_for(request, "pricing/compare.html", "verdict"), context)


def _plan(request: HttpRequest) -> tuple[estimates.Plan, bool]:
    """The estimate the query describes, and whether the request added or removed a line."""
    query = request.GET
    # "drop", not "remove": a control named "remove" would hide the form's own remove() from htmx
    remove = _int(query.get("drop"), -1, -1, estimates.MAX_LINES) if "drop" in query else None
    add = query.get("service") if "add" in query else None
    plan = estimates.plan_from(query.dict(), query.getlist("line"), add=add, remove=remove)
    return plan, add is not None or remove is not None


def _estimate_url(name: str, plan: estimates.Plan) -> str:
    query = urlencode(plan.query())
    return f"{reverse(name)}?{query}" if query else reverse(name)


@login_not_required
@require_safe
@vary_on_headers("HX-Request")
def estimate(request: HttpRequest) -> HttpResponse:
    """Public: several services priced together (AWS's "My Estimate"), the whole estimate in the
    URL. Adding or removing a line answers a plain request with a redirect to the estimate's URL,
    an htmx one with the new form; typing refreshes the totals and bills. htmx is told the
    estimate's URL (HX-Replace-Url), so the address bar is always the link to share."""
    plan, changed = _plan(request)
    share_url = _estimate_url("pricing:estimate", plan)
    if changed and not is_fragment_request(request):
        return redirect(share_url)
    context = {
        "plan": plan,
        "lines": [
            {"number": n, "line": line, "fields": form_rows(line.module, line.raw, line.errors, f"s{n}.")}
            for n, line in enumerate(plan.lines)
        ],
        "calculators": registry.CALCULATORS.values(),
        "share_url": share_url,
        "csv_url": _estimate_url("pricing:estimate_csv", plan),
        "example_url": f"{reverse('pricing:estimate')}?{urlencode(estimates.EXAMPLE, doseq=True)}",
        "oob": is_fragment_request(request) and not changed,  # the totals bring the bills along; a new form has its own
    }
    response = render(request, template_for(request, "pricing/estimate.html", "estimate" if changed else "totals"), context)
    if is_fragment_request(request):
        response["HX-Replace-Url"] = share_url
    return response


@login_not_required
@require_safe
def estimate_csv(request: HttpRequest) -> HttpResponse:
    """Public: the estimate as a CSV file (a line per bill item, a total per service, the monthly
    and yearly totals); 400 while a line has inputs to fix."""
    plan, _ = _plan(request)
    if not plan.valid:
        problems = [
            f"{line.title}: {', '.join(f'{k}: {m}' for k, ms in line.errors.items() for m in ms)}" for line in plan.lines if line.errors
        ]
        return HttpResponse("Fix these inputs first.\n" + "\n".join(problems), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(plan.name) or "estimate"}.csv"'
    csv.writer(response).writerows(estimates.csv_rows(plan))
    return response


def shared_for(module, shared: dict[str, str]) -> dict[str, str]:
    names = {f.name for f in module.FIELDS}
    return {k: v for k, v in shared.items() if k in names}


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value.adjusted() < 15 else None


@login_not_required
@require_safe
def problems(request: HttpRequest) -> HttpResponse:
    """Public: pricing word problems, answered in dollars and checked to the cent, then the worked
    bill. A series of ``of`` problems is carried in the URL (number, right so far), so it needs no
    account and survives a reload."""
    services = list(registry.CALCULATORS)
    try:
        seed = int(request.GET.get("seed", ""))
    except ValueError:
        seed = secrets.randbelow(10**9)
        query = {"seed": seed, "n": 1, "of": request.GET.get("of", "5"), "right": 0}
        return redirect(f"{reverse('pricing:problems')}?{urlencode(query)}")
    number_, of, right = (_int(request.GET.get(k), d, low, 50) for k, d, low in (("n", 1, 1), ("of", 5, 1), ("right", 0, 0)))
    right = min(right, number_ - 1)
    service = services[(seed + number_) % len(services)]
    text, _, estimate = registry.problem(service, seed * 100 + number_)
    given = request.GET.get("answer")
    answer = _amount(given) if given is not None else None
    correct = answer is not None and to_cents(answer) == to_cents(estimate.total)
    context = {
        "module": registry.calculator(service),
        "text": text,
        "estimate": estimate,
        "answered": answer is not None,
        "invalid": given is not None and answer is None,
        "answer": given,
        "correct": correct,
        "seed": seed,
        "n": number_,
        "of": of,
        "right": right + (1 if correct else 0),
    }
    return render(request, "pricing/problems.html", context)


def _int(value: str | None, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    try:
        return min(max(int(value), low), high)
    except ValueError:
        return default
