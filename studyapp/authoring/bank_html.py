"""The bank's table rows and category tree, written as HTML in Python (as ``srs/browser_html.py``
does for the card browser: one ``format_html`` per row instead of the template language's dozen
lookups). Every value is escaped (``html.escape``, quotes too, or ``format_html``); the page template
places the results."""

from collections.abc import Callable, Iterable
from html import escape
from typing import cast
from urllib.parse import urlencode

from django import forms
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from studyapp.content.parsing.types import DOMAINS
from studyapp.questions.models import CATEGORY_ROOT

from .bank import Node, Row

SHORT_KINDS = {
    "single": "One answer",
    "multiple": "Several answers",
    "truefalse": "True/false",
    "shortanswer": "Short answer",
    "numerical": "Numerical",
    "matching": "Matching",
    "essay": "Essay",
    "description": "Description",
}
"""The table's names of the kinds (the filter's select says them in full)."""


def rows_html(rows: Iterable[Row], *, bank_url: str, question_url: Callable[[int], str]) -> SafeString:
    """The ``<tr>`` of each row: a tick box for the editable ones, "read-only" and why for the others.
    Every value goes through ``html.escape`` (quotes too); ``format_html`` per cell cost 9 calls a row."""
    out = []
    for row in rows:
        if row.editable:
            tick = f'<input type="checkbox" name="ids" value="{row.pk}" id="pick-{row.pk}" aria-label="Tick {escape(row.title)}">'
            note, cls = "", ""
        else:
            tick = '<span class="read-only-mark">Read-only</span>'
            note, cls = f'<br><small class="read-only-reason">{escape(row.read_only_reason)}</small>', ' class="read-only"'
        uses = ["Practice"] if row.in_practice else []
        for use in row.uses:
            key, prefix = ("assignment", "Assignment") if use.kind == "assignment" else ("game", "Live")
            uses.append(f'<a href="{escape(bank_url)}?{key}={use.pk}">{prefix}: {escape(use.title)}</a>')
        tags = " ".join(f'<span class="mark-tag">{escape(t)}</span>' for t in row.tags)
        domain = (
            f'<abbr title="{escape(DOMAINS[row.domain])}">Domain {escape(row.domain.removeprefix("domain-"))}</abbr>'
            if row.domain in DOMAINS
            else escape(row.domain or "–")
        )
        out.append(
            f'<tr{cls}><td>{tick}</td><td><a href="{escape(question_url(row.pk))}">{escape(row.title)}</a>{note}</td>'
            f"<td>{escape(SHORT_KINDS.get(row.kind, row.kind))}</td><td>{domain}</td>"
            f'<td><span class="status status-{escape(row.status)}">{escape(row.status.title())}</span>'
            f" {f'v{row.version}' if row.version else ''}</td><td>{_category(row.category)}</td><td>{tags}</td>"
            f"<td>{', '.join(uses) if uses else '–'}</td></tr>\n"
        )
    return mark_safe("".join(out))


def _category(path: str) -> str:
    """A path without the ``$course$/top/`` every path starts with (the whole path on hover)."""
    short = path.removeprefix(CATEGORY_ROOT + "/")
    return escape(short) if short == path else f'<span title="{escape(path)}">{escape(short)}</span>'


def tags_html(tags: Iterable[tuple[str, int]], *, bank_url: str, kept: list[tuple[str, str]]) -> SafeString:
    """The tags as links to the list of each (keeping the other filters), with their counts."""
    others = [(name, value) for name, value in kept if name != "tag"]
    return mark_safe(
        "".join(
            f'<li><a class="mark-tag" href="{escape(bank_url)}?{escape(urlencode([*others, ("tag", tag)]))}">{escape(tag)}</a>'
            f' <span class="count">{count}</span></li>'
            for tag, count in tags
        )
    )


def tree_html(nodes: Iterable[Node], *, bank_url: str, kept: list[tuple[str, str]], current: str) -> SafeString:
    """The category tree as nested lists; each category a link to the list of it and everything
    below it, keeping the other filters (``kept``, without category and page)."""

    def link(node: Node) -> SafeString:
        query = urlencode([*kept, ("category", node.path)])
        here = mark_safe(' aria-current="true"') if node.path == current else ""
        mark = "" if node.editable else mark_safe(' <span class="read-only-mark">read-only</span>')
        return format_html(
            '<a href="{}?{}" hx-get="{}?{}" hx-target="#bank-page" hx-swap="outerHTML" hx-push-url="true"{}>{}</a>'
            ' <span class="count" title="{} here, {} with the categories below">{}</span>{}',
            bank_url, query, bank_url, query, here, node.name, node.own, node.total, node.total, mark,
        )  # fmt: skip

    def branch(items: Iterable[Node]) -> SafeString:
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}{}</li>", ((link(n), branch(n.children) if n.children else "") for n in items))
        )

    return branch(nodes)


def select_html(field: BoundField) -> SafeString:
    """A ``ChoiceField``'s ``<select>`` as its widget renders it (name, id, the chosen option, the
    error mark), without the widget templates' lookups per option (8 ms of the page's 15 ms of template)."""
    chosen = "" if field.value() is None else str(field.value())
    invalid = f' aria-invalid="true" aria-describedby="{escape(field.auto_id)}_error"' if field.errors else ""
    options = "".join(
        f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>{escape(str(label))}</option>'
        for value, label in cast(Iterable[tuple[object, object]], cast(forms.ChoiceField, field.field).choices)  # flat, no groups
    )
    return mark_safe(f'<select name="{escape(field.html_name)}" id="{escape(field.auto_id)}"{invalid}>{options}</select>')
