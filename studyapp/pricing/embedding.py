"""Calculators inside notes. A note's stored HTML holds a placeholder for each ``:::calculator``
marker; content's note page fills it through :func:`render_calculator`, which ``PricingConfig.ready``
registers with :mod:`studyapp.content.embeds` (so content never imports pricing). The form with its
defaults is the same for everyone, so it is rendered once per process; a no-JavaScript submission
(``?calc=<service>&...``) renders that calculator with its inputs and the bill."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.template.loader import render_to_string

from . import registry
from .views import context_for, form_rows

_default_html: dict[str, str] = {}


def render_calculator(service: str, request: HttpRequest) -> str | None:
    """The calculator for ``service`` as the note shows it; None for a service with no calculator
    (the placeholder, a link to the calculator's page, stays)."""
    module = registry.CALCULATORS.get(service)
    if module is None:
        return None
    if request.GET.get("calc") == service:
        return render_to_string("pricing/embed.html", {**context_for(request, module), "lazy": False}, request)
    if service not in _default_html:
        example = registry.EXAMPLES.get(service, {})
        context = {"module": module, "fields": form_rows(module, example, {}), "lazy": True, "example_query": urlencode(example)}
        _default_html[service] = render_to_string("pricing/embed.html", context)
    return _default_html[service]
