"""The card browser's reads (as Anki's Browse window): the learner's items in the queue, searched and
filtered. Writes go through :func:`studyapp.srs.services.bulk_change`.

An item is "in the queue" once it has a review state: a card seen (or suspended, buried, flagged
before it was seen), or a question sent here by a wrong answer. Cards never touched are not listed,
nor, when the learner's study setting leaves them out of the queue, beyond-exam cards, unless the
"Beyond-exam cards" filter asks for them.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.timezone import localtime

from studyapp.accounts.models import User

from .models import ItemState, ReviewSettings, ReviewState

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
    beyond_exam: bool = False  # only cards tagged beyond-exam, whether the queue includes them or not


def browse(user: User, filters: Filters, *, now: datetime) -> QuerySet[ReviewState]:
    """:func:`matching`, with what a row shows loaded alongside: one query per page (and one to
    count)."""
    return (
        matching(user, filters, now=now)
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


def matching(user: User, filters: Filters, *, now: datetime) -> QuerySet[ReviewState]:
    """The learner's live items matching ``filters``: those not scheduled (new) first, on every
    database, then soonest due. NULLS FIRST is SQLite's own order, so its (user, due) index serves
    the sort. :func:`page` reads its rows as values (no model instances to load)."""
    states = ReviewState.objects.for_user(user).live().in_topic(filters.topic_id)
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
    # The "Beyond-exam cards" filter finds them whatever the study setting; otherwise the setting rules:
    # read from the learner when loaded with them (the sign-in backend does), else in the same query
    # (a correlated EXISTS per row: most of the count's time, bench/cards.py).
    if filters.beyond_exam:
        states = states.beyond_exam_cards()
    elif (included := beyond_exam_included(user)) is not None:
        states = states.exam_scope(include_beyond_exam_cards=included)
    else:
        states = states.in_learners_scope()
    return states.order_by(F("due").asc(nulls_first=True), "pk")


def beyond_exam_included(user: User) -> bool | None:
    """The learner's "include beyond-exam cards" setting if their settings came loaded with them
    (no query), None if not loaded. No settings row yet means the default: included."""
    if not User.review_settings.is_cached(user):
        return None
    try:
        return user.review_settings.include_beyond_exam_cards
    except ReviewSettings.DoesNotExist:
        return True


class _Paginator(Paginator):
    """Counts ``counted`` (the filtered states) rather than the page's rows: the columns a row shows
    join eight more tables, which the count would otherwise walk for all 5,000 states."""

    def __init__(self, rows: QuerySet, per_page: int, *, counted: QuerySet[ReviewState]) -> None:
        super().__init__(rows, per_page)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted.count()


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
    buried_until: datetime | None = None  # while the "Buried" mark shows: when it goes


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _texts(text: str) -> tuple[str, str]:
    """A row's text and its checkbox's label."""
    return _short(text, 110), f"Tick {_short(text, 60)}"


@lru_cache(maxsize=20_000)
def _card_texts(front_html: str) -> tuple[str, str]:
    """:func:`_texts` of a card's front without its tags: the same for the same front, and stripping
    tags runs Python's HTML parser (a tenth of a page's time), so kept."""
    return _texts(strip_tags(front_html))


# The columns a row shows, read as plain values: building five model instances per row (state,
# card, note, topic, course...) cost more than the query itself (bench/cards.py).
_COLUMNS = (
    *("pk", "card_id", "state", "due", "lapses", "suspended", "flagged", "buried_until", "leech"),
    *("card__front_html", "card__section_anchor", "card__note__slug", "card__note__course__slug", "card__note__topic__title"),
    *("question__source_key", "question__current_version__data__stem", "question__placement__topic__title"),
    *("question__placement__note__slug", "question__placement__note__course__slug"),
)


def page(states: QuerySet[ReviewState], number: str | None, *, now: datetime) -> tuple[Page, list[Row]]:
    """Page ``number`` of :func:`matching` or :func:`browse` (Django's ``get_page``: out of range is the last page) and
    its rows: one query for the count, one for the page's columns."""
    shown = _Paginator(states.values_list(*_COLUMNS), PAGE_SIZE, counted=states).get_page(number)
    note_url = reverse("content:note", args=["COURSE", "NOTE"])  # once, not per row: slugs need no quoting
    shaped = []
    for values in shown.object_list:
        pk, card_id, state, due, lapses, suspended, flagged, buried_until, leech, *rest = values
        front, anchor, note, course, card_topic, source_key, stem, question_topic, question_note, question_course = rest
        if card_id is not None:
            (text, tick_label), topic = _card_texts(front), card_topic
            url = note_url.replace("COURSE", course, 1).replace("NOTE", note, 1) + (f"#{anchor}" if anchor else "")
        else:
            (text, tick_label), topic = _texts(str(stem or "")), question_topic
            url = (
                note_url.replace("COURSE", question_course, 1).replace("NOTE", question_note, 1) + f"#q-{source_key}"
                if question_note
                else ""
            )
        marks = [
            label
            for label, on in (("Suspended", suspended), ("Flagged", flagged), ("Buried", bool(buried_until and buried_until > now)))
            if on
        ]
        shaped.append(
            Row(
                pk=pk,
                is_question=card_id is None,
                text=text,
                tick_label=tick_label,
                url=url,
                topic=topic,
                state=ItemState(state).label,
                due=due,
                due_text=f"{localtime(due):%-d %b %Y}" if due else "–",
                lapses=lapses,
                marks=(*marks, *(("Leech",) if leech else ())),
                buried_until=buried_until if buried_until and buried_until > now else None,
            )
        )
    return shown, shaped
