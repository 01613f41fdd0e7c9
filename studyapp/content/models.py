"""Rows derived from the course files. Only :mod:`studyapp.content.sync` writes them (questions
themselves live in :mod:`studyapp.questions`; content keeps where each one sits).

Learner state (reviews, attempts) points at cards and questions and never writes them; rows that
leave the files are *retired* (``retired_at`` set), never deleted, so that state is never lost.
"""

from typing import Any

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse

from .parsing.types import BEYOND_EXAM, DOMAINS


def excluding_tag[S: QuerySet[Any]](queryset: S, tag: str, *, field: str = "tags") -> S:
    """``queryset`` without the rows whose JSON list of tags ``field`` holds ``tag`` (a card's, a
    question's). The list as JSON text holds the quoted tag: one LIKE on SQLite and PostgreSQL alike."""
    alias = f"{field.replace('__', '_')}_text"
    return queryset.alias(**{alias: Cast(field, TextField())}).exclude(**{f"{alias}__contains": f'"{tag}"'})


def beyond_exam_sql(column: str) -> str:
    """The raw-SQL twin of ``excluding_tag(..., BEYOND_EXAM)``'s test, true for a beyond-exam row:
    ``column`` is a JSON tag list's column (a constant of the caller, never input)."""
    return f"CAST({column} AS TEXT) LIKE '%%\"{BEYOND_EXAM}\"%%'"


class LiveQuerySet(models.QuerySet):
    def live(self) -> "LiveQuerySet":
        return self.filter(retired_at__isnull=True)


class Course(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:course", args=[self.slug])


class Topic(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="topics")
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    position = models.PositiveIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="content_topic_unique_slug")]

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="notes")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="notes")
    slug = models.SlugField()
    path = models.CharField(max_length=500, help_text="The file, relative to the content folder.")
    title = models.CharField(max_length=200)
    order = models.IntegerField()
    domains = models.JSONField(default=list)
    updated = models.DateField()
    sources = models.JSONField(default=list)
    summary = models.TextField(blank=True)
    body_html = models.TextField()
    toc_html = models.TextField(blank=True, help_text="The table of contents, rendered at load time.")
    checksum = models.CharField(max_length=64)
    retired_at = models.DateTimeField(null=True, blank=True)
    # Neighbours in reading order, kept by sync so a note page needs one query.
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    next = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["course", "order"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="content_note_unique_slug")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:note", args=[self.course.slug, self.slug])

    @property
    def domain_labels(self) -> list[tuple[str, str]]:
        """(number, name) of each exam domain the note covers, in the exam guide's order (not the written one)."""
        order = list(DOMAINS)
        ranked = sorted(self.domains, key=lambda d: (order.index(d) if d in order else len(order), d))
        return [(d.removeprefix("domain-"), DOMAINS.get(d, d)) for d in ranked]


class CardKind(models.TextChoices):
    BASIC = "basic", "Basic"
    CLOZE = "cloze", "Cloze"


class Card(models.Model):
    """A flashcard written in a note. ``source_key`` is its stable id (``id`` or ``id/cN``)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="cards")
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="cards")
    source_key = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=CardKind.choices)
    front_html = models.TextField()
    back_html = models.TextField()
    section_anchor = models.CharField(max_length=200, blank=True)
    section_title = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(help_text="Order within the course: new cards are shown in this order.")
    tags = models.JSONField(default=list, blank=True, help_text="Written after the card's id, as [tag:beyond-exam].")
    checksum = models.CharField(max_length=64)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["course", "source_key"], name="content_card_unique_key")]
        indexes = [models.Index(fields=["position"], name="content_card_position")]  # new cards in course order

    def __str__(self) -> str:
        return self.source_key

    def get_absolute_url(self) -> str:
        return f"{self.note.get_absolute_url()}#{self.section_anchor}" if self.section_anchor else self.note.get_absolute_url()


class QuestionPlacement(models.Model):
    """Where a question of the bank sits in the course: its topic and, for a question written in the
    notes, its note, section and place in reading order. Authored questions have a topic and no note.
    The question itself (wording, versions, status) belongs to :mod:`studyapp.questions`."""

    question = models.OneToOneField("questions.Question", on_delete=models.CASCADE, primary_key=True, related_name="placement")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="question_placements")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="question_placements")
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="question_placements", null=True, blank=True)
    section_anchor = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order within the course (reading order for the notes' questions).")

    class Meta:
        ordering = ["course", "position"]
        indexes = [models.Index(fields=["topic"], name="content_placement_topic")]

    def __str__(self) -> str:
        return f"{self.question_id} in {self.topic}"

    def get_absolute_url(self) -> str:
        """The question in its note ("" for one that is not in a note)."""
        if self.note is None:
            return ""
        return f"{self.note.get_absolute_url()}#q-{self.question.source_key}"


class SearchKind(models.TextChoices):
    NOTE = "note", "Note"
    CARD = "card", "Flashcard"
    QUESTION = "question", "Question"
    SECTION = "section", "Section"
    CALCULATOR = "calculator", "Calculator"


class SearchEntry(models.Model):
    """One searchable thing. Its full-text index is kept by the database itself (triggers, see the
    migration): an FTS5 table on SQLite, ``search_vector`` with a GIN index on PostgreSQL."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="search_entries", null=True, blank=True)
    question = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class NoteReadQuerySet(models.QuerySet):
    def for_user(self, user: models.Model) -> "NoteReadQuerySet":
        return self.filter(user=user)


class NoteRead(models.Model):
    """A learner opened a note (learner state: survives reloads because notes are never deleted)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notes_read")
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="reads")
    first_read_at = models.DateTimeField()

    objects = NoteReadQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="content_noteread_unique")]

    def __str__(self) -> str:
        return f"{self.user} read {self.note}"
