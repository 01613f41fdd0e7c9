"""Flashcards written in ```cards blocks.

Each card starts with ``// [id:some-id]`` and has fields ``Q:``/``A:`` (basic) or ``C:``/``X:``
(cloze with ``{{c1::hidden::hint}}`` deletions; each number is its own card, keyed ``id/cN``).
Tags may follow the id on its line, ``// [id:some-id] [tag:beyond-exam]``, with the questions' rules
(GIFT's: any text but ``<``, ``>`` and control characters, ``]`` written ``\\]``, surrounding spaces
trimmed); a cloze card's tags apply to each of its ``/cN`` cards.
"""

import html
import re
from dataclasses import dataclass

from .limits import MAX_CLOZE_DIGITS
from .markup import plain_text, render_safe
from .types import SLUG as ID_PATTERN
from .types import ParsedCard, Problem, Section

_ID_LINE = re.compile(r"^//\s*\[id:([^\]]*)\](.*)$")
_TAG = re.compile(r"\s*\[tag:((?:\\\]|[^\]])*)\]")  # any text here: _tags() says what a tag may hold
_TAG_TEXT = re.compile(r"^[^<>\x00-\x1f\x7f]+$")
_TRIM = " \t\n\r\0\x0b"  # as the GIFT parser trims ids and tags
_FIELD = re.compile(r"^([QACX]):\s?(.*)$")
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
_TOKEN = "\ue000{}\ue001"


@dataclass(slots=True)
class _Draft:
    key: str
    line: int
    fields: dict[str, list[str]]
    tags: tuple[str, ...] = ()


def render_cloze(text: str, *, active: int | None, reveal: bool) -> str:
    """Render cloze text. Deletions numbered ``active`` (all when None) are hidden, or highlighted
    when ``reveal``; the others show their text."""
    pieces: list[str] = []

    def swap(match: re.Match[str]) -> str:
        number, hidden, hint = int(match.group(1)), match.group(2), match.group(3)
        if active is None or number == active:
            if reveal:
                piece = f'<mark class="cloze">{render_safe(hidden, inline=True)}</mark>'
            else:
                label = html.escape(hint) if hint else "…"
                piece = f'<span class="cloze cloze-hidden">[{label}]</span>'
        else:
            piece = render_safe(hidden, inline=True)
        pieces.append(piece)
        return _TOKEN.format(len(pieces) - 1)

    rendered = render_safe(CLOZE.sub(swap, text))
    for index, piece in enumerate(pieces):
        rendered = rendered.replace(_TOKEN.format(index), piece)
    return rendered


def parse_block(
    lines: list[str], *, path: str, first_line: int, section: Section
) -> tuple[list[ParsedCard], list[Problem], list[tuple[str, str]]]:
    """Parse the lines inside one ```cards fence; ``first_line`` is the number of ``lines[0]``.

    Returns the cards, the problems, and for the note page one (front, back) pair of HTML per written
    card (cloze siblings share one pair with every deletion hidden, then revealed).
    """
    problems: list[Problem] = []
    drafts: list[_Draft] = []
    draft: _Draft | None = None
    field: str | None = None

    for offset, line in enumerate(lines):
        number = first_line + offset
        if not line.strip():
            field = None
            continue
        id_match = _ID_LINE.match(line.strip())
        if id_match:
            key = id_match.group(1).strip()
            tags, message = _tags(id_match.group(2), key=key)
            if message:
                problems.append(Problem(path=path, line=number, message=message))
            draft = _Draft(key=key, line=number, fields={}, tags=tags)
            drafts.append(draft)
            field = None
            if not ID_PATTERN.match(draft.key):
                problems.append(
                    Problem(path=path, line=number, message=f"card id {draft.key!r} must use lower-case letters, digits and hyphens")
                )
            continue
        field_match = _FIELD.match(line)
        if draft is None:
            problems.append(Problem(path=path, line=number, message="a card must start with a line '// [id:card-id]'"))
            draft = _Draft(key="", line=number, fields={})  # swallow the rest of this card
            continue
        if field_match:
            field = field_match.group(1)
            if field in draft.fields:
                problems.append(Problem(path=path, line=number, message=f"card {draft.key!r} has two '{field}:' lines"))
            draft.fields[field] = [field_match.group(2)]
        elif field is not None:
            draft.fields[field].append(line)
        else:
            problems.append(
                Problem(
                    path=path,
                    line=number,
                    message=f"expected 'Q:', 'A:', 'C:' or 'X:' at the start of a card field, got {line.strip()[:40]!r}",
                )
            )

    cards: list[ParsedCard] = []
    shown: list[tuple[str, str]] = []
    for draft in drafts:
        if not draft.key or not ID_PATTERN.match(draft.key):
            continue
        fields = {name: "\n".join(value).strip() for name, value in draft.fields.items()}
        basic, cloze = ("Q" in fields or "A" in fields), ("C" in fields or "X" in fields)
        if basic and cloze:
            problems.append(
                Problem(path=path, line=draft.line, message=f"card {draft.key!r} mixes Q:/A: with C:/X:; a card is basic or cloze")
            )
        elif cloze:
            siblings = _cloze_cards(draft, fields, path=path, section=section, problems=problems)
            if siblings:
                cards.extend(siblings)
                extra = f'<div class="card-extra">{render_safe(fields["X"])}</div>' if fields.get("X") else ""
                shown.append(
                    (render_cloze(fields["C"], active=None, reveal=False), render_cloze(fields["C"], active=None, reveal=True) + extra)
                )
        elif not fields.get("Q") or not fields.get("A"):
            problems.append(Problem(path=path, line=draft.line, message=f"card {draft.key!r} needs a 'Q:' (front) and an 'A:' (back)"))
        else:
            front, back = render_safe(fields["Q"]), render_safe(fields["A"])
            shown.append((front, back))
            cards.append(
                ParsedCard(
                    key=draft.key,
                    line=draft.line,
                    kind="basic",
                    front_html=front,
                    back_html=back,
                    text=plain_text(front + " " + back),
                    section=section,
                    tags=draft.tags,
                )
            )
    return cards, problems, shown


def _tags(rest: str, *, key: str) -> tuple[tuple[str, ...], str]:
    """The tags written after a card's id (``rest``: the line after ``[id:...]``), and a problem's
    message ("" when none): only ``[tag:...]`` may follow the id, each holding a well-formed tag."""
    tags: list[str] = []
    position = 0
    for match in _TAG.finditer(rest):
        if match.start() != position:
            break
        position = match.end()
        tag = match.group(1).replace("\\]", "]").strip(_TRIM)
        if not tag:
            return (), f"card {key!r} has an empty tag: write [tag:some-tag]"
        if not _TAG_TEXT.match(tag):
            return (), f"card {key!r}: the tag {tag!r} cannot hold '<', '>' or control characters"
        if tag not in tags:
            tags.append(tag)
    leftover = rest[position:].strip()
    if leftover:
        return (), f"card {key!r}: only [tag:...] may follow the id on its line, got {leftover[:40]!r}"
    return tuple(tags), ""


def _cloze_cards(draft: _Draft, fields: dict[str, str], *, path: str, section: Section, problems: list[Problem]) -> list[ParsedCard]:
    text = fields.get("C", "")
    if any(len(m.group(1)) > MAX_CLOZE_DIGITS for m in CLOZE.finditer(text)):  # int() refuses thousands of digits
        message = f"cloze card {draft.key!r}: a deletion's number has at most {MAX_CLOZE_DIGITS} digits, as in {{{{c1::text}}}}"
        problems.append(Problem(path=path, line=draft.line, message=message))
        return []
    numbers = sorted({int(m.group(1)) for m in CLOZE.finditer(text)})
    if not numbers:
        problems.append(Problem(path=path, line=draft.line, message=f"cloze card {draft.key!r} needs at least one {{{{c1::hidden text}}}}"))
        return []
    if "{{" in CLOZE.sub("", text):
        problems.append(
            Problem(
                path=path, line=draft.line, message=f"cloze card {draft.key!r} has a '{{{{' that is not a deletion like {{{{c1::text}}}}"
            )
        )
        return []
    extra = render_safe(fields["X"]) if fields.get("X") else ""
    search = plain_text(render_cloze(text, active=None, reveal=True) + " " + extra)
    cards = []
    for number in numbers:
        back = render_cloze(text, active=number, reveal=True)
        if extra:
            back += f'<div class="card-extra">{extra}</div>'
        cards.append(
            ParsedCard(
                key=f"{draft.key}/c{number}",
                line=draft.line,
                kind="cloze",
                cloze_number=number,
                front_html=render_cloze(text, active=number, reveal=False),
                back_html=back,
                text=search,
                section=section,
                tags=draft.tags,
            )
        )
    return cards
