"""Word-level differences between two versions of a question. Pure: standard library (difflib) and
:mod:`studyapp.questions.content` only, no Django.

:func:`words` compares two texts word by word and gives typed :class:`Segment` runs (equal, insert,
delete) whose texts, joined, give back the old text (equal + delete) and the new one (equal +
insert). :func:`compare` lines two contents up field by field: the name, the stem, each option's
text, fraction and feedback (or each numerical answer's value, tolerance, fraction and feedback, or
each matching pair), the explanation. Options are compared by their place: option 2 of one version
against option 2 of the other; one that exists on one side only is all inserted or all deleted.
The segments are plain text: a template escapes them (never marks them safe).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from studyapp.questions.content import QuestionContent

__all__ = ["FieldDiff", "Op", "Segment", "compare", "percent", "words"]

# A word, a run of spaces, or one other character: punctuation changes show on their own.
_TOKEN: Final = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


class Op(StrEnum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldDiff:
    """One field's difference: ``label`` names it ("Stem", "Option 2: fraction")."""

    label: str
    segments: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return any(segment.op is not Op.EQUAL for segment in self.segments)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def words(old: str, new: str) -> tuple[Segment, ...]:
    """The word-level difference from ``old`` to ``new``; adjacent runs of one kind are merged and a
    replacement is its deletion followed by its insertion."""
    before, after = _tokens(old), _tokens(new)
    pieces: list[Segment] = []

    def add(op: Op, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1].op is op:
            pieces[-1] = Segment(op=op, text=pieces[-1].text + text)
        else:
            pieces.append(Segment(op=op, text=text))

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(Op.EQUAL, before[i1:i2])
        else:
            add(Op.DELETE, before[i1:i2])
            add(Op.INSERT, after[j1:j2])
    return tuple(pieces)


def percent(fraction: Decimal) -> str:
    """A fraction as the editor writes it: 1 -> "100 %", 0.3333333 -> "33.33333 %", -0.5 -> "-50 %"."""
    value = (fraction * 100).normalize()
    text = f"{value:f}"
    return f"{text} %"


def _rows(content: QuestionContent) -> list[list[tuple[str, str]]]:
    """Each option (or numerical answer, or pair) as its (part, text) fields, in written order."""
    if content.numerical:
        return [
            [
                ("value", f"{a.value.normalize():f}"),
                ("tolerance", f"{a.tolerance.normalize():f}"),
                ("fraction", percent(a.fraction)),
                ("feedback", a.feedback),
            ]
            for a in content.numerical
        ]
    if content.pairs:
        return [[("question", p.question), ("answer", p.answer)] for p in content.pairs]
    return [[("text", c.text), ("fraction", percent(c.fraction)), ("feedback", c.feedback)] for c in content.choices]


def _noun(content: QuestionContent) -> str:
    if content.numerical:
        return "Answer"
    if content.pairs:
        return "Pair"
    return "Option"


def compare(old: QuestionContent, new: QuestionContent) -> tuple[FieldDiff, ...]:
    """Every field of the two versions, in the editor's order, each with its word-level segments.
    A field empty on both sides is left out."""
    fields: list[tuple[str, str, str]] = [
        ("Name", old.name, new.name),
        ("Kind", str(old.kind), str(new.kind)),
        ("Stem", old.stem, new.stem),
    ]
    old_rows, new_rows = _rows(old), _rows(new)
    noun = _noun(new)
    for number in range(1, max(len(old_rows), len(new_rows)) + 1):
        before = dict(old_rows[number - 1]) if number <= len(old_rows) else {}
        after = dict(new_rows[number - 1]) if number <= len(new_rows) else {}
        parts = list(dict.fromkeys([*before, *after]))
        fields.extend((f"{noun} {number}: {part}", before.get(part, ""), after.get(part, "")) for part in parts)
    fields.append(("Explanation", old.explanation, new.explanation))
    return tuple(FieldDiff(label=label, segments=words(a, b)) for label, a, b in fields if a or b)
