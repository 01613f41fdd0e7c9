"""Moodle's GIFT question format: a pure parser (:func:`parse`) and writer (:func:`dump`).

Standard library only; text in, frozen dataclasses out: each :class:`Question` is a located
:class:`~studyapp.questions.content.QuestionContent` (its HTML fields left empty: rendering is the
caller's business). The grammar follows Moodle's own importer
(``question/format/gift/format.php``):

* Questions are separated by blank lines (a line of only whitespace is blank). Lines are stripped of
  surrounding whitespace, so options may be indented and written one per line or all on one line.
* A line whose first non-blank characters are ``//`` is a comment. ``[id:...]`` (the first one) and
  ``[tag:...]`` (any number) on comment lines in a question's block, normally directly above it with no
  blank line between, attach to it; ``]`` inside them is written ``\\]``. Other comments are ignored.
* ``$CATEGORY: path`` at the start of a block switches the category of the questions after it.
* ``\\~ \\= \\# \\{ \\} \\: \\\\`` stand for the character itself and ``\\n`` for a newline, in all texts
  (not in ids, tags and category paths, which are kept literally).
* ``::name::`` is an optional title; ``[moodle]``, ``[html]``, ``[plain]`` or ``[markdown]`` before the
  stem sets its text format (default ``moodle``). The same tag at the start of an option, feedback or
  matching sub-question is removed, as Moodle does (those texts carry no format of their own here).
* One ``{...}`` block holds the answers; text after it makes a missing-word question whose stem has
  ``_____`` where the block was. No block at all makes a description.
* Texts are stripped of surrounding spaces, tabs and newlines after escapes are resolved, as Moodle does.

Kinds, in the order Moodle decides them: no block is DESCRIPTION; an empty block (general feedback
aside) is ESSAY; a block starting with ``#`` is NUMERICAL; one containing ``~`` is SINGLE when it also
contains ``=``, MULTIPLE otherwise; one containing ``=`` and ``->`` is MATCHING; ``T``/``TRUE``/``F``/
``FALSE`` (case-sensitive, optionally followed by ``#wrong feedback#right feedback``) is TRUEFALSE;
anything else is SHORTANSWER.

Deliberate differences from Moodle: a weight on ``=`` in a choice question (``=%50%``) is honoured
(Moodle ignores it); a weight that is not a number (``~%abc%x``) is an error rather than option text;
an unclosed ``::name`` is an error; a numerical catch-all ``~`` answer is not supported (error);
question lines after a ``$CATEGORY:`` line in the same block form a question (Moodle would read them
as part of the category path); a number whose exponent lies beyond ±9999 (10,000 digits after the
point, say) is an error, the bound :class:`~studyapp.questions.content.NumericalAnswer` sets. A question
with any error is left out of the result.
Characters U+FDD0..U+FDEF (Unicode non-characters, used internally) are read as U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NoReturn

from studyapp.questions.content import Choice, Kind, MatchPair, NumericalAnswer, QuestionContent

__all__ = [
    "BLANK",
    "DEFAULT_TEXT_FORMAT",
    "TEXT_FORMATS",
    "GiftError",
    "ParseResult",
    "Question",
    "dump",
    "escape",
    "parse",
]

TEXT_FORMATS: tuple[str, ...] = ("moodle", "html", "plain", "markdown")
DEFAULT_TEXT_FORMAT = "moodle"
BLANK = "_____"
"""What a missing-word stem holds where the answer block was."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """One parsed question: where it was written, what GIFT says about it, and its ``content``.

    * ``line``: the caller's line number (see ``parse(start_line=...)``) of the question's first
      non-comment line.
    * ``id`` and ``tags``: from ``[id:...]`` and ``[tag:...]`` comments; ``category``: the last
      ``$CATEGORY:`` before it; ``text_format``: the stem's ``[format]`` tag (default ``moodle``).
    * ``content``: the typed content, with no HTML. Its ``stem`` is unescaped text; missing-word
      questions have ``_____`` where the braces were. ``choices`` are SINGLE, MULTIPLE and SHORTANSWER
      answers in written order; TRUEFALSE always has exactly two, ``True`` then ``False``, the right
      one with fraction 1 and the other 0, each with the feedback a learner who picks it sees.
      ``explanation`` is the ``####`` general feedback, shown after answering (not for DESCRIPTION).
    * ``name``: the ``::name::`` title, which is ``content.name``.
    """

    line: int
    id: str | None = None
    tags: tuple[str, ...] = ()
    category: str = ""
    text_format: str = DEFAULT_TEXT_FORMAT
    content: QuestionContent

    @property
    def name(self) -> str:
        return self.content.name


@dataclass(frozen=True, slots=True, kw_only=True)
class GiftError:
    """A problem in one question block, which is then left out of the result.

    ``line`` is in the caller's numbering (the block's first non-comment line); ``name`` is the
    question's name or the first words of its text; ``message`` is plain English.
    """

    line: int
    name: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseResult:
    """The good questions in file order, and one or more errors per bad block."""

    questions: tuple[Question, ...]
    errors: tuple[GiftError, ...]


# --- lexical helpers ---------------------------------------------------------------------------------

_TRIM = " \t\n\r\0\x0b"  # what PHP's trim() removes
_SPECIALS = "~=#{}:"
_PLACEHOLDER = {char: chr(0xFDD0 + index) for index, char in enumerate(_SPECIALS)}
_UNMASK = str.maketrans({holder: char for char, holder in _PLACEHOLDER.items()})
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
_FORMAT_TAG = re.compile(r"\[(moodle|html|plain|markdown)\]")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")
_CATEGORY = "$CATEGORY:"
_TRUEFALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_ONE = Decimal(1)
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_SUM_SLACK = Decimal("0.01")


def escape(text: str) -> str:
    """Return ``text`` written as GIFT: ``\\ ~ = # { } :`` get a backslash, newlines become ``\\n``.

    ``\\r\\n`` and a lone ``\\r`` also become ``\\n``. Reading the result back gives ``text`` (with
    ``\\r`` turned into newlines).
    """
    out = text.replace("\\", "\\\\")
    for char in _SPECIALS:
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


class _Bad(Exception):
    """A structural problem that ends the parse of one block."""


def _mask(raw: str) -> str:
    """Resolve escapes: escaped specials become placeholders, so any special left is structural."""
    raw = _NONCHARACTERS.sub("\ufffd", raw)
    out: list[str] = []
    index, size = 0, len(raw)
    while index < size:
        char = raw[index]
        if char == "\\" and index + 1 < size:
            following = raw[index + 1]
            if following == "\\":
                out.append("\\")
                index += 2
                continue
            if following in _PLACEHOLDER:
                out.append(_PLACEHOLDER[following])
                index += 2
                continue
            if following == "n":
                out.append("\n")
                index += 2
                continue
        out.append(char)
        index += 1
    return "".join(out)


def _plain(masked: str) -> str:
    """Final text: placeholders back to characters, then stripped."""
    return masked.translate(_UNMASK).strip(_TRIM)


def _with_format(masked: str, default: str) -> tuple[str, str]:
    """Split a leading ``[format]`` tag off a text: (format, text)."""
    stripped = masked.strip(_TRIM)
    match = _FORMAT_TAG.match(stripped)
    if match:
        return match.group(1), _plain(stripped[match.end() :])
    return default, _plain(stripped)


def _text(masked: str, default: str) -> str:
    return _with_format(masked, default)[1]


def _label(masked: str) -> str:
    """The first words of a question, for error messages."""
    head = masked.split("{", 1)[0] or masked
    words = " ".join(head.translate(_UNMASK).split()[:10])
    return words if len(words) <= 60 else words[:57] + "..."


def _number(text: str) -> Decimal:
    """A finite decimal (``12``, ``-0.5``, ``.5``, ``1e3``; exponents up to 3 digits), or _Bad."""
    stripped = text.strip(_TRIM)
    if not _NUMBER.fullmatch(stripped):
        raise _Bad(f"not a number: {text.translate(_UNMASK).strip(_TRIM)!r}")
    return Decimal(stripped)


def _tidy(value: Decimal) -> Decimal:
    """0.50 -> 0.5, 1.00 -> 1 (fractions lie in -1..1, so no exponent notation appears)."""
    return value.normalize() if value else _ZERO


# --- parse -------------------------------------------------------------------------------------------


def parse(text: str, *, start_line: int = 1) -> ParseResult:
    """Read GIFT ``text``; ``start_line`` is the number of its first line in the caller's file.

    Never raises on bad input: each bad block gives one or more :class:`GiftError` (with its line) and is
    left out, and the other questions are still returned, as Moodle does. Errors are: unbalanced braces,
    more than one answer block, an unclosed ``::name``, too few options/answers/pairs, an option with no
    text, a matching pair without ``->`` or answer, a value, tolerance or weight that is not a number, a
    weight outside -100..100, a backwards range, a negative tolerance, a SINGLE question with no option
    worth 100%, a MULTIPLE question whose positive weights do not add up to 100% (±1), and the
    unsupported numerical ``~`` catch-all.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions: list[Question] = []
    errors: list[GiftError] = []
    category = ""
    for block in _blocks(text.split("\n"), start_line):
        comments = [line for _, line in block if line.startswith("//")]
        body = [(number, line) for number, line in block if not line.startswith("//")]
        if body and body[0][1].startswith(_CATEGORY):
            category = body[0][1][len(_CATEGORY) :].strip(_TRIM)
            body = body[1:]
        if not body:
            continue
        question, problems = _read_question(body, comments, category)
        if question is not None:
            questions.append(question)
        errors.extend(problems)
    return ParseResult(questions=tuple(questions), errors=tuple(errors))


def _blocks(lines: Sequence[str], start_line: int) -> Iterator[list[tuple[int, str]]]:
    """Runs of non-blank lines as (line number, stripped line)."""
    block: list[tuple[int, str]] = []
    for offset, line in enumerate(lines):
        stripped = line.strip(_TRIM)
        if stripped:
            block.append((start_line + offset, stripped))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _id_and_tags(comments: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    joined = "\n".join(comments)
    id_match = _ID.search(joined)
    qid = id_match.group(1).replace("\\]", "]").strip(_TRIM) if id_match else ""
    tags = (match.group(1).replace("\\]", "]").strip(_TRIM) for match in _TAG.finditer(joined))
    return qid or None, tuple(tag for tag in tags if tag)


def _read_question(lines: Sequence[tuple[int, str]], comments: Sequence[str], category: str) -> tuple[Question | None, list[GiftError]]:
    """One question from its non-comment lines: the question, or None and its errors."""
    line = lines[0][0]
    masked = _mask("\n".join(text for _, text in lines)).strip(_TRIM)
    name = ""
    if masked.startswith("::"):
        end = masked.find("::", 2)
        if end < 0:
            return None, [GiftError(line=line, name=_label(masked[2:]), message="the question name is not closed with '::'")]
        name = _plain(masked[2:end])
        masked = masked[end + 2 :].strip(_TRIM)
    label = name or _label(masked)
    problems: list[str] = []
    parsed: _Body | None = None
    try:
        parsed = _read_body(masked, problems)
    except _Bad as bad:
        problems.insert(0, str(bad))
    if parsed is None or problems:
        return None, [GiftError(line=line, name=label, message=message) for message in problems]
    qid, tags = _id_and_tags(comments)
    try:
        content = QuestionContent(
            kind=parsed.kind,
            name=name,
            stem=parsed.stem,
            choices=parsed.options,
            numerical=parsed.numerical,
            pairs=parsed.pairs,
            explanation=parsed.general_feedback,
        )
    except ValueError as error:  # a rule of the content's that the checks above do not repeat (its bound on numbers)
        return None, [GiftError(line=line, name=label, message=str(error))]
    question = Question(line=line, id=qid, tags=tags, category=category, text_format=parsed.text_format, content=content)
    return question, []


def _braces(masked: str) -> tuple[int, int] | None:
    """Positions of the answer block's braces, None if there is none, or _Bad."""
    depth, blocks = 0, 0
    for char in masked:
        if char == "{":
            depth += 1
            blocks += 1
        elif char == "}":
            depth -= 1
        if depth not in (0, 1):
            raise _Bad("unbalanced brace")
    if depth:
        raise _Bad("unbalanced brace")
    if blocks > 1:
        raise _Bad("a question can have only one {...} answer block")
    if blocks == 0:
        return None
    return masked.index("{"), masked.index("}")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Body:
    """What follows the name: everything about the question that the block's text decides."""

    kind: Kind
    text_format: str
    stem: str
    options: tuple[Choice, ...] = ()
    numerical: tuple[NumericalAnswer, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    general_feedback: str = ""


def _read_body(masked: str, problems: list[str]) -> _Body:
    """Read everything after the name. Structural problems raise _Bad; validation problems are
    appended to ``problems``."""
    where = _braces(masked)
    if where is None:
        text_format, stem = _with_format(masked, DEFAULT_TEXT_FORMAT)
        return _Body(kind=Kind.DESCRIPTION, text_format=text_format, stem=stem)
    start, end = where
    answer = masked[start + 1 : end].strip(_TRIM)
    after = masked[end + 1 :]
    stem_masked = masked[:start] + BLANK + after if after.strip(_TRIM) else masked[:start]
    fmt, stem = _with_format(stem_masked, DEFAULT_TEXT_FORMAT)
    general = ""
    separator = answer.rfind("####")
    if separator >= 0:
        general = _text(answer[separator + 4 :], fmt)
        answer = answer[:separator].strip(_TRIM)

    if not answer:
        return _Body(kind=Kind.ESSAY, text_format=fmt, stem=stem, general_feedback=general)
    if answer.startswith("#"):
        numbers = _numerical(answer[1:], fmt, problems)
        return _Body(kind=Kind.NUMERICAL, text_format=fmt, stem=stem, general_feedback=general, numerical=numbers)
    if "~" in answer:
        kind = Kind.SINGLE if "=" in answer else Kind.MULTIPLE
        options = _choice(answer, kind, fmt, problems)
        return _Body(kind=kind, text_format=fmt, stem=stem, general_feedback=general, options=options)
    if "=" in answer and "->" in answer:
        pairs = _matching(answer, fmt)
        return _Body(kind=Kind.MATCHING, text_format=fmt, stem=stem, general_feedback=general, pairs=pairs)
    if answer.split("#", 1)[0].strip(_TRIM) in _TRUEFALSE:
        options = _truefalse(answer, fmt)
        return _Body(kind=Kind.TRUEFALSE, text_format=fmt, stem=stem, general_feedback=general, options=options)
    options = _shortanswer(answer, fmt, problems)
    return _Body(kind=Kind.SHORTANSWER, text_format=fmt, stem=stem, general_feedback=general, options=options)


def _pieces(answer: str, markers: str) -> list[tuple[str, str]]:
    """Split at each marker character: (marker, body) pairs; text before the first marker, when not
    blank, is a piece with marker "" (Moodle keeps it as an answer)."""
    parts = re.split(f"([{re.escape(markers)}])", answer)
    pieces = [("", parts[0])] if parts[0].strip(_TRIM) else []
    pieces.extend(zip(parts[1::2], parts[2::2], strict=True))
    return [(marker, body.strip(_TRIM)) for marker, body in pieces]


def _weight(body: str, default: Decimal, problems: list[str]) -> tuple[Decimal, str]:
    """A leading ``%n%`` weight as a fraction, and the rest of the body."""
    if body.startswith("%"):
        close = body.find("%", 1)
        if close > 0:
            percent = _number(body[1:close])
            if not -_HUNDRED <= percent <= _HUNDRED:
                problems.append(f"a weight must be between -100% and 100%: '{body[1:close].strip(_TRIM)}%'")
            return _tidy(percent.scaleb(-2)), body[close + 1 :]
    return default, body


def _answer_and_feedback(body: str, text_format: str) -> tuple[str, str]:
    text, _, feedback = body.partition("#")
    return _text(text, text_format), _text(feedback, text_format)


def _choice(answer: str, kind: Kind, text_format: str, problems: list[str]) -> tuple[Choice, ...]:
    options: list[Choice] = []
    for marker, body in _pieces(answer, "~="):
        fraction, rest = _weight(body, _ONE if marker == "=" else _ZERO, problems)
        text, feedback = _answer_and_feedback(rest, text_format)
        options.append(Choice(text=text, fraction=fraction, feedback=feedback))
    if len(options) < 2:
        problems.append("a choice question needs at least two options")
        return tuple(options)
    if any(not option.text for option in options):
        problems.append("an option has no text")
    if kind is Kind.SINGLE and not any(option.fraction == _ONE for option in options):
        problems.append("a single-answer question needs an option worth 100% (written with '=')")
    if kind is Kind.MULTIPLE:
        total = sum((option.fraction for option in options if option.fraction > 0), _ZERO)
        if abs(total - _ONE) > _SUM_SLACK:
            percent = _format_decimal(total * _HUNDRED)
            problems.append(f"the positive weights of a multiple-answer question add up to {percent}%, not 100%")
    return tuple(options)


def _shortanswer(answer: str, text_format: str, problems: list[str]) -> tuple[Choice, ...]:
    options: list[Choice] = []
    for _, body in _pieces(answer, "="):
        fraction, rest = _weight(body, _ONE, problems)
        text, feedback = _answer_and_feedback(rest, text_format)
        options.append(Choice(text=text, fraction=fraction, feedback=feedback))
    if not options:
        problems.append("a short-answer question needs at least one answer")
    if any(not option.text for option in options):
        problems.append("an answer has no text")
    return tuple(options)


def _truefalse(answer: str, text_format: str) -> tuple[Choice, ...]:
    bits = [*answer.split("#", 2), "", ""]
    right_is_true = _TRUEFALSE[bits[0].strip(_TRIM)]
    wrong, right = _text(bits[1], text_format), _text(bits[2], text_format)
    true = Choice(text="True", fraction=_ONE if right_is_true else _ZERO, feedback=right if right_is_true else wrong)
    false = Choice(text="False", fraction=_ZERO if right_is_true else _ONE, feedback=wrong if right_is_true else right)
    return (true, false)


def _numerical(answer: str, text_format: str, problems: list[str]) -> tuple[NumericalAnswer, ...]:
    if "~" in answer:
        raise _Bad("a numerical '~' answer (feedback for any other number) is not supported")
    answers: list[NumericalAnswer] = []
    for _, body in _pieces(answer, "="):
        fraction, rest = _weight(body, _ONE, problems)
        written, feedback = _answer_and_feedback(rest, text_format)
        if written.find("..") > 0:
            low_text, high_text = written.split("..", 1)
            low, high = _number(low_text), _number(high_text)
            if low > high:
                raise _Bad(f"a range must run from low to high: {written!r}")
            value = (low + high) / 2
            tolerance = high - value
        elif written.find(":") > 0:
            value_text, tolerance_text = written.split(":", 1)
            value, tolerance = _number(value_text), _number(tolerance_text)
            if tolerance < 0:
                raise _Bad(f"a tolerance cannot be negative: {written!r}")
        else:
            value, tolerance = _number(written), _ZERO
        answers.append(NumericalAnswer(value=value, tolerance=tolerance, fraction=fraction, feedback=feedback))
    if not answers:
        problems.append("a numerical question needs at least one answer")
    return tuple(answers)


def _matching(answer: str, text_format: str) -> tuple[MatchPair, ...]:
    pairs: list[MatchPair] = []
    for _, body in _pieces(answer, "="):
        if "->" not in body:
            raise _Bad(f"a matching pair needs '->': {body.translate(_UNMASK)!r}")
        left, right = body.split("->", 1)
        pair = MatchPair(question=_text(left, text_format), answer=_plain(right))
        if not pair.answer:
            raise _Bad(f"a matching pair needs an answer after '->': {body.translate(_UNMASK)!r}")
        pairs.append(pair)
    if len(pairs) < 2:
        raise _Bad("a matching question needs at least two pairs")
    return tuple(pairs)


# --- dump --------------------------------------------------------------------------------------------


def dump(questions: Iterable[Question]) -> str:
    """Write ``questions`` as GIFT, one block each, separated by blank lines.

    ``parse(dump(qs))`` gives questions equal to ``qs`` apart from ``line``, for any questions ``parse``
    returns (more generally: for texts without surrounding whitespace, ``\r`` or U+FDD0..U+FDEF, which
    ``parse`` never produces). Texts are escaped with :func:`escape`; a text starting with a format tag
    or ``%`` is protected with an explicit format tag or weight. Ids and tags go on a
    ``// [id:x] [tag:a] [tag:b]`` line above the question; a ``$CATEGORY:`` line (``$CATEGORY:`` alone for
    the empty category) is written whenever the category differs from the previous question's (the
    first one starting from ""). The content's ``*_html`` renderings are not written: they derive from
    its texts. Raises ValueError for a question that cannot be written faithfully (the content has
    already checked its own invariants: kinds and their parts, true/false choices, numbers):
    an unknown text format; a category, id or tag GIFT cannot carry; a DESCRIPTION with an
    explanation; a case-sensitive SHORTANSWER; ``->`` in a short-answer text or a matching
    sub-question; an empty DESCRIPTION.
    """
    chunks: list[str] = []
    category = ""
    for question in questions:
        _check(question)
        if question.category != category:
            chunks.append(f"{_CATEGORY} {question.category}".rstrip())
            category = question.category
        chunks.append(_write(question))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _check(question: Question) -> None:
    content = question.content

    def fail(message: str) -> NoReturn:
        raise ValueError(f"cannot write question {content.name or content.stem[:40]!r} as GIFT: {message}")

    if question.text_format not in TEXT_FORMATS:
        fail(f"unknown text format {question.text_format!r}")
    if question.category != question.category.strip(_TRIM) or "\n" in question.category or "\r" in question.category:
        fail("a category must be one line without surrounding whitespace")
    for value in ((question.id,) if question.id is not None else ()) + question.tags:
        if (
            not value
            or value != value.strip(_TRIM)
            or value.endswith("\\")
            or "\\]" in value
            or any(ord(char) < 0x20 or char == "\x7f" for char in value)
        ):
            fail(f"id or tag {value!r} cannot be written in a comment")
    for tag in question.tags:
        if "<" in tag or ">" in tag:
            fail(f"a tag cannot contain '<' or '>': {tag!r}")
    kind = content.kind
    if kind is Kind.DESCRIPTION and content.explanation:
        fail("a description question has no general feedback")  # {####...} would make it an essay
    if content.case_sensitive:
        fail("GIFT cannot say that a short answer is case-sensitive")
    if kind is Kind.SHORTANSWER and any("->" in choice.text or "->" in choice.feedback for choice in content.choices):
        fail("a short answer cannot contain '->' (it would read as a matching question)")
    if kind is Kind.MATCHING and any("->" in pair.question for pair in content.pairs):
        fail("a matching sub-question cannot contain '->'")
    if kind is Kind.DESCRIPTION and not content.stem and not content.name:
        fail("an empty description")


def _format_decimal(value: Decimal) -> str:
    """Plain notation without trailing zeros: 50.0 -> "50", 1E+3 -> "1000"."""
    if not value.is_finite():
        raise ValueError(f"cannot write the number {value} in GIFT")
    written = format(value, "f")
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    return written


def _written(text: str, text_format: str) -> str:
    """Escape a text; if it starts with something that reads as a format tag, protect it with one."""
    return (f"[{text_format}]" if _FORMAT_TAG.match(text) else "") + escape(text)


def _feedback(text: str, text_format: str) -> str:
    return "#" + _written(text, text_format) if text else ""


def _weighted(marker: str, fraction: Decimal, default: Decimal, text: str) -> str:
    if fraction != default or text.startswith("%"):
        return f"{marker}%{_format_decimal(fraction * _HUNDRED)}%{text}"
    return marker + text


def _meta(value: str) -> str:
    return value.replace("]", "\\]")


def _write(question: Question) -> str:
    fmt = question.text_format
    lines: list[str] = []
    meta = ([f"[id:{_meta(question.id)}]"] if question.id is not None else []) + [f"[tag:{_meta(tag)}]" for tag in question.tags]
    if meta:
        lines.append("// " + " ".join(meta))
    head = f"::{escape(question.name)}:: " if question.name else ""
    stem = question.content.stem
    needs_tag = fmt != DEFAULT_TEXT_FORMAT or bool(_FORMAT_TAG.match(stem)) or (not head and stem.startswith("//"))
    head += f"[{fmt}]" if needs_tag else ""
    block = _block(question)
    if block is None:
        lines.append(head + escape(stem))
    elif BLANK in stem and stem.split(BLANK, 1)[1].strip(_TRIM):
        before, after = stem.split(BLANK, 1)
        lines.append(head + escape(before) + block + escape(after))
    else:
        lines.append(head + escape(stem) + (" " if stem else "") + block)
    return "\n".join(lines)


def _block(question: Question) -> str | None:
    """The ``{...}`` answer block, or None for a description."""
    content = question.content
    fmt, kind = question.text_format, content.kind
    general = f"####{_written(content.explanation, fmt)}" if content.explanation else ""
    if kind is Kind.DESCRIPTION:
        return None
    if kind is Kind.ESSAY:
        return "{" + general + "}"
    if kind is Kind.TRUEFALSE:
        true, false = content.choices
        right, wrong = (true, false) if true.fraction == _ONE else (false, true)
        answer = "TRUE" if right is true else "FALSE"
        wrong_text, right_text = _written(wrong.feedback, fmt), _written(right.feedback, fmt)
        if right_text:
            answer += f"#{wrong_text}#{right_text}"
        elif wrong_text:
            answer += f"#{wrong_text}"
        return "{" + answer + general + "}"

    rows: list[str] = []
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        markers: list[str] = []
        for option in content.choices:
            if kind is Kind.SINGLE and option.fraction == _ONE:
                markers.append("=")
            else:
                markers.append("~" if option.fraction == _ZERO else f"~%{_format_decimal(option.fraction * _HUNDRED)}%")
        if kind is Kind.SINGLE and "~" not in "".join(markers):
            markers[-1] = "~%100%"
        if kind is Kind.SINGLE and "=" not in markers:
            first = content.choices[0]
            markers[0] = f"=%{_format_decimal(first.fraction * _HUNDRED)}%"
        for marker, option in zip(markers, content.choices, strict=True):
            text = _written(option.text, fmt)
            if text.startswith("%") and not marker.endswith("%"):
                marker += f"%{_format_decimal(option.fraction * _HUNDRED)}%"
            rows.append(marker + text + _feedback(option.feedback, fmt))
    elif kind is Kind.SHORTANSWER:
        for option in content.choices:
            text = _written(option.text, fmt)
            rows.append(_weighted("=", option.fraction, _ONE, text) + _feedback(option.feedback, fmt))
    elif kind is Kind.NUMERICAL:
        for number in content.numerical:
            written = f"{_format_decimal(number.value)}:{_format_decimal(number.tolerance)}"
            rows.append(_weighted("=", number.fraction, _ONE, written) + _feedback(number.feedback, fmt))
    elif kind is Kind.MATCHING:
        for pair in content.pairs:
            left = _written(pair.question, fmt)
            rows.append(f"={left} -> {escape(pair.answer)}" if left else f"=-> {escape(pair.answer)}")
    if general:
        rows.append(general)
    opening = "{#" if kind is Kind.NUMERICAL else "{"
    return opening + "".join(f"\n\t{row}" for row in rows) + "\n}"
