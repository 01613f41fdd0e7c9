"""What the database would refuse of parsed content: text longer than its column, numbers outside it.

SQLite stores a 300-character title in a ``max_length=200`` column without a word; PostgreSQL refuses
it, and either refuses an integer its column cannot hold (``OverflowError``). The loader runs these
checks on every load and ``--check``, so content that passes on one database loads on the other. Each
bound is read from the model field that stores the value (``max_length``, and the integer ranges
Django documents for every database), never copied here. Reads no rows and writes none.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.urls import reverse

from studyapp.questions.models import CATEGORY_ROOT, Question

from .models import Card, Course, Note, QuestionPlacement, SearchEntry, Topic
from .parsing.types import CourseInfo, ParsedNote, Problem

_HEADING = re.compile(r"^#{2,6}\s+(.+?)\s*#*\s*$")  # as the note scanner reads headings


def max_length(model: type[models.Model], name: str) -> int:
    """The ``max_length`` of a text column."""
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert isinstance(length, int), f"{model.__name__}.{name} has no max_length"
    return length


def integer_range(model: type[models.Model], name: str) -> tuple[int, int]:
    """The values an integer column holds on every database Django supports."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Value:
    what: str  # for the message: "note title", "card id"
    value: str | int
    model: type[models.Model]
    field: str
    line: int


def _problems(values: Iterator[_Value], *, path: str) -> Iterator[Problem]:
    for item in values:
        if isinstance(item.value, int):
            low, high = integer_range(item.model, item.field)
            if not low <= item.value <= high:
                yield Problem(path=path, line=item.line, message=f"{item.what} must be between {low} and {high}, got {item.value}")
            continue
        limit = max_length(item.model, item.field)
        if len(item.value) > limit:
            shown = item.value if len(item.value) <= 40 else item.value[:37] + "..."
            yield Problem(
                path=path, line=item.line, message=f"{item.what} is {len(item.value):,} characters long; at most {limit}: {shown!r}"
            )


def course_problems(info: CourseInfo, *, text: str, path: str) -> list[Problem]:
    """The course's and its topics' columns; ``text`` is the course.toml, for line numbers."""
    lines = text.splitlines()

    def line_of(value: str) -> int:
        return next((number for number, line in enumerate(lines, start=1) if value in line), 1)

    def values() -> Iterator[_Value]:
        yield _Value(what="course folder name (the course slug)", value=info.slug, model=Course, field="slug", line=1)
        yield _Value(what="course title", value=info.title, model=Course, field="title", line=line_of(info.title))
        for topic in info.topics:
            yield _Value(what="topic slug", value=topic.slug, model=Topic, field="slug", line=line_of(topic.slug))
            yield _Value(what="topic title", value=topic.title, model=Topic, field="title", line=line_of(topic.title))
            yield _Value(what="topic position", value=topic.position, model=Topic, field="position", line=line_of(topic.slug))

    return list(_problems(values(), path=path))


def _heading_lines(text: str) -> list[tuple[int, int]]:
    """(line, length of the heading's text) of every level-2 to level-6 heading line of a note."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADING.match(line)
        if match:
            found.append((number, len(match.group(1))))
    return found


def note_problems(note: ParsedNote, *, course: str, text: str) -> list[Problem]:
    """One note's columns: its own, its headings' (which cards, placements and search entries keep),
    its cards' and its questions'. ``course`` is the course slug; ``text`` the note's file, for the
    line of a heading (the parsed headings do not keep one)."""
    url = reverse("content:note", args=[course, note.slug]) if len(note.slug) <= max_length(Note, "slug") else ""
    headings = _heading_lines(text)

    def heading_line(size: int) -> int:
        """The first heading whose text is at least ``size`` long: the one an over-long anchor or title came from."""
        return next((number for number, length in headings if length >= size), 1)

    def values() -> Iterator[_Value]:
        meta = note.meta
        yield _Value(what="the note address (from the file name)", value=note.slug, model=Note, field="slug", line=1)
        yield _Value(what="the file's path", value=note.path, model=Note, field="path", line=1)
        yield _Value(what="title", value=meta.title, model=Note, field="title", line=meta.lines.get("title", 1))
        yield _Value(what="order", value=meta.order, model=Note, field="order", line=meta.lines.get("order", 1))
        sections = {(entry.title, entry.anchor) for entry in note.toc}
        placed = [card.section for card in note.cards] + [question.section for question in note.questions]
        sections |= {(section.title, section.anchor) for section in placed if section.anchor}
        for title, anchor in sorted(sections):
            line = heading_line(min(len(title), len(anchor)))
            yield _Value(what="heading", value=title, model=Card, field="section_title", line=line)
            for model in (Card, QuestionPlacement):
                yield _Value(what="heading's anchor", value=anchor, model=model, field="section_anchor", line=line)
            yield _Value(what="heading's address", value=f"{url}#{anchor}", model=SearchEntry, field="url", line=line)
        for card in note.cards:
            yield _Value(what="card id", value=card.key, model=Card, field="source_key", line=card.line)
        for question in note.questions:
            yield _Value(what="question id", value=question.key, model=Question, field="source_key", line=question.line)
            yield _Value(what="question's address", value=f"{url}#q-{question.key}", model=SearchEntry, field="url", line=question.line)
            yield _Value(what="question title", value=question.content.name, model=SearchEntry, field="title", line=question.line)
            category = f"{CATEGORY_ROOT}/{course}/{question.topic}"
            yield _Value(what="question category", value=category, model=Question, field="category", line=question.line)
            yield _Value(
                what="number of options", value=len(question.content.choices), model=Question, field="option_count", line=question.line
            )

    return list(dict.fromkeys(_problems(values(), path=note.path)))  # a heading too long for two columns: said once
