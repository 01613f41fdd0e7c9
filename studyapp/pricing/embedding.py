"""Calculators inside notes. A note's stored HTML holds a placeholder for each ``:::calculator``
marker; the note page swaps in the calculator's form. The form with its defaults is the same for
everyone, so it is rendered once per process; a no-JavaScript submission (``?calc=<service>&...``)
renders that calculator with its inputs and the bill."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from studyapp.content.parsing.note import calculator_placeholder

from . import registry
from .views import context_for, form_rows

_default_html: dict[str, str] = {}


def embed_calculators(html: str, request: HttpRequest) -> str:
    if "calculator-placeholder" not in html:
        return html
    for service, module in registry.CALCULATORS.items():
        placeholder = calculator_placeholder(service)
        if placeholder not in html:
            continue
        if request.GET.get("calc") == service:
            fragment = render_to_string("pricing/embed.html", {**context_for(request, module), "lazy": False}, request)
        else:
            if service not in _default_html:
                _default_html[service] = render_to_string("pricing/embed.html", {"module": module, "fields": form_rows(module, {}, {}), "lazy": True})
            fragment = _default_html[service]
        html = html.replace(placeholder, fragment)
    return html
