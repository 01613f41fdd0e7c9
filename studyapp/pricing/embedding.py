"""Calculators inside notes. A note's stored HTML holds a placeholder for each ``:::calculator``
marker; the note page swaps in the calculator's form. The form with its defaults is the same for
everyone, so it is rendered once per process; a no-JavaScript submission (``?calc=<service>&...``)
renders that calculator with its inputs and the bill."""

import re

from django.http import HttpRequest
from django.template.loader import render_to_string

from . import registry
from .views import context_for, form_rows

PLACEHOLDER = re.compile(r'<aside class="calculator-placeholder" data-calculator="([a-z_]+)".*?</aside>', re.S)
_default_html: dict[str, str] = {}


def embed_calculators(html: str, request: HttpRequest) -> str:
    if "calculator-placeholder" not in html:
        return html

    def swap(match: re.Match[str]) -> str:
        service = match.group(1)
        if service not in registry.CALCULATORS:
            return match.group(0)
        if request.GET.get("calc") == service:
            return render_to_string("pricing/embed.html", {**context_for(request, registry.calculator(service)), "lazy": False}, request)
        if service not in _default_html:
            module = registry.calculator(service)
            _default_html[service] = render_to_string("pricing/embed.html", {"module": module, "fields": form_rows(module, {}, {}), "lazy": True})
        return _default_html[service]

    return PLACEHOLDER.sub(swap, html)
