"""Moodle XML question files: a pure, defused parser (:func:`parse`) and writer (:func:`dump`).

Pure: the standard library and defusedxml only. It reads into and writes the GIFT module's types
(:class:`~studyapp.questions.formats.gift.Question`, :class:`~studyapp.questions.formats.gift.GiftError`,
:class:`~studyapp.questions.formats.gift.ParseResult`), so callers treat every format alike.

Reading (``<quiz><question type="...">...</question>...</quiz>``, as Moodle's ``qformat_xml`` writes it):

* ``type="category"`` questions switch the category (``<category><text>$course$/top/...</text>``) of
  the questions after them, kept as written; a file without one leaves the category ``""``.
* ``multichoice`` (``<single>`` true: SINGLE, false: MULTIPLE), ``truefalse`` (answers ``true`` and
  ``false``, read as the choices ``True`` then ``False``), ``shortanswer`` (``<usecase>1`` makes it
  case-sensitive), ``numerical`` (each ``<answer>`` a number with an optional ``<tolerance>``) and
  ``matching`` (``<subquestion>`` text and ``<answer>``; an empty sub-question is an extra wrong
  answer) become questions.
* Each question's ``<name>``, ``<questiontext>`` (its ``format`` attribute, ``html`` when absent, is
  kept in ``Question.text_format`` under GIFT's names: ``html``, ``moodle_auto_format`` -> ``moodle``,
  ``plain_text`` -> ``plain``, ``markdown``), ``<generalfeedback>`` (the explanation), ``<idnumber>``,
  ``<tags>``, and each answer's ``fraction`` (a percentage, -100 to 100), ``<text>`` and
  ``<feedback>`` are read. Texts are taken as written (HTML stays HTML: rendering is the caller's
  business), stripped of surrounding whitespace. ``<defaultgrade>`` and ``<shuffleanswers>`` are
  checked (a number of 0 or more; true/false/1/0) but not kept: studyapp gives every question one mark
  and shuffles per quiz. Embedded ``<file>`` images, numerical units and the combined feedbacks are
  not read.
* Every problem is a :class:`GiftError` with the line of the element at fault (the question's
  ``<question`` tag, or the ``<answer>`` in question) and the question's name (or the first words of
  its text); that question is left out and the others come back. Stricter than Moodle: a fraction
  that is not a number or lies outside -100..100, a single-answer question with no 100% option, a
  multiple-answer one whose positive fractions do not add up to 100% (±1), fewer than two options,
  an option or answer with no text, a number or tolerance that is not a number, a negative tolerance,
  the numerical ``*`` catch-all, true/false answers other than one ``true`` and one ``false`` worth
  100% and 0%, a matching question with fewer than two sub-questions, a ``<text>`` holding XML
  elements (HTML must be escaped or in CDATA), an unknown text format.
* Types studyapp cannot hold (essay, description, cloze/multianswer, calculated..., random and any
  other) are errors such as ``"essay questions are not supported; skipped"`` at their line, never
  mangled into another type.
* A file that is not well-formed XML, whose root is not ``<quiz>``, or that declares a DTD (and so
  could define entities: the billion laughs, external entities) gives one error for the whole file at
  the line where expat stopped, with ``name`` ``""`` and no questions. Nothing is ever expanded or
  fetched: defusedxml's parser refuses every ``<!DOCTYPE``. Only these errors have an empty
  ``name`` (:func:`unreadable` tells them apart); the others name their question, or ``"untitled
  essay question"`` and the like when it has neither name nor text, ``category`` or ``<tag>``.

:func:`parse` never raises. :func:`dump` writes what Moodle itself imports (texts escaped; a category
question whenever the category changes) and skips what :func:`unsupported` names. For every question
:func:`parse` returns, ``parse(dump(qs))`` gives back the same questions apart from ``line`` (and the
name of a question that had none: Moodle needs one, so the first words of its text are written).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from studyapp.questions.content import ONE, ZERO, Choice, Kind, MatchPair, NumericalAnswer, QuestionContent
from studyapp.questions.formats.gift import TEXT_FORMATS, GiftError, ParseResult, Question

__all__ = ["FORMATS", "dump", "parse", "unreadable", "unsupported"]

FORMATS: Final = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
"""Moodle XML's text formats, and GIFT's names for them (``Question.text_format``)."""
_WRITTEN_FORMATS: Final = {gift_name: xml_name for xml_name, gift_name in FORMATS.items()}
assert set(_WRITTEN_FORMATS) == set(TEXT_FORMATS)

_TRIM = " \t\n\r\0\x0b"
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_HUNDRED = Decimal(100)
_SUM_SLACK = Decimal("0.01")
_BOOLEANS: Final = {"true": True, "1": True, "false": False, "0": False}
_UNSUPPORTED: Final = {
    "essay": "essay",
    "description": "description",
    "multianswer": "cloze (multianswer)",
    "calculated": "calculated",
    "calculatedsimple": "calculated (simple)",
    "calculatedmulti": "calculated multichoice",
    "random": "random",
    "randomsamatch": "random short-answer matching",
    "ddwtos": "drag and drop into text",
    "ddimageortext": "drag and drop onto image",
    "ddmarker": "drag and drop markers",
    "gapselect": "select missing words",
    "ordering": "ordering",
}


# --- a tree with line numbers ------------------------------------------------------------------------


class _Node:
    """An element: its tag, attributes, the line of its start tag, children and direct text.

    A plain slotted class rather than a dataclass: a file makes one per element, and this is faster.
    """

    __slots__ = ("attrib", "children", "chunks", "line", "tag")

    def __init__(self, tag: str, attrib: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.line = line
        self.children: list[_Node] = []
        self.chunks: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def first(self, tag: str) -> _Node | None:
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def all(self, tag: str) -> list[_Node]:
        return [child for child in self.children if child.tag == tag]


class _Builder:
    """An ElementTree parser target that records each element's line (ElementTree's own records none).

    It reads the line from expat while the start tag is being handled, which is where expat is.
    """

    def __init__(self) -> None:
        self.expat: Any = None  # set as soon as the parser holding the builder exists
        self.stack: list[_Node] = []
        self.root: _Node | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        node = _Node(tag, attrib, self.expat.CurrentLineNumber)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].chunks.append(text)

    def close(self) -> _Node | None:
        return self.root


class _FileError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = max(1, line)
        self.message = message


def _tree(text: str | bytes) -> _Node:
    """The document's root element, or _FileError (not XML, a DTD, an encoding expat lacks)."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser  # the expat parser that calls the builder, which knows the line
    if isinstance(text, str):
        text = text.removeprefix("\ufeff")
    try:
        parser.feed(text)
        root = parser.close()
    except ParseError as error:
        line = error.position[0] if error.position else 1
        raise _FileError(line, f"not well-formed XML: {_expat_message(error)}") from None
    except DefusedXmlException:  # DTDForbidden (forbid_dtd stops every DTD before its entities)
        line = getattr(parser.parser, "CurrentLineNumber", 1)
        raise _FileError(line, "the file declares a DTD (<!DOCTYPE ...>), which is refused: entities are never expanded") from None
    except (LookupError, UnicodeError, ValueError) as error:  # an unknown encoding; a str expat cannot encode
        line = getattr(parser.parser, "CurrentLineNumber", 1)
        raise _FileError(line, f"the file cannot be read as XML: {error}") from None
    if not isinstance(root, _Node):
        raise _FileError(1, "the file holds no XML element")
    if root.tag != "quiz":
        raise _FileError(root.line, f"the root element is <{root.tag}>, not <quiz>: this is not a Moodle XML question file")
    return root


def _expat_message(error: ParseError) -> str:
    """expat's message without the ": line 3, column 8" ElementTree appends (the line is reported apart)."""
    return re.sub(r": line \d+, column \d+$", "", str(error))


# --- parse -------------------------------------------------------------------------------------------


class _Bad(Exception):
    """One problem of one question, at ``line``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse(text: str | bytes) -> ParseResult:
    """Read a Moodle XML question file (``bytes`` as read from disk, or ``str``); never raises.

    See the module docstring for what is read and what is an error.
    """
    try:
        root = _tree(text)
    except _FileError as error:
        return ParseResult(questions=(), errors=(GiftError(line=error.line, name="", message=error.message),))
    questions: list[Question] = []
    errors: list[GiftError] = []
    category = ""
    for node in root.children:
        if node.tag != "question":
            errors.append(
                GiftError(
                    line=node.line, name=f"<{node.tag}>", message=f"unexpected <{node.tag}> in <quiz>: only <question> elements are read"
                )
            )
            continue
        kind = node.attrib.get("type", "").strip(_TRIM)
        if kind == "category":
            try:
                category = _category(node)
            except _Bad as bad:
                errors.append(GiftError(line=bad.line, name="category", message=bad.message))
            continue
        label = _label(node, kind)
        if kind not in _READERS:
            what = _UNSUPPORTED.get(kind, repr(kind) if kind else "untyped")
            errors.append(GiftError(line=node.line, name=label, message=f"{what} questions are not supported; skipped"))
            continue
        problems: list[_Bad] = []
        question = _question(node, kind, category, problems)
        if problems or question is None:
            errors.extend(GiftError(line=bad.line, name=label, message=bad.message) for bad in problems)
        else:
            questions.append(question)
    return ParseResult(questions=tuple(questions), errors=tuple(errors))


def unreadable(result: ParseResult) -> bool:
    """Whether ``result`` is that of a file that could not be read at all (not XML, a DTD, not a
    ``<quiz>``): its one error is the file's, which is the only kind of error with an empty ``name``.
    An importer reports such a file as unusable rather than as a file of refused questions."""
    return not result.questions and len(result.errors) == 1 and result.errors[0].name == ""


def _text(node: _Node | None, *, where: str) -> str:
    """The stripped ``<text>`` of an element such as ``<questiontext>`` ("" when absent)."""
    if node is None:
        return ""
    text = node.first("text")
    if text is None:
        return ""
    if text.children:
        raise _Bad(text.line, f"the <text> of <{where}> holds XML elements: write HTML escaped or inside <![CDATA[...]]>")
    return text.text.strip(_TRIM)


def _plain_label(text: str) -> str:
    words = " ".join(re.sub(r"<[^>]*>", " ", text).split()[:10])
    return words if len(words) <= 60 else words[:57] + "..."


def _label(node: _Node, kind: str) -> str:
    """The question's name, or the first words of its text, or "untitled <type> question": how errors
    name it (never "", which marks an error of the whole file)."""
    for tag in ("name", "questiontext"):
        try:
            label = _plain_label(_text(node.first(tag), where=tag))
        except _Bad:
            continue
        if label:
            return label
    return f"untitled {kind or 'untyped'} question"


def _category(node: _Node) -> str:
    element = node.first("category")
    if element is None:
        raise _Bad(node.line, "a category question has no <category>")
    if element.first("text") is None:  # old files write the path directly inside <category>
        return element.text.strip(_TRIM)
    return _text(element, where="category")


def _number(written: str, line: int, what: str) -> Decimal:
    stripped = written.strip(_TRIM)
    if not _NUMBER.fullmatch(stripped):
        raise _Bad(line, f"{what} is not a number: {stripped!r}")
    return Decimal(stripped)


def _fraction(answer: _Node) -> Decimal:
    written = answer.attrib.get("fraction", "0")
    percent = _number(written, answer.line, "the fraction")
    if not -_HUNDRED <= percent <= _HUNDRED:
        raise _Bad(answer.line, f"a fraction must be between -100 and 100 (a percentage), got {written.strip(_TRIM)!r}")
    fraction = percent.scaleb(-2)
    return fraction.normalize() if fraction else ZERO


def _boolean(node: _Node, tag: str, default: bool) -> bool:
    element = node.first(tag)
    if element is None:
        return default
    written = element.text.strip(_TRIM).lower()
    if written not in _BOOLEANS:
        raise _Bad(element.line, f"<{tag}> must be true, false, 1 or 0, got {element.text.strip(_TRIM)!r}")
    return _BOOLEANS[written]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Answer:
    line: int
    text: str
    fraction: Decimal
    feedback: str
    node: _Node


def _answers(node: _Node, problems: list[_Bad]) -> list[_Answer]:
    answers: list[_Answer] = []
    for element in node.all("answer"):
        try:
            text = _text(element, where="answer")
            fraction = _fraction(element)
            feedback = _text(element.first("feedback"), where="feedback")
        except _Bad as bad:
            problems.append(bad)
            continue
        answers.append(_Answer(line=element.line, text=text, fraction=fraction, feedback=feedback, node=element))
    return answers


def _question(node: _Node, kind: str, category: str, problems: list[_Bad]) -> Question | None:
    """One supported question, or None with ``problems`` filled."""
    try:
        name = _text(node.first("name"), where="name")
        questiontext = node.first("questiontext")
        if questiontext is None:
            raise _Bad(node.line, "the question has no <questiontext>")
        written_format = questiontext.attrib.get("format", "html")
        if written_format not in FORMATS:
            raise _Bad(questiontext.line, f"unknown text format {written_format!r} (known: {', '.join(FORMATS)})")
        stem = _text(questiontext, where="questiontext")
        explanation = _text(node.first("generalfeedback"), where="generalfeedback")
        idnumber = node.first("idnumber")
        qid = idnumber.text.strip(_TRIM) if idnumber is not None else ""
        tags_node = node.first("tags")
        tags = (
            tuple(tag for tag in (_text(element, where="tag") for element in tags_node.all("tag")) if tag) if tags_node is not None else ()
        )
        grade = node.first("defaultgrade")
        if grade is not None and _number(grade.text, grade.line, "the default grade") < 0:
            raise _Bad(grade.line, "the default grade cannot be negative")
        _boolean(node, "shuffleanswers", True)
        parts = _READERS[kind](node, problems)
    except _Bad as bad:
        problems.append(bad)
        return None
    if parts is None or problems:
        return None
    try:
        content = QuestionContent(
            kind=parts.kind,
            stem=stem,
            name=name,
            choices=parts.choices,
            numerical=parts.numerical,
            pairs=parts.pairs,
            case_sensitive=parts.case_sensitive,
            explanation=explanation,
        )
    except ValueError as error:  # a rule of the content's the readers do not repeat (its bound on numbers)
        problems.append(_Bad(node.line, str(error)))
        return None
    return Question(line=node.line, id=qid or None, tags=tags, category=category, text_format=FORMATS[written_format], content=content)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Parts:
    """What a type's reader found: the content's kind and its answers."""

    kind: Kind
    choices: tuple[Choice, ...] = ()
    numerical: tuple[NumericalAnswer, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    case_sensitive: bool = False


def _multichoice(node: _Node, problems: list[_Bad]) -> _Parts | None:
    kind = Kind.SINGLE if _boolean(node, "single", True) else Kind.MULTIPLE
    answers = _answers(node, problems)
    if problems:
        return None
    if len(answers) < 2:
        raise _Bad(node.line, f"a multiple-choice question needs at least two options, this one has {len(answers)}")
    for number, answer in enumerate(answers, 1):
        if not answer.text:
            problems.append(_Bad(answer.line, f"option {number} has no text"))
    if kind is Kind.SINGLE and not any(answer.fraction == ONE for answer in answers):
        problems.append(_Bad(node.line, "a single-answer question needs an option worth 100%"))
    if kind is Kind.MULTIPLE:
        total = sum((answer.fraction for answer in answers if answer.fraction > 0), ZERO)
        if abs(total - ONE) > _SUM_SLACK:
            problems.append(
                _Bad(node.line, f"the positive fractions of a multiple-answer question add up to {_plain(total * _HUNDRED)}%, not 100%")
            )
    choices = tuple(Choice(text=answer.text, fraction=answer.fraction, feedback=answer.feedback) for answer in answers)
    return _Parts(kind=kind, choices=choices)


def _truefalse(node: _Node, problems: list[_Bad]) -> _Parts | None:
    answers = _answers(node, problems)
    if problems:
        return None
    by_text = {answer.text.lower(): answer for answer in answers}
    if len(answers) != 2 or set(by_text) != {"true", "false"} or sorted(a.fraction for a in answers) != [ZERO, ONE]:
        raise _Bad(node.line, "a true/false question needs two answers, 'true' and 'false', one worth 100% and the other 0%")
    true, false = by_text["true"], by_text["false"]
    choices = (
        Choice(text="True", fraction=true.fraction, feedback=true.feedback),
        Choice(text="False", fraction=false.fraction, feedback=false.feedback),
    )
    return _Parts(kind=Kind.TRUEFALSE, choices=choices)


def _shortanswer(node: _Node, problems: list[_Bad]) -> _Parts | None:
    case_sensitive = _boolean(node, "usecase", False)
    answers = _answers(node, problems)
    if problems:
        return None
    if not answers:
        raise _Bad(node.line, "a short-answer question needs at least one answer")
    for number, answer in enumerate(answers, 1):
        if not answer.text:
            problems.append(_Bad(answer.line, f"answer {number} has no text"))
    choices = tuple(Choice(text=answer.text, fraction=answer.fraction, feedback=answer.feedback) for answer in answers)
    return _Parts(kind=Kind.SHORTANSWER, choices=choices, case_sensitive=case_sensitive)


def _numerical(node: _Node, problems: list[_Bad]) -> _Parts | None:
    answers = _answers(node, problems)
    if problems:
        return None
    if not answers:
        raise _Bad(node.line, "a numerical question needs at least one answer")
    numbers: list[NumericalAnswer] = []
    for answer in answers:
        if answer.text == "*":
            raise _Bad(answer.line, "a numerical '*' answer (feedback for any other number) is not supported")
        tolerance_node = answer.node.first("tolerance")
        tolerance = ZERO
        if tolerance_node is not None and tolerance_node.text.strip(_TRIM):
            tolerance = _number(tolerance_node.text, tolerance_node.line, "the tolerance")
            if tolerance < 0:
                raise _Bad(tolerance_node.line, f"a tolerance cannot be negative, got {tolerance_node.text.strip(_TRIM)!r}")
        value = _number(answer.text, answer.line, "the answer")
        numbers.append(NumericalAnswer(value=value, tolerance=tolerance, fraction=answer.fraction, feedback=answer.feedback))
    return _Parts(kind=Kind.NUMERICAL, numerical=tuple(numbers))


def _matching(node: _Node, problems: list[_Bad]) -> _Parts | None:
    pairs: list[MatchPair] = []
    for element in node.all("subquestion"):
        try:
            question = _text(element, where="subquestion")
            answer = _text(element.first("answer"), where="answer")
        except _Bad as bad:
            problems.append(bad)
            continue
        if not answer:
            problems.append(_Bad(element.line, "a matching sub-question needs an answer"))
            continue
        pairs.append(MatchPair(question=question, answer=answer))
    if problems:
        return None
    if sum(1 for pair in pairs if pair.question) < 2:
        raise _Bad(node.line, "a matching question needs at least two sub-questions")
    return _Parts(kind=Kind.MATCHING, pairs=tuple(pairs))


_READERS: Final = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
}


# --- dump --------------------------------------------------------------------------------------------

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TYPE_NAMES: Final = {
    Kind.SINGLE: "multichoice",
    Kind.MULTIPLE: "multichoice",
    Kind.TRUEFALSE: "truefalse",
    Kind.SHORTANSWER: "shortanswer",
    Kind.NUMERICAL: "numerical",
    Kind.MATCHING: "matching",
}


def _texts(question: Question) -> Iterator[str]:
    content = question.content
    yield from (content.name, content.stem, content.explanation, question.category, question.id or "", *question.tags)
    for choice in content.choices:
        yield from (choice.text, choice.feedback)
    for answer in content.numerical:
        yield answer.feedback
    for pair in content.pairs:
        yield from (pair.question, pair.answer)


def unsupported(question: Question) -> str | None:
    """Why ``question`` cannot be written as Moodle XML that reads back the same, or None.

    Essays and descriptions are not written (studyapp does not import them); nor are texts with
    characters XML 1.0 cannot carry (control characters other than tab and newline), or a text
    format other than GIFT's four.
    """
    content = question.content
    if content.kind not in _TYPE_NAMES:
        return f"{content.kind} questions are not supported"
    if question.text_format not in _WRITTEN_FORMATS:
        return f"unknown text format {question.text_format!r}"
    if any(_XML_FORBIDDEN.search(text) for text in _texts(question)):
        return "a text holds a control character XML cannot carry"
    return None


def dump(questions: Iterable[Question]) -> str:
    """Write ``questions`` as a Moodle XML file; skip those :func:`unsupported` names (call it to report them)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = ""
    for question in questions:
        if unsupported(question) is not None:
            continue
        if question.category != category:
            category = question.category
            lines += [
                '  <question type="category">',
                "    <category>",
                f"      <text>{_escape(category)}</text>",
                "    </category>",
                "  </question>",
            ]
        lines += _write(question)
    lines.append("</quiz>")
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    """Character data that reads back as ``text``: ``& < >`` escaped, ``\\r`` kept as a reference."""
    return escape(text).replace("\r", "&#13;")


def _plain(value: Decimal) -> str:
    """Plain notation without trailing zeros: 50.0 -> "50", 1E+3 -> "1000"."""
    written = format(value, "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


def _text_block(tag: str, text: str, xml_format: str, indent: str = "    ") -> list[str]:
    return [f"{indent}<{tag} format={quoteattr(xml_format)}>", f"{indent}  <text>{_escape(text)}</text>", f"{indent}</{tag}>"]


def _write(question: Question) -> list[str]:
    content = question.content
    fmt = _WRITTEN_FORMATS[question.text_format]
    name = content.name or _plain_label(content.stem) or "Question"
    out = [f'  <question type="{_TYPE_NAMES[content.kind]}">', "    <name>", f"      <text>{_escape(name)}</text>", "    </name>"]
    out += _text_block("questiontext", content.stem, fmt)
    out += _text_block("generalfeedback", content.explanation, fmt)
    out += ["    <defaultgrade>1</defaultgrade>", "    <penalty>0.3333333</penalty>", "    <hidden>0</hidden>"]
    out.append(f"    <idnumber>{_escape(question.id or '')}</idnumber>")
    kind = content.kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        out += [f"    <single>{'true' if kind is Kind.SINGLE else 'false'}</single>", "    <shuffleanswers>true</shuffleanswers>"]
        out.append("    <answernumbering>abc</answernumbering>")
    if kind is Kind.SHORTANSWER:
        out.append(f"    <usecase>{1 if content.case_sensitive else 0}</usecase>")
    if kind is Kind.MATCHING:
        out.append("    <shuffleanswers>true</shuffleanswers>")
    choices = content.choices
    if kind is Kind.TRUEFALSE:
        choices = tuple(Choice(text=choice.text.lower(), fraction=choice.fraction, feedback=choice.feedback) for choice in choices)
    for choice in choices:
        out.append(f'    <answer fraction="{_plain(choice.fraction * _HUNDRED)}" format="{fmt}">')
        out.append(f"      <text>{_escape(choice.text)}</text>")
        out += _text_block("feedback", choice.feedback, fmt, "      ")
        out.append("    </answer>")
    for answer in content.numerical:
        out.append(f'    <answer fraction="{_plain(answer.fraction * _HUNDRED)}" format="{fmt}">')
        out.append(f"      <text>{_plain(answer.value)}</text>")
        out.append(f"      <tolerance>{_plain(answer.tolerance)}</tolerance>")
        out += _text_block("feedback", answer.feedback, fmt, "      ")
        out.append("    </answer>")
    for pair in content.pairs:
        out.append(f"    <subquestion format={quoteattr(fmt)}>")
        out.append(f"      <text>{_escape(pair.question)}</text>")
        out.append(f"      <answer>\n        <text>{_escape(pair.answer)}</text>\n      </answer>")
        out.append("    </subquestion>")
    if question.tags:
        out.append("    <tags>")
        out += [f"      <tag><text>{_escape(tag)}</text></tag>" for tag in question.tags]
        out.append("    </tags>")
    out.append("  </question>")
    return out
