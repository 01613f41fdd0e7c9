"""Things an app above content draws inside a note, without content importing that app.

A note's stored HTML keeps a placeholder for each embed its Markdown asks for (today
``:::calculator <service>``, written by :func:`studyapp.content.parsing.note.calculator_placeholder`)::

    <aside class="calculator-placeholder" data-calculator="lambda" ...>...</aside>

An app registers a renderer for a kind of placeholder when the apps load (pricing does, in
``PricingConfig.ready``), and the note page calls :func:`render_embeds` on the body before it is
shown. The swap happens on the server, so the page shows every embed without JavaScript; a
placeholder no renderer claims stays as written (it links to the embed's own page).
"""

import html
import re
from collections.abc import Callable

from django.http import HttpRequest

# renderer(name, request): the HTML that replaces the placeholder, or None to keep the placeholder.
type EmbedRenderer = Callable[[str, HttpRequest], str | None]

# The shape calculator_placeholder writes: class "<kind>-placeholder", then data-<kind>="<name>".
_PLACEHOLDER = re.compile(r'<aside class="(?P<kind>[a-z_]+)-placeholder" data-(?P=kind)="(?P<name>[^"]*)"[^>]*>.*?</aside>', re.S)

_renderers: dict[str, EmbedRenderer] = {}


def register_embed(kind: str, renderer: EmbedRenderer) -> None:
    """Fill every ``kind`` placeholder (``class="<kind>-placeholder"``) in a note with ``renderer``.

    Call it from ``AppConfig.ready()``. Registering a kind again replaces its renderer, so a second
    ``ready()`` (as some test runners do) is harmless.
    """
    _renderers[kind] = renderer


def registered() -> frozenset[str]:
    """The kinds that have a renderer."""
    return frozenset(_renderers)


def render_embeds(body_html: str, request: HttpRequest) -> str:
    """``body_html`` with each placeholder that has a renderer replaced by what it draws for ``request``."""
    if not any(f'class="{kind}-placeholder"' in body_html for kind in _renderers):
        return body_html  # most notes embed nothing: no regular expression over the body then

    def swap(match: re.Match[str]) -> str:
        renderer = _renderers.get(match["kind"])
        fragment = renderer(html.unescape(match["name"]), request) if renderer else None
        return match[0] if fragment is None else fragment

    return _PLACEHOLDER.sub(swap, body_html)
