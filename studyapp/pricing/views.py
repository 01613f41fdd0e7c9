"""Pricing calculators: public pages, the JSON endpoint, and the fragment the notes embed."""

import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from studyapp.core.htmx import template_for

from . import registry
from .money import Estimate, InputError, to_cents

COMPARISONS = {
    "lambda-arm": (
        "Lambda on x86 or on Arm (Graviton)",
        "lambda",
        {"architecture": "x86_64"},
        "lambda",
        {"architecture": "arm64"},
        {"requests": "3000000", "duration_ms": "120", "memory_mb": "1536"},
    ),
    "lambda-fargate": (
        "Lambda or Fargate for the same work",
        "lambda",
        {"requests": "3000000", "duration_ms": "120", "memory_mb": "2048"},
        "fargate",
        {"tasks": "1", "duration_seconds": "2592000", "vcpu": "1", "memory_gb": "2"},
        {},
    ),
    "fargate-spot": (
        "Fargate on demand or on Spot",
        "fargate",
        {"spot": "false"},
        "fargate",
        {"spot": "true"},
        {"tasks": "150", "duration_seconds": "600", "vcpu": "1", "memory_gb": "2"},
    ),
}


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
    """What the template needs to draw each input, with the value shown and its errors."""
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
                "errors": errors.get(f.name, []),
            }
        )
    return rows


def _run(module, raw: Mapping[str, object]) -> tuple[Estimate | None, dict[str, list[str]]]:
    try:
        return registry.calculate(module.SERVICE, raw), {}
    except InputError as error:
        return None, error.errors


def context_for(request: HttpRequest, module) -> dict[str, object]:
    raw = _inputs(request, module)
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
    }


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Public: every calculator, and ready-made comparisons."""
    return render(request, "pricing/index.html", {"calculators": registry.CALCULATORS.values(), "comparisons": COMPARISONS})


@login_not_required
@require_GET
@vary_on_headers("HX-Request")
def calculator(request: HttpRequest, service: str) -> HttpResponse:
    """Public: one calculator. The form is a GET form (its URL is the scenario, to share or
    bookmark); htmx refreshes only the breakdown as the inputs change."""
    module = _service(service)
    return render(request, template_for(request, "pricing/calculator.html", "breakdown"), context_for(request, module))


@login_not_required
@require_GET
def embed(request: HttpRequest, service: str) -> HttpResponse:
    """Public: the calculator as a note embeds it (loaded when scrolled into view)."""
    module = _service(service)
    return render(request, "pricing/embed.html", {**context_for(request, module), "lazy": False})


@login_not_required
@require_GET
def estimate_json(request: HttpRequest, service: str) -> JsonResponse:
    """Public: the estimate as JSON (same shape as ``manage.py estimate``); 400 with every error."""
    module = _service(service)
    try:
        estimate = registry.calculate(module.SERVICE, dict(request.GET.items()))
    except InputError as error:
        return JsonResponse({"errors": error.errors}, status=400)
    return JsonResponse(estimate.as_json())


@login_not_required
@require_GET
def compare(request: HttpRequest, preset: str) -> HttpResponse:
    """Public: two scenarios side by side, with the difference."""
    if preset not in COMPARISONS:
        raise Http404("no such comparison")
    title, left_service, left_fixed, right_service, right_fixed, shared = COMPARISONS[preset]
    sides = []
    estimates: list[Estimate | None] = []
    for prefix, service, fixed in (("a.", left_service, left_fixed), ("b.", right_service, right_fixed)):
        module = registry.calculator(service)
        raw = {**shared_for(module, shared), **fixed, **_inputs(request, module, prefix)}
        estimate, errors = _run(module, {**registry.defaults(service), **raw})
        sides.append(
            {"module": module, "fields": form_rows(module, raw, errors, prefix), "estimate": estimate, "errors": errors, "prefix": prefix}
        )
        estimates.append(estimate)
    left, right = estimates
    difference = right.total - left.total if left and right else None
    return render(request, "pricing/compare.html", {"title": title, "preset": preset, "sides": sides, "difference": difference})


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
@require_GET
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
