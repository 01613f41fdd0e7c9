"""Reads for the notes pages, shaped for their templates."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from studyapp.accounts.models import User
from studyapp.core import pagecache
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
    """The course home: live topics in order, each with its notes and (signed in) what was read.

    The outline is the same for everyone until the content changes, so it is kept in the cache
    (:func:`studyapp.core.pagecache.remember`); only what this learner read is read each time."""
    outline = pagecache.remember(f"outline:{course.pk}", lambda: _outline(course))
    read = set(NoteRead.objects.for_user(user).filter(note__course=course).values_list("note_id", flat=True)) if user else set()
    return [TopicRow(topic=t, notes=notes, read=read, cards=cards, questions=questions) for t, notes, cards, questions in outline]


def _outline(course: Course) -> list[tuple[Topic, list[Note], int, int]]:
    """(topic, its notes, flashcards, questions) for each live topic in order: two queries, the
    counts being subqueries of the topics' one."""
    notes = list(Note.objects.live().filter(course=course).select_related("course").defer("body_html", "toc_html").order_by("order"))
    cards = (
        Card.objects.live()
        .filter(course=course, note__topic=OuterRef("pk"), note__retired_at__isnull=True)
        .order_by()
        .values("note__topic")
        .annotate(n=Count("id"))
        .values("n")
    )
    questions = (
        Question.objects.published()
        .filter(placement__course=course, placement__topic=OuterRef("pk"))
        .order_by()
        .values("placement__topic")
        .annotate(n=Count("id"))
        .values("n")
    )
    topics = (
        Topic.objects.live()
        .filter(course=course)
        .annotate(n_cards=Coalesce(Subquery(cards), 0), n_questions=Coalesce(Subquery(questions), 0))
    )
    return [(t, [n for n in notes if n.topic_id == t.pk], t.n_cards, t.n_questions) for t in topics]


def note_page() -> "QuerySet[Note]":
    """Live notes with what their page shows: course, topic and the neighbours' titles (one query)."""
    return (
        Note.objects.live()
        .filter(course__retired_at__isnull=True)
        .select_related("course", "topic", "previous", "next")
        .defer(*(f"{n}__{f}" for n in ("previous", "next") for f in ("body_html", "toc_html", "summary")))
    )
