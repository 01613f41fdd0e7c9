"""The card browser's reads (as Anki's Browse window): the learner's items in the queue, searched and
filtered. Writes go through :func:`studyapp.srs.services.bulk_change`.

An item is "in the queue" once it has a review state: a card seen (or suspended, buried, flagged
before it was seen), or a question sent here by a wrong answer. Cards never touched are not listed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils.html import strip_tags
from django.utils.timezone import localtime

from studyapp.accounts.models import User

from .models import ItemState, ReviewState

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """What the learner searched for; every field empty or False means "all"."""

    query: str = ""
    state: str = ""  # an ItemState value, or "" for any
    topic_id: int | None = None
    suspended: bool = False
    flagged: bool = False
    buried: bool = False
    leech: bool = False


def browse(user: User, filters: Filters, *, now: datetime) -> QuerySet[ReviewState]:
    """The learner's live items matching ``filters``: those not scheduled (new) first, on every
    database, then soonest due; with what a row shows loaded alongside: one query per page (and
    one to count). NULLS FIRST is SQLite's own order, so its (user, due) index serves the sort."""
    states = (
        ReviewState.objects.for_user(user)
        .live()
        .in_topic(filters.topic_id)
        .select_related(
            "card__note__topic",
            "card__note__course",
            "question__current_version",
            "question__placement__topic",
            "question__placement__note__course",
        )
        # Only what a row shows: a note's columns include its whole page, which sorting 5,000
        # rows would carry along (five times slower, bench/cards.py).
        .only(
            *(f.name for f in ReviewState._meta.concrete_fields),
            *("card__front_html", "card__section_anchor", "card__source_key", "card__retired_at"),
            *("card__note__slug", "card__note__course__slug", "card__note__topic__title"),
            *("question__status", "question__source_key", "question__current_version__data"),
            *("question__placement__topic__title", "question__placement__section_anchor", "question__placement__question_id"),
            *("question__placement__note__slug", "question__placement__note__course__slug"),
            *("card__note__course", "card__note__topic", "question__current_version", "question__placement__topic"),
            *("question__placement__note__course",),
        )
    )
    if filters.query:
        words = Q()
        for word in filters.query.split()[:8]:
            words &= (
                Q(card__front_html__icontains=word)
                | Q(card__back_html__icontains=word)
                | Q(card__source_key__icontains=word)
                | Q(question__current_version__data__stem__icontains=word)
                | Q(question__source_key__icontains=word)
            )
        states = states.filter(words)
    if filters.state:
        states = states.filter(state=filters.state)
    if filters.suspended:
        states = states.filter(suspended=True)
    if filters.flagged:
        states = states.filter(flagged=True)
    if filters.buried:
        states = states.filter(buried_until__gt=now)
    if filters.leech:
        states = states.filter(leech=True)
    return states.order_by(F("due").asc(nulls_first=True), "pk")


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One line of the browser, shaped in Python: the page renders 50 of them per request, and
    template lookups and filters cost more than the query (bench/cards.py)."""

    pk: int
    is_question: bool
    text: str
    tick_label: str  # the checkbox's accessible name
    url: str
    topic: str
    state: str
    due: datetime | None
    due_text: str  # "3 Dec 2026" in the learner's time zone, or "–"
    lapses: int
    marks: tuple[str, ...]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rows(states: Iterable[ReviewState], *, now: datetime) -> list[Row]:
    """The rows of one page of :func:`browse`."""
    shaped = []
    for state in states:
        if state.card is not None:
            text, url, topic = strip_tags(state.card.front_html), state.card.get_absolute_url(), state.card.note.topic.title
        else:
            assert state.question is not None and state.question.current_version is not None, "a state is for a card or a question"
            placement = state.question.placement
            text = str(state.question.current_version.data.get("stem", ""))
            url = placement.get_absolute_url() if placement.note_id else ""
            topic = placement.topic.title
        marks = [label for label, on in (("Suspended", state.suspended), ("Flagged", state.flagged)) if on]
        if state.buried_until and state.buried_until > now:
            marks.append("Buried")
        shaped.append(
            Row(
                pk=state.pk,
                is_question=state.card_id is None,
                text=_short(text, 110),
                tick_label=f"Tick {_short(text, 60)}",
                url=url,
                topic=topic,
                state=ItemState(state.state).label,
                due=state.due,
                due_text=f"{localtime(state.due):%-d %b %Y}" if state.due else "–",
                lapses=state.lapses,
                marks=(*marks, *(("Leech",) if state.leech else ())),
            )
        )
    return shaped
