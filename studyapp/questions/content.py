"""A question's content as a typed value, and the one :func:`grade` for every kind of question.

Pure: standard library only, no Django. A :class:`QuestionContent` is what one version of a question
says: its kind, stem, choices (or numerical answers, or matching pairs) and explanation, each text
with its rendered HTML beside it. Formats (GIFT today, Aiken and Moodle XML later) read into it, the
content loader fills its HTML, the database stores :meth:`QuestionContent.to_json`, and readers get it
back with :meth:`QuestionContent.from_json`. Templates get choices in one shape, :class:`ShownChoice`,
from :meth:`QuestionContent.shown`.

What is graded how (:func:`grade`; marks are ``Decimal`` fractions of the question's marks, 0 to 1):

* **single answer and true/false**: the selected choice's fraction, clamped to [0, 1]; nothing
  selected scores 0 (unanswered counts as wrong, as in the exam).
* **multiple response** depends on the :class:`Policy`: ``ALL_OR_NOTHING`` (the exam's way) gives
  full marks only for exactly the set of choices with a positive fraction; ``PARTIAL`` is Moodle's
  multiple-answer rule, the sum of the selected choices' fractions clamped to [0, 1].
* **short answer** (Moodle's rules): the first accepted answer, in the written order, that the
  response matches gives its fraction, clamped; ``*`` in an answer matches any run of characters
  (``\\*`` is a literal asterisk); case is ignored unless the content is ``case_sensitive``; both
  texts are NFC-normalised and their whitespace trimmed and collapsed to single spaces.
* **numerical** (Moodle's rules): the first answer, in the written order, whose
  ``value ± tolerance`` holds the number (bounds included, compared exactly) gives its fraction.
* **matching**: each sub-question (a pair with a question text) is right when the chosen answer is
  its own; ``PARTIAL`` (Moodle's rule) gives the share of sub-questions right, ``ALL_OR_NOTHING``
  gives 1 only when all are.
* **essay and description** are not graded automatically.

A fraction within 0.000001 of 0 or 1 is snapped to it, as Moodle's question engine does when it
decides right/partial/wrong: GIFT weights such as ``%33.33333%`` sum to 0.9999999 and must count as right.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, Inexact, InvalidOperation, Overflow
from enum import StrEnum
from typing import Final

__all__ = [
    "CHOICE_KINDS",
    "ONE",
    "ZERO",
    "Choice",
    "Grade",
    "InvalidContent",
    "InvalidResponse",
    "Kind",
    "MatchPair",
    "NumericalAnswer",
    "Policy",
    "QuestionContent",
    "Response",
    "ShownChoice",
    "grade",
    "grade_choices",
]

ZERO: Final = Decimal(0)
ONE: Final = Decimal(1)
_SNAP: Final = Decimal("0.000001")
_MAGNITUDE: Final = 9999
"""Numerical answers' numbers have exponents within ±this, so that exact arithmetic on them stays small."""


class Kind(StrEnum):
    """The kinds of question (the ones GIFT can express, which are Moodle's common types)."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUEFALSE = "truefalse"
    SHORTANSWER = "shortanswer"
    NUMERICAL = "numerical"
    MATCHING = "matching"
    ESSAY = "essay"
    DESCRIPTION = "description"


CHOICE_KINDS: Final = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.TRUEFALSE})
"""The kinds answered by picking among shown choices."""

_WITH_CHOICES: Final = CHOICE_KINDS | {Kind.SHORTANSWER}  # a short answer's accepted answers are choices, as in Moodle


class Policy(StrEnum):
    """How a multiple-response or matching question is marked (kept per quiz)."""

    ALL_OR_NOTHING = "all_or_nothing"  # the exam: full marks for exactly the right answer, else 0
    PARTIAL = "partial"  # Moodle: credit for the parts that are right


@dataclass(frozen=True, slots=True, kw_only=True)
class Grade:
    """The outcome of one answer: ``fraction`` of the question's marks, from 0 to 1.

    ``correct`` is ``fraction == 1``; ``partially`` is ``0 < fraction < 1``.
    """

    fraction: Decimal
    correct: bool
    partially: bool

    @classmethod
    def of(cls, fraction: Decimal) -> Grade:
        """The grade for ``fraction``, clamped to [0, 1] and snapped to 0 or 1 when within 0.000001."""
        fraction = min(max(fraction, ZERO), ONE)
        if fraction < _SNAP:
            fraction = ZERO
        elif fraction > ONE - _SNAP:
            fraction = ONE
        return cls(fraction=fraction, correct=fraction == ONE, partially=ZERO < fraction < ONE)


class InvalidContent(ValueError):
    """Content that breaks an invariant of :class:`QuestionContent`, or stored JSON that is not content."""


class InvalidResponse(ValueError):
    """A response that does not fit the question (wrong type, unknown choice, not a number), or a
    question that cannot be graded automatically (essay, description)."""


# --- the values --------------------------------------------------------------------------------------


def _check_fraction(fraction: object, what: str) -> None:
    if not isinstance(fraction, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {fraction!r}")
    if not fraction.is_finite() or not -ONE <= fraction <= ONE:
        raise InvalidContent(f"{what} must be a number from -1 to 1, got {fraction}")


def _exact(number: Decimal) -> Context:
    """A context in which ``number`` (and numbers of its size) are neither rounded nor clamped."""
    return Context(prec=max(len(number.as_tuple().digits), 28), Emax=MAX_EMAX, Emin=MIN_EMIN)


def _normal(number: Decimal) -> Decimal:
    """``number.normalize()`` without the current context's rounding: 0.50 -> 0.5, 1.00 -> 1, 1000 -> 1E+3."""
    return number.normalize(_exact(number))


def _written(number: Decimal) -> str:
    """A number as the stored JSON holds it: ``str(number.normalize())``, which for the at most
    28 digits of any stored fraction is exactly what was written before this type existed."""
    return str(_normal(number))


def _exponent(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int), "only finite numbers have an integer exponent"
    return exponent


def _check_number(number: object, what: str) -> None:
    if not isinstance(number, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {number!r}")
    if not number.is_finite():
        raise InvalidContent(f"{what} must be a finite number, got {number}")
    normal = _normal(number)
    if normal and not (_exponent(normal) >= -_MAGNITUDE and normal.adjusted() <= _MAGNITUDE):
        raise InvalidContent(f"{what} {number} is out of range: its exponent must lie within ±{_MAGNITUDE}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """One option of a choice or true/false question, or one accepted answer of a short-answer question.

    ``fraction`` is the share of the marks it earns, a ``Decimal`` from -1 to 1 (GIFT's ``~%50%`` is
    0.5); ``feedback`` is what a learner who picks it reads. ``html`` and ``feedback_html`` are their
    rendered, sanitized HTML ("" until a renderer fills them). The content holding it checks that
    ``text`` is not empty and ``fraction`` in range.
    """

    text: str
    fraction: Decimal
    feedback: str = ""
    html: str = ""
    feedback_html: str = ""

    @property
    def right(self) -> bool:
        """Whether picking it earns anything: ``fraction > 0``."""
        return self.fraction > 0


@dataclass(frozen=True, slots=True, kw_only=True)
class NumericalAnswer:
    """An accepted number: right when within ``value`` ± ``tolerance`` (bounds included).

    A range ``a..b`` is stored as its midpoint and half-width. The content holding it checks that
    ``tolerance`` is at least 0, both numbers are finite with exponents within ±9999, and ``fraction``
    lies in [-1, 1].
    """

    value: Decimal
    tolerance: Decimal
    fraction: Decimal
    feedback: str = ""

    def interval(self) -> tuple[Decimal, Decimal]:
        """``(value - tolerance, value + tolerance)``, computed exactly (never rounded)."""
        value, tolerance = _normal(self.value), _normal(self.tolerance)
        if not tolerance:
            return value, value
        top = max(value.adjusted(), tolerance.adjusted()) + 1
        bottom = min(_exponent(value), _exponent(tolerance))
        exact = Context(prec=top - bottom + 1, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Overflow, InvalidOperation])
        return exact.subtract(value, tolerance), exact.add(value, tolerance)


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchPair:
    """One row of a matching question; an empty ``question`` is an extra wrong answer. The content
    holding it checks that ``answer`` is not empty."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ShownChoice:
    """A choice as a page shows it: the one option shape templates get.

    ``index`` is its 0-based place on the page and ``letter`` the label for it ("A", "B", ...;
    after "Z" come "AA", "AB", ...); ``stored`` is its index in :attr:`QuestionContent.choices`
    (what a response holds); ``right`` is ``fraction > 0``; ``chosen`` says whether the response
    selected it.
    """

    index: int
    stored: int
    letter: str
    text: str
    html: str
    feedback_html: str
    right: bool
    chosen: bool


def _letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA" (spreadsheet columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_TRUE_FALSE_TEXTS: Final = ("True", "False")


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionContent:
    """What one version of a question says.

    Which of ``choices``, ``numerical`` and ``pairs`` is filled depends on ``kind``; the others are
    empty (``ValueError`` otherwise):

    * SINGLE, MULTIPLE: two or more ``choices``, in written order.
    * TRUEFALSE: exactly two ``choices``, ``True`` then ``False``, one worth 1 and the other 0, each
      with the feedback a learner who picks it reads.
    * SHORTANSWER: one or more ``choices``, the accepted answers (as Moodle stores them); only it may
      be ``case_sensitive``.
    * NUMERICAL: one or more ``numerical`` answers. MATCHING: one or more ``pairs``.
    * ESSAY, DESCRIPTION: none of them.

    ``stem`` is the question text (a missing-word question has ``_____`` where the blank is);
    ``explanation`` is shown after answering (Moodle's general feedback). Each ``*_html`` field is the
    rendered, sanitized HTML of its text, "" until a renderer fills it. Invalid content raises
    :class:`InvalidContent` (a ``ValueError``) with a plain message; a fraction or number that is not a
    ``Decimal`` raises ``TypeError``. ``kind`` may be given as its string; it is stored as a :class:`Kind`.
    """

    kind: Kind
    stem: str
    stem_html: str = ""
    name: str = ""
    choices: tuple[Choice, ...] = ()
    numerical: tuple[NumericalAnswer, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    case_sensitive: bool = False
    explanation: str = ""
    explanation_html: str = ""

    def __post_init__(self) -> None:
        try:
            kind = Kind(self.kind)
        except ValueError:
            raise InvalidContent(f"unknown question kind {self.kind!r} (known: {', '.join(Kind)})") from None
        # Frozen, so set through object: "single" becomes Kind.SINGLE, lists become tuples.
        object.__setattr__(self, "kind", kind)
        for field_name in ("choices", "numerical", "pairs"):
            object.__setattr__(self, field_name, tuple(getattr(self, field_name)))
        self._check_parts()
        self._check_shape(kind)

    def _check_parts(self) -> None:
        """Each choice, numerical answer and pair on its own."""
        for number, choice in enumerate(self.choices, 1):
            _check_fraction(choice.fraction, f"choice {number}: the fraction")
            if not choice.text:
                raise InvalidContent(f"choice {number} has no text")
        for number, answer in enumerate(self.numerical, 1):
            _check_number(answer.value, f"numerical answer {number}: the value")
            _check_number(answer.tolerance, f"numerical answer {number}: the tolerance")
            if answer.tolerance < 0:
                raise InvalidContent(f"numerical answer {number}: a tolerance cannot be negative, got {answer.tolerance}")
            _check_fraction(answer.fraction, f"numerical answer {number}: the fraction")
        for number, pair in enumerate(self.pairs, 1):
            if not pair.answer:
                raise InvalidContent(f"matching pair {number} has no answer")

    def _check_shape(self, kind: Kind) -> None:
        """What the kind needs, and nothing it does not use."""
        if self.choices and kind not in _WITH_CHOICES:
            raise InvalidContent(f"{kind} questions have no choices")
        if self.numerical and kind is not Kind.NUMERICAL:
            raise InvalidContent(f"{kind} questions have no numerical answers")
        if self.pairs and kind is not Kind.MATCHING:
            raise InvalidContent(f"{kind} questions have no matching pairs")
        if self.case_sensitive and kind is not Kind.SHORTANSWER:
            raise InvalidContent("only a short-answer question can be case-sensitive")
        if kind in (Kind.SINGLE, Kind.MULTIPLE) and len(self.choices) < 2:
            raise InvalidContent(f"{kind} questions need at least two choices, this one has {len(self.choices)}")
        if kind is Kind.TRUEFALSE and (
            tuple(choice.text for choice in self.choices) != _TRUE_FALSE_TEXTS
            or sorted(choice.fraction for choice in self.choices) != [ZERO, ONE]
        ):
            raise InvalidContent("a true/false question has exactly the choices True and False, one worth 1 and the other 0")
        if kind is Kind.SHORTANSWER and not self.choices:
            raise InvalidContent("a short-answer question needs at least one accepted answer")
        if kind is Kind.NUMERICAL and not self.numerical:
            raise InvalidContent("a numerical question needs at least one answer")
        if kind is Kind.MATCHING and not self.pairs:
            raise InvalidContent("a matching question needs at least one pair")

    @property
    def multiple(self) -> bool:
        """Whether several choices may be selected (a multiple-response question)."""
        return self.kind is Kind.MULTIPLE

    @property
    def right_count(self) -> int:
        """How many choices earn something (fraction > 0): what "(Select TWO.)" counts."""
        return sum(1 for choice in self.choices if choice.right)

    @property
    def checksum(self) -> str:
        """A hex SHA-256 of :meth:`to_json`, the same digest as ``content.parsing.types.checksum`` gives
        (sorted keys, non-ASCII kept): equal contents, equal checksums."""
        blob = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def shown(self, order: Sequence[int], *, selected: Collection[int] = ()) -> tuple[ShownChoice, ...]:
        """The choices in the order a page shows them.

        ``order`` lists indexes into ``choices`` in display order (a permutation of
        ``range(len(choices))``); ``selected`` holds indexes into ``choices`` too. Raises ``ValueError``
        when ``order`` is not such a permutation or ``selected`` names a choice that does not exist.
        """
        stored_order = list(order)
        count = len(self.choices)
        if any(isinstance(i, bool) or not isinstance(i, int) for i in stored_order) or sorted(stored_order) != list(range(count)):
            raise ValueError(f"the order {stored_order} is not a permutation of the {count} choices' indexes")
        chosen = set(_indexes(selected, count))
        return tuple(
            ShownChoice(
                index=index,
                stored=stored,
                letter=_letter(index),
                text=choice.text,
                html=choice.html,
                feedback_html=choice.feedback_html,
                right=choice.right,
                chosen=stored in chosen,
            )
            for index, stored in enumerate(stored_order)
            for choice in (self.choices[stored],)
        )

    def stable_order(self, seed: str | int) -> tuple[int, ...]:
        """A shuffled order of the choices (for :meth:`shown`) that is the same every time for the same
        ``seed`` (a question's id or source key; ``7`` and ``"7"`` give the same order), so a page that
        shows a question outside an attempt never lists the right answer first by habit. True/false
        keeps True then False; kinds without choices give ``()``."""
        order = list(range(len(self.choices)))
        if self.kind is not Kind.TRUEFALSE:
            random.Random(f"studyapp-options:{seed}").shuffle(order)
        return tuple(order)

    def to_json(self) -> dict[str, object]:
        """The stored form: a JSON-ready dict of strings, booleans, lists and dicts.

        Keys, in this order: ``kind``, ``name``, ``stem``, ``stem_html``; then ``options`` (a list of
        ``{"text", "html", "fraction", "feedback", "feedback_html"}``) for the choice kinds and short
        answer, followed by ``case_sensitive`` for short answer only; ``numerical`` (a list of
        ``{"value", "tolerance", "fraction", "feedback"}``) for numerical; ``pairs`` (a list of
        ``{"question", "answer"}``) for matching; then ``explanation``, ``explanation_html``. Numbers
        are strings, ``str(number.normalize())`` ("0.5", "1", "-0.25"). For single, multiple and
        true/false this is exactly the dict the course has always stored, so its checksums do not change.
        """
        data: dict[str, object] = {"kind": str(self.kind), "name": self.name, "stem": self.stem, "stem_html": self.stem_html}
        if "options" in _keys(self.kind):
            data["options"] = [
                {
                    "text": choice.text,
                    "html": choice.html,
                    "fraction": _written(choice.fraction),
                    "feedback": choice.feedback,
                    "feedback_html": choice.feedback_html,
                }
                for choice in self.choices
            ]
        if self.kind is Kind.SHORTANSWER:
            data["case_sensitive"] = self.case_sensitive
        if self.kind is Kind.NUMERICAL:
            data["numerical"] = [
                {
                    "value": _written(answer.value),
                    "tolerance": _written(answer.tolerance),
                    "fraction": _written(answer.fraction),
                    "feedback": answer.feedback,
                }
                for answer in self.numerical
            ]
        if self.kind is Kind.MATCHING:
            data["pairs"] = [{"question": pair.question, "answer": pair.answer} for pair in self.pairs]
        data["explanation"] = self.explanation
        data["explanation_html"] = self.explanation_html
        return data

    @classmethod
    def from_json(cls, data: object) -> QuestionContent:
        """The content :meth:`to_json` wrote: ``from_json(x.to_json()) == x`` for every content ``x``.

        Strict: the keys must be exactly those ``to_json`` writes for the kind, texts strings, numbers
        strings holding finite decimals, ``case_sensitive`` a boolean. Anything else, and any content
        invariant broken, raises :class:`InvalidContent` (a ``ValueError``) saying what is wrong and
        where; no other exception escapes, whatever ``data`` is.
        """
        kind = _kind(data)
        fields = _fields(data, "question content", _keys(kind))
        choices = tuple(_build(f"option {n}", _choice, item) for n, item in _records(fields, "options", _CHOICE_KEYS))
        numerical = tuple(_build(f"numerical answer {n}", _numerical, item) for n, item in _records(fields, "numerical", _NUMERICAL_KEYS))
        pairs = tuple(_build(f"pair {n}", _pair, item) for n, item in _records(fields, "pairs", _PAIR_KEYS))
        case_sensitive = fields.get("case_sensitive", False)
        if not isinstance(case_sensitive, bool):
            raise InvalidContent(f"question content: 'case_sensitive' must be true or false, got {_json_type(case_sensitive)}")
        try:
            return cls(
                kind=kind,
                name=_text(fields, "name"),
                stem=_text(fields, "stem"),
                stem_html=_text(fields, "stem_html"),
                choices=choices,
                numerical=numerical,
                pairs=pairs,
                case_sensitive=case_sensitive,
                explanation=_text(fields, "explanation"),
                explanation_html=_text(fields, "explanation_html"),
            )
        except InvalidContent as error:
            raise InvalidContent(f"question content: {error}") from None


# --- reading the stored JSON ---------------------------------------------------------------------------


def _json_type(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


_CHOICE_KEYS: Final = ("text", "html", "fraction", "feedback", "feedback_html")
_NUMERICAL_KEYS: Final = ("value", "tolerance", "fraction", "feedback")
_PAIR_KEYS: Final = ("question", "answer")
_KIND_VALUES: Final = frozenset(kind.value for kind in Kind)


def _keys(kind: Kind) -> tuple[str, ...]:
    """The keys of a kind's stored JSON, in the order :meth:`QuestionContent.to_json` writes them."""
    lists: tuple[str, ...] = ()
    if kind in _WITH_CHOICES:
        lists = ("options", "case_sensitive") if kind is Kind.SHORTANSWER else ("options",)
    elif kind is Kind.NUMERICAL:
        lists = ("numerical",)
    elif kind is Kind.MATCHING:
        lists = ("pairs",)
    return ("kind", "name", "stem", "stem_html", *lists, "explanation", "explanation_html")


def _kind(data: object) -> Kind:
    if not isinstance(data, Mapping):
        raise InvalidContent(f"question content must be a JSON object, got {_json_type(data)}")
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in _KIND_VALUES:
        raise InvalidContent(f"question content: 'kind' must be one of {', '.join(Kind)}, got {kind!r}")
    return Kind(kind)


def _fields(data: object, where: str, keys: Sequence[str]) -> Mapping[str, object]:
    if not isinstance(data, Mapping):
        raise InvalidContent(f"{where} must be a JSON object, got {_json_type(data)}")
    missing = [key for key in keys if key not in data]
    if missing:
        raise InvalidContent(f"{where} lacks {', '.join(map(repr, missing))}")
    extra = [key for key in data if key not in keys]
    if extra:
        raise InvalidContent(f"{where} has unexpected {', '.join(sorted(map(repr, extra)))}")
    return data


def _records(fields: Mapping[str, object], key: str, keys: Sequence[str]) -> list[tuple[int, Mapping[str, object]]]:
    """The objects of list ``key`` (none when the kind has no such key), numbered from 1 for messages."""
    if key not in fields:
        return []
    value = fields[key]
    if not isinstance(value, list):
        raise InvalidContent(f"question content: {key!r} must be a list, got {_json_type(value)}")
    return [(number, _fields(item, f"question content: {key} item {number}", keys)) for number, item in enumerate(value, 1)]


def _build[T](where: str, make: Callable[[Mapping[str, object]], T], item: Mapping[str, object]) -> T:
    """``make(item)``, with ``where`` put in front of the message of any InvalidContent it raises."""
    try:
        return make(item)
    except InvalidContent as error:
        raise InvalidContent(f"question content: {where}: {error}") from None


def _choice(option: Mapping[str, object]) -> Choice:
    return Choice(
        text=_text(option, "text"),
        html=_text(option, "html"),
        fraction=_decimal(option, "fraction"),
        feedback=_text(option, "feedback"),
        feedback_html=_text(option, "feedback_html"),
    )


def _numerical(answer: Mapping[str, object]) -> NumericalAnswer:
    return NumericalAnswer(
        value=_decimal(answer, "value"),
        tolerance=_decimal(answer, "tolerance"),
        fraction=_decimal(answer, "fraction"),
        feedback=_text(answer, "feedback"),
    )


def _pair(pair: Mapping[str, object]) -> MatchPair:
    return MatchPair(question=_text(pair, "question"), answer=_text(pair, "answer"))


def _text(fields: Mapping[str, object], key: str) -> str:
    value = fields[key]
    if not isinstance(value, str):
        raise InvalidContent(f"{key!r} must be a string, got {_json_type(value)}")
    return value


def _decimal(fields: Mapping[str, object], key: str) -> Decimal:
    value = fields[key]
    if not isinstance(value, str):
        raise InvalidContent(f"{key!r} must be a number written as a string, got {_json_type(value)}")
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidContent(f"{key!r} is not a number: {value!r}") from None
    if not number.is_finite():
        raise InvalidContent(f"{key!r} must be a finite number, got {value!r}")
    return number


# --- grading -------------------------------------------------------------------------------------------

type Response = Collection[int] | str | Decimal | int | Mapping[str, str]
"""What :func:`grade` takes: the selected choices' indexes (choice kinds), the typed text (short
answer), the number (numerical: text, ``Decimal`` or ``int``) or each sub-question's chosen answer
(matching)."""


def _indexes(selected: object, count: int) -> list[int]:
    """The selected indexes, checked: ints in ``range(count)`` (no bools, no negative indexing)."""
    if isinstance(selected, (str, bytes, Mapping)) or not isinstance(selected, Collection):
        raise InvalidResponse(f"the selected options must be a collection of indexes, got {selected!r}")
    items = list(selected)
    if any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < count for i in items):
        raise InvalidResponse(f"selected options {sorted(items, key=str)} are not all among 0..{count - 1}")
    return items


def grade_choices(*, kind: Kind | str, fractions: Sequence[Decimal], selected: Collection[int], policy: Policy | str) -> Grade:
    """Grade one answer to a choice question from its choices' fractions (the rule :func:`grade` uses).

    ``fractions`` are the choices' fractions (``Decimal``, each from -1 to 1) and ``selected`` the
    indexes of the chosen ones (duplicates count once). ``kind`` is single, multiple or true/false.
    Raises ``ValueError`` for another kind, an unknown policy or a fraction outside [-1, 1],
    ``TypeError`` for a fraction that is not a ``Decimal``, and :class:`InvalidResponse` for an index
    out of range (negative indexes are not accepted) or more than one choice selected for a
    single-answer or true/false question.
    """
    if kind not in CHOICE_KINDS:
        raise ValueError(f"{kind!r} questions are not graded by their choices")
    kind = Kind(kind)
    policy = Policy(policy)
    values = tuple(fractions)
    for fraction in values:
        if not isinstance(fraction, Decimal):
            raise TypeError(f"a fraction must be a Decimal, got {fraction!r}")
    if any(not f.is_finite() or not -ONE <= f <= ONE for f in values):
        raise ValueError(f"fractions must lie between -1 and 1, got {[str(f) for f in values]}")
    chosen = set(_indexes(selected, len(values)))
    if kind is not Kind.MULTIPLE:
        if len(chosen) > 1:
            raise InvalidResponse(f"a {kind} question takes one option, {len(chosen)} were selected")
        return Grade.of(values[chosen.pop()] if chosen else ZERO)
    if policy is Policy.PARTIAL:
        return Grade.of(sum((values[i] for i in chosen), ZERO))
    right = {i for i, f in enumerate(values) if f > 0}
    return Grade.of(ONE if chosen and chosen == right else ZERO)


def grade(content: QuestionContent, response: Response, *, policy: Policy | str) -> Grade:
    """Grade one ``response`` to ``content`` under ``policy`` (see the module docstring for the rules).

    The response's type depends on the kind:

    * single, multiple, true/false: a collection of indexes into ``content.choices`` (what
      :attr:`ShownChoice.stored` holds), empty when nothing was selected;
    * short answer: the text typed (blank scores 0);
    * numerical: the number, as text (``"12"``, ``"-0.5"``, ``"1.5e3"``; surrounding spaces allowed,
      blank scores 0), ``Decimal`` or ``int``;
    * matching: a mapping from a sub-question's text to the chosen answer's text; a sub-question
      left out (or answered "") is wrong.

    Raises ``ValueError`` for an unknown policy and :class:`InvalidResponse` (a ``ValueError``) for a
    response of the wrong type or naming what the question does not have (an index out of range,
    two choices for a single-answer question, a text that is not a number, an unknown sub-question or
    answer), and for an essay or description, which are not graded automatically.
    """
    policy = Policy(policy)
    kind = content.kind
    if kind in CHOICE_KINDS:
        if isinstance(response, (str, Mapping)) or not isinstance(response, Collection):
            raise InvalidResponse(f"{kind} questions take the indexes of the selected options, got {response!r}")
        fractions = tuple(choice.fraction for choice in content.choices)
        return grade_choices(kind=kind, fractions=fractions, selected=response, policy=policy)
    if kind is Kind.SHORTANSWER:
        return _grade_shortanswer(content, response)
    if kind is Kind.NUMERICAL:
        return _grade_numerical(content, response)
    if kind is Kind.MATCHING:
        return _grade_matching(content, response, policy)
    raise InvalidResponse(f"{kind} questions are not graded automatically")


def _tidy(text: str) -> str:
    """NFC, surrounding whitespace removed and inner runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


_STARS = re.compile(r"(?<!\\)\*+")


def _matches(response: str, answer: str, *, case_sensitive: bool) -> bool:
    """Moodle's ``compare_string_with_wildcard``: runs of unescaped ``*`` match anything, ``\\*`` is an
    asterisk, everything else is literal; both texts already tidied."""
    bits = (re.escape(bit.replace("\\*", "*")) for bit in _STARS.split(_tidy(answer)))
    flags = re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE
    return re.fullmatch(".*".join(bits), response, flags) is not None


def _grade_shortanswer(content: QuestionContent, response: Response) -> Grade:
    if not isinstance(response, str):
        raise InvalidResponse(f"a short-answer question takes the text typed, got {response!r}")
    said = _tidy(response)
    if said:
        for choice in content.choices:
            if _matches(said, choice.text, case_sensitive=content.case_sensitive):
                return Grade.of(choice.fraction)
    return Grade.of(ZERO)


_NUMBER_RESPONSE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _response_number(response: Response) -> Decimal | None:
    """The number a numerical response holds, None when it is blank, or InvalidResponse."""
    if isinstance(response, str):
        written = response.strip()
        if not written:
            return None
        if not _NUMBER_RESPONSE.fullmatch(written):
            raise InvalidResponse(f"not a number: {response!r}")
        try:
            return Decimal(written)
        except InvalidOperation:  # an exponent beyond what Decimal can hold
            raise InvalidResponse(f"not a number Decimal can hold: {response!r}") from None
    if isinstance(response, Decimal) and response.is_finite():
        return response
    if isinstance(response, int) and not isinstance(response, bool):
        return Decimal(response)
    raise InvalidResponse(f"a numerical question takes a number (text, Decimal or int), got {response!r}")


def _grade_numerical(content: QuestionContent, response: Response) -> Grade:
    number = _response_number(response)
    if number is not None:
        for answer in content.numerical:
            low, high = answer.interval()
            if low <= number <= high:
                return Grade.of(answer.fraction)
    return Grade.of(ZERO)


def _grade_matching(content: QuestionContent, response: Response, policy: Policy) -> Grade:
    if not isinstance(response, Mapping):
        raise InvalidResponse(f"a matching question takes a mapping of sub-question to answer, got {response!r}")
    # Two pairs may share a sub-question's text; either of their answers is then right for it.
    right: dict[str, set[str]] = {}
    for pair in content.pairs:
        if pair.question:
            right.setdefault(pair.question, set()).add(pair.answer)
    if not right:
        raise InvalidResponse("a matching question without sub-questions cannot be graded")
    answers = {pair.answer for pair in content.pairs}
    for question, answer in response.items():
        if not isinstance(question, str) or question not in right:
            raise InvalidResponse(f"{question!r} is not a sub-question of this question")
        if not isinstance(answer, str) or (answer and answer not in answers):
            raise InvalidResponse(f"{answer!r} is not one of this question's answers")
    correct = sum(1 for question, accepted in right.items() if response.get(question) in accepted)
    if policy is Policy.PARTIAL:
        return Grade.of(Decimal(correct) / Decimal(len(right)))
    return Grade.of(ONE if correct == len(right) else ZERO)
