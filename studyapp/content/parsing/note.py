"""One note: front matter, Markdown body, and the cards, questions and calculators written in it."""

import html
import re
from dataclasses import dataclass, field

from . import cards as cards_module
from . import frontmatter, limits
from . import questions as questions_module
from .markup import TocToken, plain_text, render_note
from .types import BEYOND_EXAM, CALCULATORS, SLUG, ParsedCard, ParsedNote, ParsedQuestion, Problem, Section, SectionText, TocEntry, checksum

RENDER_VERSION = 6  # bump when rendering or indexing changes, so every note is rendered and indexed again
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w-]*)\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_CALCULATOR = re.compile(r"^:::\s*calculator\b\s*(\S*)\s*$")
_PLACEHOLDER = re.compile(r"STUDYAPPBLOCK\d+X")
_MARKUP = re.compile(r"[`*_~\\]|\[|\]\([^)]*\)|<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_ORDER_PREFIX = re.compile(r"^\d+[-_]")
_SECTION_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)


def placeholder(index: int) -> str:
    return f"STUDYAPPBLOCK{index}X"


@dataclass(slots=True)
class _Block:
    kind: str  # "cards" | "gift" | "calculator"
    line: int  # the fence's line
    lines: list[str] = field(default_factory=list)
    heading: int = -1  # index into the headings seen so far (-1: before the first)
    name: str = ""


@dataclass(slots=True)
class _Scan:
    markdown: list[str] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _scan(lines: list[str], *, path: str, first_line: int) -> _Scan:
    scan = _Scan()
    open_block: _Block | None = None
    other_fence: str | None = None
    for offset, line in enumerate(lines):
        number = first_line + offset
        fence = _FENCE.match(line)
        if open_block is not None:
            if fence and not fence.group(2) and fence.group(1)[0] == "`" and len(fence.group(1)) >= 3:
                scan.markdown += ["", placeholder(len(scan.blocks) - 1), ""]
                open_block = None
            else:
                open_block.lines.append(line)
            continue
        if other_fence is not None:
            scan.markdown.append(line)
            if fence and not fence.group(2) and line.strip().startswith(other_fence):
                other_fence = None
            continue
        if fence:
            if fence.group(2) in {"cards", "gift"}:
                open_block = _Block(kind=fence.group(2), line=number, heading=len(scan.headings) - 1)
                scan.blocks.append(open_block)
                continue
            other_fence = fence.group(1)
            scan.markdown.append(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            if len(heading.group(1)) == 1:
                scan.problems.append(
                    Problem(
                        path=path,
                        line=number,
                        message="a level-1 heading ('# ...') is not allowed: the title comes from the front matter; use '## ...'",
                    )
                )
            else:
                scan.headings.append(heading.group(2))
        if limits.blocked_html(line):  # raw HTML the CSP would block: say so at load time, not in the browser console
            scan.problems.append(
                Problem(
                    path=path,
                    line=number,
                    message="inline scripts, event handlers and style attributes are blocked by the Content Security Policy: use a CSS class instead",
                )
            )
        calculator = _CALCULATOR.match(line)
        if calculator:
            name = calculator.group(1)
            if name not in CALCULATORS:
                scan.problems.append(
                    Problem(path=path, line=number, message=f"unknown calculator {name!r} (use one of: {', '.join(CALCULATORS)})")
                )
            scan.blocks.append(_Block(kind="calculator", line=number, name=name, heading=len(scan.headings) - 1))
            scan.markdown += ["", placeholder(len(scan.blocks) - 1), ""]
            continue
        scan.markdown.append(line)
    if open_block is not None:
        scan.problems.append(
            Problem(path=path, line=open_block.line, message=f"the ```{open_block.kind} block is never closed: end it with a line ```")
        )
    if other_fence is not None:
        scan.problems.append(Problem(path=path, line=first_line + len(lines) - 1, message="a code block is never closed"))
    return scan


def _flatten(tokens: list[TocToken]) -> list[TocEntry]:
    """Python-Markdown's nested heading tokens, in document order."""
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(level=token["level"], title=html.unescape(token["name"]), anchor=token["id"]))
        entries.extend(_flatten(token.get("children", [])))
    return entries


def _words(text: str) -> str:
    return " ".join(_MARKUP.sub("", html.unescape(text)).split()).casefold()


def _match_anchors(written: list[str], rendered: list[TocEntry]) -> list[str]:
    """The anchor of each heading the scan saw. Rendered headings may include more (a heading inside
    an admonition), so each written heading takes the next rendered one with the same words."""
    anchors: list[str] = []
    position = 0
    for heading in written:
        for index in range(position, len(rendered)):
            if _words(rendered[index].title) == _words(heading):
                anchors.append(rendered[index].anchor)
                position = index + 1
                break
        else:
            anchors.append("")
    return anchors


def slug_for(path: str) -> str:
    """The URL slug of a note: its file name without the extension and an ordering prefix."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    return _ORDER_PREFIX.sub("", stem).lower()


def parse_note(text: str, *, path: str, topics: frozenset[str]) -> tuple[ParsedNote | None, list[Problem]]:
    """Parse one note. ``path`` is used in problems and is relative to the content folder."""
    head, body_start, problems = frontmatter.split(text, path)
    if problems:
        return None, problems
    meta, problems = frontmatter.parse(head, path)
    if meta is not None and meta.topic not in topics:
        problems.append(
            Problem(
                path=path,
                line=meta.lines["topic"],
                message=f"unknown topic {meta.topic!r}: declare it in course.toml (known: {', '.join(sorted(topics))})",
            )
        )
    beyond = limits.text_problems(text, path=path, body_start=body_start)
    if beyond:  # rendering text past the bounds may take minutes or overflow the stack: stop here
        return None, problems + beyond
    body_lines = text.splitlines()[body_start - 1 :]
    scan = _scan(body_lines, path=path, first_line=body_start)
    problems.extend(scan.problems)

    slug = slug_for(path)
    if not SLUG.match(slug):
        problems.append(
            Problem(
                path=path,
                line=1,
                message=f"the file name gives the note address {slug!r}: use lower-case letters, digits and hyphens, such as 04-ecr.md",
            )
        )

    body_html, toc_tokens = render_note("\n".join(scan.markdown))
    headings = _flatten(toc_tokens)
    anchors = _match_anchors(scan.headings, headings)

    def section_of(block: _Block) -> Section:
        if block.heading < 0:
            return Section()
        return Section(anchor=anchors[block.heading], title=plain_text(scan.headings[block.heading]))

    cards: list[ParsedCard] = []
    questions: list[ParsedQuestion] = []
    calculators: list[str] = []
    block_html: list[str] = []
    for block in scan.blocks:
        section = section_of(block)
        if block.kind == "cards":
            found, block_problems, shown = cards_module.parse_block(block.lines, path=path, first_line=block.line + 1, section=section)
            cards.extend(found)
            block_html.append(_cards_html(shown))
        elif block.kind == "gift":
            found_q, block_problems = questions_module.parse_block(
                "\n".join(block.lines), path=path, first_line=block.line + 1, section=section, topics=topics
            )
            questions.extend(found_q)
            block_html.append(_questions_html(found_q))
        else:
            block_problems = []
            calculators.append(block.name)
            block_html.append(calculator_placeholder(block.name))
        problems.extend(block_problems)

    if problems or meta is None:
        return None, problems

    summary_match = next((m for m in _FIRST_PARAGRAPH.finditer(body_html) if not _PLACEHOLDER.fullmatch(m.group(1))), None)
    prose_html = _PLACEHOLDER.sub(" ", body_html)  # before the blocks go in: what search reads
    for index, fragment in enumerate(block_html):
        body_html = body_html.replace(f"<p>{placeholder(index)}</p>", fragment)
    toc = tuple(entry for entry in headings if entry.level <= 3)
    note = ParsedNote(
        path=path,
        slug=slug,
        meta=meta,
        body_html=body_html,
        toc=toc,
        text=plain_text(prose_html),
        summary=plain_text(summary_match.group(1)) if summary_match else "",
        cards=tuple(cards),
        questions=tuple(questions),
        calculators=tuple(calculators),
        checksum=checksum([RENDER_VERSION, text]),
        sections=sections_of(prose_html),
    )
    return note, []


def sections_of(body_html: str) -> tuple[SectionText, ...]:
    """Each level-2 and level-3 heading of a rendered note with the text under it, up to the next one
    (text before the first heading belongs to the note alone)."""
    found = list(_SECTION_HEADING.finditer(body_html))
    sections: list[SectionText] = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(body_html)
        text = plain_text(body_html[match.end() : end])  # may be "": a heading over cards or a calculator is still found by its title
        sections.append(SectionText(anchor=match.group(2), title=plain_text(match.group(3)), text=text))
    return tuple(sections)


def toc_html(toc: tuple[TocEntry, ...]) -> str:
    """The table of contents as an ordered list of links ("" when the note has no headings)."""
    if not toc:
        return ""
    items = "".join(
        f'<li class="toc-level-{entry.level}"><a href="#{html.escape(entry.anchor)}">{html.escape(entry.title)}</a></li>' for entry in toc
    )
    return f"<ol>{items}</ol>"


def _cards_html(shown: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<li class="flashcard"><details><summary><span class="visually-hidden">Flashcard: </span>{_inline(front)}</summary>'
        f'<div class="flashcard-back">{back}</div></details></li>'
        for front, back in shown
    )
    return (
        '<aside class="note-cards" aria-label="Flashcards">'
        '<p class="block-label">Flashcards <span class="block-hint">open one to see its answer</span></p>'
        f'<ul class="flashcard-list">{items}</ul></aside>'
    )


def _questions_html(questions: list[ParsedQuestion]) -> str:
    parts = []
    for q in questions:
        content = q.content
        shown = content.shown(content.stable_order(q.key))  # the same order on every load, not the written one
        choices = "".join(f"<li>{c.html}</li>" for c in shown)
        review = "".join(
            f'<li class="{"is-correct" if c.right else "is-wrong"}">'
            f"<strong>{'Right' if c.right else 'Wrong'}:</strong> {c.html}"
            f"{' — ' + c.feedback_html if c.feedback_html else ''}</li>"
            for c in shown
        )
        parts.append(
            f'<article class="note-question" id="q-{html.escape(q.key)}" aria-label="Practice question">'
            f'<p class="block-label">Check yourself{_BEYOND_BADGE if BEYOND_EXAM in q.tags else ""}</p>'
            f'<div class="question-stem">{content.stem_html}</div>'
            f'<ol class="question-options" type="A">{choices}</ol>'
            f'<details><summary>Show the answer</summary><ol class="question-review" type="A">{review}</ol>'
            f'<div class="explanation">{content.explanation_html}</div></details></article>'
        )
    return "".join(parts)


_BEYOND_BADGE = ' <span class="mark-tag beyond-exam-tag">Beyond the exam</span>'


def calculator_placeholder(name: str) -> str:
    """A placeholder the note page replaces with the calculator (see studyapp.pricing.embedding)."""
    label = CALCULATORS.get(name, name)
    return (
        f'<aside class="calculator-placeholder" data-calculator="{html.escape(name)}" aria-label="{label} pricing calculator">'
        f'<p><a href="/pricing/{html.escape(name)}/">Open the {label} pricing calculator</a></p></aside>'
    )


def _inline(fragment: str) -> str:
    """Phrasing content for a <summary>: the single paragraph's HTML, else the escaped plain text."""
    match = re.fullmatch(r"<p>(.*)</p>", fragment.strip(), re.S)
    return match.group(1) if match and "<p>" not in match.group(1) else html.escape(plain_text(fragment))
