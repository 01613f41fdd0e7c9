"""Markdown to HTML: whole notes (trusted, reviewed in the repository) and short texts (always sanitized)."""

import html
import re
import threading
from typing import TypedDict

import markdown
import nh3

NOTE_EXTENSIONS = [
    "tables",
    "admonition",
    "attr_list",
    "sane_lists",
    "toc",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
]
NOTE_EXTENSION_CONFIGS: dict[str, dict[str, object]] = {
    "toc": {
        "permalink": "#",
        "permalink_title": "Link to this section",
        "toc_depth": "2-6",  # every heading in the tokens; the page shows levels 2 and 3
    },
    "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False},
}
SHORT_EXTENSIONS = ["sane_lists", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite"]
_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "span",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "sub",
    "sup",
    "del",
    "kbd",
    "mark",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "div": {"class"}, "code": {"class"}, "pre": {"class"}}
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|li|ul|ol|div|h[1-6]|td|th|tr|table|pre|blockquote|summary|details|aside|article|section)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]+>")
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)  # the toc extension's "#" permalinks
_SPACE = re.compile(r"\s+")
_SINGLE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.S)


class TocToken(TypedDict):
    """One heading in the table of contents of Python-Markdown's toc extension, with those under it."""

    level: int
    id: str
    name: str
    children: list["TocToken"]


class _NoteMarkdown(markdown.Markdown):
    toc_tokens: list[TocToken]  # set by the toc extension on each convert()


def render_note(source: str) -> tuple[str, list[TocToken]]:
    """Render a note's Markdown; return (HTML, the table of contents as Python-Markdown tokens)."""
    md = _NoteMarkdown(extensions=NOTE_EXTENSIONS, extension_configs=NOTE_EXTENSION_CONFIGS, output_format="html")
    md.block_level_elements.append("svg")  # an inline diagram is a block, not text inside a <p>
    # Wide tables scroll inside a wrapper, so the table keeps its table semantics for screen readers.
    # A wide table scrolls inside its wrapper on a phone: the wrapper takes focus so a keyboard can scroll it too.
    body = (
        md.convert(source)
        .replace("<table>", '<div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways)"><table>')
        .replace("</table>", "</table></div>")
    )
    return body, list(md.toc_tokens)


_local = threading.local()
# Text made only of these characters, starting with a letter or digit that does not open a list,
# renders to itself in one paragraph: no need to run Markdown (most options and feedback are such).
_PLAIN = re.compile(r"^(?![0-9]+[.)] )[A-Za-z0-9][A-Za-z0-9 ,.;:'\"()?/%$+=@-]*$")


def _safe_markdown() -> markdown.Markdown:
    """One converter per thread: building one costs far more than a conversion, and a converter
    must not be shared between threads."""
    md = getattr(_local, "safe", None)
    if md is None:
        md = markdown.Markdown(extensions=SHORT_EXTENSIONS, output_format="html")
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _local.safe = md
    return md.reset()


def render_safe(text: str, *, inline: bool = False) -> str:
    """Render untrusted Markdown: raw HTML is escaped, then the result is cleaned by nh3.

    ``inline=True`` drops the ``<p>`` around a single paragraph, for places that take phrasing
    content only (a ``<summary>``, a button label).
    """
    text = text.strip()
    if _PLAIN.match(text):
        escaped = html.escape(text, quote=False)
        return escaped if inline else f"<p>{escaped}</p>"
    cleaned = clean_html(_safe_markdown().convert(text))
    if inline:
        match = _SINGLE_PARAGRAPH.match(cleaned.strip())
        if match and "<p>" not in match.group(1):
            return match.group(1)
    return cleaned


def clean_html(fragment: str) -> str:
    """Untrusted HTML made safe to show: the one allowlist of tags, attributes and link schemes
    that typed text gets (:func:`render_safe` runs its Markdown through it; a question imported as
    HTML goes through it directly)."""
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment a reader sees, whitespace collapsed: headings' "#" permalinks left out."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", _HEADERLINK.sub("", fragment))))).strip()


def pygments_css() -> str:
    """The stylesheet for highlighted code: a light theme, and a dark one when the system asks."""
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark_rules = HtmlFormatter(style="monokai").get_style_defs(".highlight").splitlines()
    dark = "\n".join("  " + rule for rule in dark_rules if not rule.startswith(("pre ", "td.linenos", "span.linenos")))
    return f"/* Generated by `make pygments-css` (Pygments friendly / monokai). */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
