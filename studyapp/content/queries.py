"""Reads for the notes pages, shaped for their templates."""

from dataclasses import dataclass

from django.db.models import Count, Q

from studyapp.accounts.models import User

from .models import Course, Note, NoteRead, Topic


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
    notes = list(Note.objects.live().filter(course=course).order_by("order"))
    read = set(NoteRead.objects.for_user(user).filter(note__course=course).values_list("note_id", flat=True)) if user else set()
    topics = Topic.objects.live().filter(course=course).annotate(
        card_count=Count("notes__cards", filter=Q(notes__cards__retired_at__isnull=True, notes__retired_at__isnull=True), distinct=True),
        question_count=Count("questions", filter=Q(questions__retired_at__isnull=True), distinct=True),
    )
    return [
        TopicRow(topic=t, notes=[n for n in notes if n.topic_id == t.pk], read=read, cards=t.card_count, questions=t.question_count)
        for t in topics
    ]


def neighbours(note: Note) -> tuple[Note | None, Note | None]:
    """The previous and next live notes of the course, by order."""
    live = Note.objects.live().filter(course_id=note.course_id).only("title", "slug", "course_id", "order")
    previous = live.filter(order__lt=note.order).order_by("-order").first()
    following = live.filter(order__gt=note.order).order_by("order").first()
    return previous, following
