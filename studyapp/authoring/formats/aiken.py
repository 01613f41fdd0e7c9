"""Moodle's Aiken format (single-answer multiple choice only): a pure parser and writer.

Pure: standard library only. It reads into and writes the GIFT module's types
(:class:`~studyapp.questions.formats.gift.Question`, :class:`~studyapp.questions.formats.gift.GiftError`,
:class:`~studyapp.questions.formats.gift.ParseResult`), so callers treat every format alike.

The grammar (Moodle's ``question/format/aiken``)::

    What is the correct answer to this question?
    A. Is it this one?
    B) Maybe this answer?
    C.Possibly this one?
    ANSWER: B

* A question is its stem on one line, then options ``A) text`` or ``A. text`` (the space after the
  marker is optional; letters A to Z), then ``ANSWER: X``. Questions are separated by blank lines;
  a line after an ``ANSWER:`` line starts the next question even without one. Lines are stripped of
  surrounding whitespace; ``\\r\\n``, ``\\r`` and a leading byte-order mark are accepted.
* Every question comes back as a :attr:`~studyapp.questions.content.Kind.SINGLE` question: the named
  option is worth 1, the others 0. It has no name, id, tags, category or feedback (Aiken holds none)
  and the ``moodle`` text format.

Stricter than Moodle, which skips what it does not understand: each of these is a :class:`GiftError`
carrying the line it is on and the question's name (the first words of its stem), and leaves that
question out while the good ones still come back: a second stem line (or any line that is neither an
option nor the ``ANSWER:`` line), an option with no text, a letter used twice, options not in order
A, B, C..., fewer than two options, an ``ANSWER:`` that is not one capital letter or names no option,
a question that ends (blank line or end of file) without its ``ANSWER:`` line, and options or an
``ANSWER:`` line with no stem before them. :func:`parse` never raises.

:func:`dump` writes only what Aiken can hold; :func:`unsupported` says why a question cannot be
written, so an exporter can list what it left out. ``parse(dump(qs))`` gives back the stems, option
texts and fractions of ``qs`` (texts already stripped, as :func:`parse` and the GIFT parser produce
them); everything else (name, id, tags, category, feedback, explanation, text format) is not written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from studyapp.questions.content import ONE, ZERO, Choice, InvalidContent, Kind, QuestionContent
from studyapp.questions.formats.gift import DEFAULT_TEXT_FORMAT, GiftError, ParseResult, Question

__all__ = ["dump", "parse", "unsupported"]

_TRIM = " \t\n\r\0\x0b"  # what the GIFT parser (and PHP's trim) strips
_OPTION = re.compile(r"([A-Z])[.)][ \t]*(.*)", re.DOTALL)
_ANSWER_LIKE = re.compile(r"answer\b", re.IGNORECASE)  # after the options: meant as the ANSWER line
_ANSWER_STEM = re.compile(r"answer\s*:", re.IGNORECASE)  # in a stem's place: an ANSWER line without its question
_ANSWER = re.compile(r"ANSWER:[ \t]*([A-Z])")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _label(stem: str) -> str:
    """The first words of a stem: how an error names a question that has no name."""
    words = " ".join(stem.split()[:10])
    return words if len(words) <= 60 else words[:57] + "..."


@dataclass(slots=True, kw_only=True)
class _Draft:
    """A question being read: its stem line, options so far, and its problems (line, message)."""

    line: int
    stem: str
    options: list[tuple[int, str, str]] = field(default_factory=list)  # (line, letter, text)
    problems: list[tuple[int, str]] = field(default_factory=list)


def parse(text: str, *, start_line: int = 1) -> ParseResult:
    """Read Aiken ``text``; ``start_line`` is the number of its first line in the caller's file.

    Returns the good questions in file order and an error for each problem of the bad ones (see the
    module docstring). Never raises on bad input.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions: list[Question] = []
    errors: list[GiftError] = []
    draft: _Draft | None = None
    orphaned = False  # inside a block that began with an option or ANSWER line: skip to its end

    def give_up(current: _Draft) -> None:
        """The question ended without its ANSWER line."""
        current.problems.append((current.line, "the question has no 'ANSWER: X' line"))
        _finish(current, None, questions, errors)

    for offset, raw in enumerate(text.split("\n")):
        number = start_line + offset
        line = raw.strip(_TRIM)
        if not line:
            if draft is not None:
                give_up(draft)
            draft, orphaned = None, False
            continue
        if orphaned:
            orphaned = not _ANSWER_LIKE.match(line)
            continue
        if draft is None:
            if _reads_as_option_or_answer(line):
                errors.append(GiftError(line=number, name=_label(line), message="an option or ANSWER line with no question stem before it"))
                orphaned = not _ANSWER_LIKE.match(line)
            else:
                draft = _Draft(line=number, stem=line)
            continue
        if _ANSWER_LIKE.match(line):
            _finish(draft, (number, line), questions, errors)
            draft = None
            continue
        option = _OPTION.fullmatch(line)
        if option is None:
            draft.problems.append((number, "a question's stem is one line: this line is neither an option ('A) text') nor 'ANSWER: X'"))
            continue
        _add_option(draft, number, option.group(1), option.group(2).strip(_TRIM))
    if draft is not None:
        give_up(draft)
    return ParseResult(questions=tuple(questions), errors=tuple(errors))


def _reads_as_option_or_answer(line: str) -> bool:
    """Whether a line in a stem's place would be taken for an option or an ANSWER line."""
    return bool(_OPTION.fullmatch(line) or _ANSWER_STEM.match(line))


def _add_option(draft: _Draft, number: int, letter: str, text: str) -> None:
    letters = [known for _, known, _ in draft.options]
    expected = _LETTERS[_LETTERS.index(letters[-1]) + 1 : _LETTERS.index(letters[-1]) + 2] if letters else "A"
    if letter in letters:
        draft.problems.append((number, f"option {letter} appears twice"))
    elif letter != expected:
        after = f"after {letters[-1]}" if letters else "first"
        draft.problems.append((number, f"option {letter} comes {after}: options run A, B, C... in order"))
    if not text:
        draft.problems.append((number, f"option {letter} has no text"))
    draft.options.append((number, letter, text))


def _finish(draft: _Draft, answer: tuple[int, str] | None, questions: list[Question], errors: list[GiftError]) -> None:
    """Close a question: the Question when it is good, else its errors."""
    problems = list(draft.problems)
    letters = [letter for _, letter, _ in draft.options]
    if len(letters) < 2:
        problems.append((draft.line, f"a multiple-choice question needs at least two options, this one has {len(letters)}"))
    right: str | None = None
    if answer is not None:
        number, line = answer
        match = _ANSWER.fullmatch(line)
        if match is None:
            problems.append((number, f"the answer line must be 'ANSWER: ' and one capital letter, got {line!r}"))
        elif letters and match.group(1) not in letters:
            named = f"options {letters[0]} to {letters[-1]}" if letters else "no options"
            problems.append((number, f"ANSWER: {match.group(1)} names no option (the question has {named})"))
        else:
            right = match.group(1)
    name = _label(draft.stem)
    if problems or right is None:
        errors.extend(GiftError(line=line, name=name, message=message) for line, message in sorted(problems, key=lambda p: p[0]))
        return
    choices = tuple(Choice(text=text, fraction=ONE if letter == right else ZERO) for _, letter, text in draft.options)
    try:
        content = QuestionContent(kind=Kind.SINGLE, stem=draft.stem, choices=choices)
    except InvalidContent as error:  # the checks above cover the content's rules; kept so nothing escapes
        errors.append(GiftError(line=draft.line, name=name, message=str(error)))
        return
    questions.append(Question(line=draft.line, text_format=DEFAULT_TEXT_FORMAT, content=content))


# --- dump --------------------------------------------------------------------------------------------

_KIND_NAMES = {
    Kind.MULTIPLE: "multiple-answer",
    Kind.TRUEFALSE: "true/false",
    Kind.SHORTANSWER: "short-answer",
    Kind.NUMERICAL: "numerical",
    Kind.MATCHING: "matching",
    Kind.ESSAY: "essay",
    Kind.DESCRIPTION: "description",
}


def _one_line(text: str) -> bool:
    return "\n" not in text and "\r" not in text


def unsupported(question: Question) -> str | None:
    """Why ``question`` cannot be written in Aiken, or None when :func:`dump` writes it.

    Aiken holds single-answer multiple choice with one stem line, at most 26 one-line options, exactly
    one of them worth 100% and the others 0%.
    """
    content = question.content
    if content.kind is not Kind.SINGLE:
        return f"{_KIND_NAMES[content.kind]} questions cannot be written in Aiken"
    stem = content.stem.strip(_TRIM)
    if not stem:
        return "the question has no stem"
    if not _one_line(stem):
        return "multi-line stem"
    if _reads_as_option_or_answer(stem):
        return "the stem would read as an option or an ANSWER line"
    if any(not _one_line(choice.text.strip(_TRIM)) for choice in content.choices):
        return "multi-line option"
    if any(not choice.text.strip(_TRIM) for choice in content.choices):
        return "an option with no text"
    if len(content.choices) > len(_LETTERS):
        return f"{len(content.choices)} options: Aiken has letters for 26"
    fractions = sorted(choice.fraction for choice in content.choices)
    if fractions[-1] != ONE or fractions[-2:-1] == [ONE] or any(fraction != ZERO for fraction in fractions[:-1]):
        return "Aiken holds exactly one right option (100%) and the others at 0%: partial or negative credit cannot be written"
    return None


def dump(questions: Iterable[Question]) -> str:
    """Write the questions Aiken can hold, separated by blank lines; skip the others.

    Skipped are those :func:`unsupported` gives a reason for (call it to report them). Options are
    written ``A. text``; names, ids, tags, categories, feedback and explanations are not written.
    """
    blocks: list[str] = []
    for question in questions:
        if unsupported(question) is not None:
            continue
        content = question.content
        lines = [content.stem.strip(_TRIM)]
        right = ""
        for letter, choice in zip(_LETTERS, content.choices, strict=False):
            lines.append(f"{letter}. {choice.text.strip(_TRIM)}")
            if choice.fraction == ONE:
                right = letter
        lines.append(f"ANSWER: {right}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""
