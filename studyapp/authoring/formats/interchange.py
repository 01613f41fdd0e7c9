"""The ``import_questions --json`` shape of a parse result, and the one rule for skipped kinds.

Pure: standard library only. Every format's ``parse`` returns a
:class:`~studyapp.questions.formats.gift.ParseResult`; :func:`to_json` turns one into exactly the
shape issue 16 fixes (other tools read it)::

    {"questions": [{"type": "multichoice|truefalse|shortanswer|numerical|matching", "single": bool,
                    "name": str, "text": str,
                    "options": [{"text": str, "fraction": number, "feedback": str, "tolerance": number|null}],
                    "general_feedback": str, "tags": [str], "idnumber": str|null, "category": str,
                    "line": int}],
     "errors": [{"line": int, "message": str}]}

* ``type`` is Moodle's question type; ``single`` is false only for a multiple-answer multichoice
  question (one answer is expected for every other type).
* ``fraction`` is a JSON number from -1 to 1: an int when whole (``1``, ``0``, ``-1``), else a float.
* ``options`` by type: multichoice and shortanswer list their options / accepted answers in written
  order; truefalse has exactly two, ``"True"`` then ``"False"``, the right one worth 1; numerical has
  one per accepted number, ``text`` the number in plain notation and ``tolerance`` its ± tolerance
  (a number; ``null`` for every other type); matching has one per pair, ``text`` ``"question ->
  answer"`` and fraction 1 (an extra wrong answer, a pair without a question, is ``"-> answer"``
  with fraction 0).
* ``text`` is the stem as written (a missing-word question keeps ``_____``); ``name`` is ``""`` for a
  question that has none; ``idnumber`` is ``null`` when there is none.
* ``errors`` are the parser's errors and the skipped questions (:func:`skip_unsupported`), sorted by
  line; each message starts with the question's name when it has one: ``"Q1: not a number: 'abc'"``.

:func:`skip_unsupported` is the rule an importer applies too: studyapp's formats may return essays and
descriptions (GIFT's ``{}`` and text without a ``{...}`` block) as questions, but they are not
imported; each becomes an error ``"essay questions are not supported; skipped"`` at its line.
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from typing import Final, TypedDict

from studyapp.questions.content import Kind
from studyapp.questions.formats.gift import GiftError, ParseResult, Question

__all__ = ["SKIPPED_KINDS", "ErrorJson", "OptionJson", "QuestionJson", "ResultJson", "skip_unsupported", "to_json"]

SKIPPED_KINDS: Final = frozenset({Kind.ESSAY, Kind.DESCRIPTION})
"""Kinds a parser may return that are reported and skipped, never imported."""

_SKIP_MESSAGES: Final = {
    Kind.ESSAY: "essay questions are not supported; skipped",
    Kind.DESCRIPTION: "description questions (text with no answers) are not supported; skipped",
}

_TYPES: Final = {
    Kind.SINGLE: "multichoice",
    Kind.MULTIPLE: "multichoice",
    Kind.TRUEFALSE: "truefalse",
    Kind.SHORTANSWER: "shortanswer",
    Kind.NUMERICAL: "numerical",
    Kind.MATCHING: "matching",
}


class OptionJson(TypedDict):
    text: str
    fraction: int | float
    feedback: str
    tolerance: int | float | None


class QuestionJson(TypedDict):
    type: str
    single: bool
    name: str
    text: str
    options: list[OptionJson]
    general_feedback: str
    tags: list[str]
    idnumber: str | None
    category: str
    line: int


class ErrorJson(TypedDict):
    line: int
    message: str


class ResultJson(TypedDict):
    questions: list[QuestionJson]
    errors: list[ErrorJson]


def skip_unsupported(result: ParseResult) -> ParseResult:
    """``result`` with its essays and descriptions moved to ``errors`` (sorted by line) as "skipped"."""
    kept = tuple(question for question in result.questions if question.content.kind not in SKIPPED_KINDS)
    skipped = [
        GiftError(line=question.line, name=_name(question), message=_SKIP_MESSAGES[question.content.kind])
        for question in result.questions
        if question.content.kind in SKIPPED_KINDS
    ]
    if not skipped:
        return result
    errors = tuple(sorted((*result.errors, *skipped), key=lambda error: error.line))
    return ParseResult(questions=kept, errors=errors)


def _name(question: Question) -> str:
    if question.name:
        return question.name
    words = " ".join(question.content.stem.split()[:10])
    return words if len(words) <= 60 else words[:57] + "..."


def to_json(result: ParseResult) -> ResultJson:
    """The ``--json`` document for ``result`` (see the module docstring); ``json.dumps`` writes it."""
    result = skip_unsupported(result)
    errors = sorted(result.errors, key=lambda error: error.line)
    return {
        "questions": [_question(question) for question in result.questions],
        "errors": [{"line": error.line, "message": f"{error.name}: {error.message}" if error.name else error.message} for error in errors],
    }


def _number(value: Decimal) -> int | float:
    """A JSON number: an int when whole (exact, up to 4,000 digits: what ``json.dumps`` writes), else
    the nearest float (a tolerance beyond a float's range becomes the largest float, not infinity,
    which JSON cannot hold)."""
    if value == value.to_integral_value() and value.adjusted() < 4000:
        return int(value)
    number = float(value)
    return math.copysign(sys.float_info.max, number) if math.isinf(number) else number


def _plain(value: Decimal) -> str:
    """``1E+3`` -> ``"1000"``, ``0.50`` -> ``"0.5"``; very large or small numbers stay in exponent form."""
    normal = value.normalize() if value else Decimal(0)
    if -30 <= normal.adjusted() <= 30:
        written = format(normal, "f")
        return written.rstrip("0").rstrip(".") if "." in written else written
    return str(normal)


def _question(question: Question) -> QuestionJson:
    content = question.content
    options: list[OptionJson]
    if content.kind is Kind.NUMERICAL:
        options = [
            {
                "text": _plain(answer.value),
                "fraction": _number(answer.fraction),
                "feedback": answer.feedback,
                "tolerance": _number(answer.tolerance),
            }
            for answer in content.numerical
        ]
    elif content.kind is Kind.MATCHING:
        options = [
            {
                "text": f"{pair.question} -> {pair.answer}" if pair.question else f"-> {pair.answer}",
                "fraction": 1 if pair.question else 0,
                "feedback": "",
                "tolerance": None,
            }
            for pair in content.pairs
        ]
    else:
        options = [
            {"text": choice.text, "fraction": _number(choice.fraction), "feedback": choice.feedback, "tolerance": None}
            for choice in content.choices
        ]
    return {
        "type": _TYPES[content.kind],
        "single": content.kind is not Kind.MULTIPLE,
        "name": content.name,
        "text": content.stem,
        "options": options,
        "general_feedback": content.explanation,
        "tags": list(question.tags),
        "idnumber": question.id,
        "category": question.category,
        "line": question.line,
    }
