"""What one file and one line of course content may hold, and the checks that keep them so.

Pure: standard library only. Python-Markdown and the HTML parser it runs on raw HTML take time that
grows with the square of what they scan (an unclosed ``<a`` or ``[`` makes each later one scan to the
end of the text), and recurse once per level of nesting. The bounds below keep every note well inside
what they handle, so checking a course stays linear in its size and never overflows the stack; each
check here is itself one pass over its text. The numbers are stated in docs/content-format.md.
"""

import re

from .types import Problem

MAX_FILE_BYTES = 1_000_000
"""A file (a note, a ``course.toml``) holds at most 1 MB."""
MAX_LINE_CHARS = 10_000
"""A line holds at most 10,000 characters."""
MAX_NESTING = 16
"""Lists, quotes and admonitions nest at most 16 levels deep, and ``[`` brackets within a line too."""
MAX_TAG_CHARS = 1_000
"""A raw HTML tag (``<`` up to its ``>``) is at most 1,000 characters long, on one line."""
MAX_CLOZE_DIGITS = 3
"""A cloze deletion's number has at most 3 digits (``{{c1::...}}`` up to ``{{c999::...}}``)."""
LISTED = 20
"""At most this many lines past the bounds are listed per file, then how many more there are."""

_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w-]*)\s*$")  # as the note scanner reads fences
# What the HTML parser under Markdown reads as the start of a tag, a declaration or an instruction.
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_SCRIPT = re.compile(r"<script\b", re.I)
_BLOCKED_ATTRIBUTE = re.compile(r"\s(?:style|on[a-z]+)\s*=", re.I)
# Container markers a line may open with: quotes, bullets, numbers ("1." or "1)") and admonitions.
_MARKER = re.compile(r"(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s)|!!!)[ \t]*")
# What opens a line of a cards or gift block before its text: a field, an option and its weight, a title.
_BLOCK_PREFIX = re.compile(r"[ \t]*(?:[QACX]:|[~=](?:%[^%]*%)?|::[^:]*::)?[ \t]*")


def _tags(line: str) -> list[tuple[int, int]]:
    """Each raw HTML tag on ``line`` as (start, end after its ``>``); end is -1 for one never closed.
    One pass: a tag runs to the first ``>``, and the search goes on after it (an HTML comment, which
    may span lines and is scanned in linear time by the parser, is skipped to its end on this line)."""
    found: list[tuple[int, int]] = []
    position = 0
    while (match := _TAG_START.search(line, position)) is not None:
        start = match.start()
        if line.startswith("<!--", start):
            close = line.find("-->", start + 4)
            if close < 0:
                break
            position = close + 3
            continue
        close = line.find(">", start)
        if close < 0:
            found.append((start, -1))
            break
        found.append((start, close + 1))
        position = close + 1
    return found


def blocked_html(line: str) -> bool:
    """Whether ``line`` holds raw HTML the site's Content Security Policy would block: a ``<script>``,
    or a tag with a ``style`` or ``on...`` (event handler) attribute. Linear in the line's length."""
    if _SCRIPT.search(line):
        return True
    return any(_BLOCKED_ATTRIBUTE.search(line, start, len(line) if end < 0 else end) for start, end in _tags(line))


def _depth(line: str, *, block: bool) -> int:
    """How deeply ``line`` nests: its indentation in steps of four columns, plus the quote, list and
    admonition markers it opens with (in a cards or gift ``block``, after its field or option marker,
    since each field and option is rendered as Markdown of its own)."""
    if block:
        line = line[_BLOCK_PREFIX.match(line).end() :]  # type: ignore[union-attr]  # it matches the empty string
    expanded = line.expandtabs(4)
    stripped = expanded.lstrip(" ")
    depth = (len(expanded) - len(stripped)) // 4
    position = 0
    while depth <= MAX_NESTING and (match := _MARKER.match(stripped, position)) is not None and match.end() > position:
        depth += 1
        position = match.end()
    return depth


def _bracket_problem(line: str) -> str:
    """Markdown looks for the ``]`` of each ``[`` to the end of the paragraph: a ``[`` must be closed
    on its own line (``\\[`` is a literal bracket), and brackets nest at most MAX_NESTING deep."""
    depth = deepest = 0
    index, size = 0, len(line)
    while index < size:
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "]" and depth:
            depth -= 1
        index += 1
    if deepest > MAX_NESTING:
        return f"brackets '[' nest {deepest} deep; at most {MAX_NESTING} are allowed"
    if depth:
        return "a '[' is not closed by ']' on the same line: close it, or write '\\[' for a bracket"
    return ""


def _markdown_problem(line: str, *, html: bool) -> str:
    """The first bound a line of Markdown breaks ("" for none). ``html``: raw HTML is rendered here."""
    if _depth(line, block=not html) > MAX_NESTING:
        return f"nested more than {MAX_NESTING} levels deep (indentation, quotes or list markers); flatten it"
    if message := _bracket_problem(line):
        return message
    if html:
        for start, end in _tags(line):
            if end < 0:
                return (
                    f"the HTML tag that starts at column {start + 1} is not closed by '>' on its line "
                    "(a '<' followed by a letter, '/', '!' or '?' starts a tag: add a space after a literal '<')"
                )
            if end - start > MAX_TAG_CHARS:
                return f"the HTML tag that starts at column {start + 1} is {end - start:,} characters long; at most {MAX_TAG_CHARS:,}"
    return ""


def text_problems(text: str, *, path: str, body_start: int) -> list[Problem]:
    """What in a note's ``text`` breaks the bounds above, in one pass: at most one problem per line,
    and after LISTED of them one more saying how many lines are left.

    Every line is at most MAX_LINE_CHARS long. The body's lines (from line ``body_start``) are also
    checked as Markdown: nesting, brackets and, outside ``cards`` and ``gift`` blocks (whose texts are
    rendered with raw HTML off), raw HTML tags. Lines of other code blocks are left as they are: they
    are not read as Markdown.
    """
    problems: list[Problem] = []
    fence: str | None = None  # the open fence's language ("" for plain code), None outside any
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            problems.append(
                Problem(path=path, line=number, message=f"the line is {len(line):,} characters long; at most {MAX_LINE_CHARS:,}")
            )
            continue
        if number < body_start:
            continue
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(2)
            continue
        if fence is not None and match and not match.group(2):
            fence = None
            continue
        if fence is not None and (fence not in {"cards", "gift"} or line.lstrip().startswith("//")):
            continue  # code, and a block's comment lines (ids and tags, which their own parsers check), are not Markdown
        if message := _markdown_problem(line, html=fence is None):
            problems.append(Problem(path=path, line=number, message=message))
    if len(problems) > LISTED:
        more = len(problems) - LISTED
        last = Problem(path=path, line=problems[LISTED].line, message=f"and {more:,} more lines from here on break these bounds")
        problems = [*problems[:LISTED], last]
    return problems
