"""Reads for the notes pages, shaped for their templates."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from studyapp.accounts.models import User
from studyapp.questions.models import Question

from .models import Card, Course, Note, NoteRead, Topic


@dataclass(frozen=True, slots=True, kw_only=True)
class TopicRow:
    topic: Topic
    notes: list[Note]
    read: set[int]  # ids of the notes this learner has opened
    cards: int
    questions: int

    @property
    def read_count(self) -> int:
        return sum(1 for n in self.notes if n.pk in self.read)


def course_outline(course: Course, user: User | None) -> list[TopicRow]:
    """The course home: live topics in order, each with its notes and (signed in) what was read."""
    notes = list(Note.objects.live().filter(course=course).select_related("course").defer("body_html", "toc_html").order_by("order"))
    read = set(NoteRead.objects.for_user(user).filter(note__course=course).values_list("note_id", flat=True)) if user else set()
    cards = dict(
        Card.objects.live()
        .filter(course=course, note__retired_at__isnull=True)
        .values_list("note__topic_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    questions = dict(
        Question.objects.published().filter(placement__course=course).values_list("placement__topic_id").annotate(n=Count("id")).order_by()
    )
    return [
        TopicRow(
            topic=t, notes=[n for n in notes if n.topic_id == t.pk], read=read, cards=cards.get(t.pk, 0), questions=questions.get(t.pk, 0)
        )
        for t in Topic.objects.live().filter(course=course)
    ]


def note_page() -> "QuerySet[Note]":
    """Live notes with what their page shows: course, topic and the neighbours' titles (one query)."""
    return (
        Note.objects.live()
        .filter(course__retired_at__isnull=True)
        .select_related("course", "topic", "previous", "next")
        .defer(*(f"{n}__{f}" for n in ("previous", "next") for f in ("body_html", "toc_html", "summary")))
    )
