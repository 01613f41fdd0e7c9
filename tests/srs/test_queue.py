"""What comes next: (re)learning due, then reviews due, then new cards up to the daily limit."""

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F

from studyapp.content.models import Card, Note
from studyapp.questions.models import Question, Status
from studyapp.srs import queue, services
from studyapp.srs.models import ReviewSettings, ReviewState
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import later, rate

pytestmark = pytest.mark.django_db


def test_new_cards_come_in_course_order(learner, cards):
    assert queue.next_item(learner, now=NOW).card == cards[0]
    rate(learner, cards[0], 3)
    assert queue.next_item(learner, now=NOW).card == cards[1]


def test_due_learning_cards_come_before_new_ones(learner, cards):
    rate(learner, cards[0], 1)  # again: due in 1 minute
    item = queue.next_item(learner, now=later(minutes=2))
    assert item.card == cards[0] and item.memory.state == "learning"


def test_daily_new_limit(learner, cards):
    ReviewSettings.objects.create(user=learner, new_per_day=2)
    rate(learner, cards[0], 4)
    rate(learner, cards[1], 4)
    assert queue.counts(learner, now=NOW).new == 0
    assert queue.next_item(learner, now=NOW) is None
    tomorrow = NOW.replace(hour=4) + timedelta(days=1)
    assert queue.counts(learner, now=tomorrow).new == 2  # the limit resets at 4 a.m.


def test_learning_cards_due_within_20_minutes_are_shown_when_nothing_else_is_left(learner, cards):
    ReviewSettings.objects.create(user=learner, new_per_day=1)
    rate(learner, cards[0], 3)  # due in 10 minutes
    item = queue.next_item(learner, now=later(minutes=1))
    assert item is not None and item.card == cards[0]


def test_topic_filter(learner, cards, demo_course):
    functions = demo_course.topics.get(slug="functions")
    item = queue.next_item(learner, now=NOW, topic_id=functions.pk)
    assert item.card.note.topic == functions


def test_buried_and_suspended_cards_are_skipped(learner, cards):
    services.bury(user=learner, kind="card", item_id=cards[0].pk, now=NOW)
    services.set_suspended(user=learner, kind="card", item_id=cards[1].pk, suspended=True, now=NOW)
    assert queue.next_item(learner, now=NOW).card == cards[2]
    tomorrow = NOW.replace(hour=4) + timedelta(days=1, minutes=1)
    assert queue.next_item(learner, now=tomorrow).card == cards[0]  # bury ends; suspend does not


def test_a_missed_question_is_studied_like_a_due_card(learner, question):
    services.enqueue_question(user=learner, question=question, now=NOW)
    item = queue.next_item(learner, now=NOW)
    assert item.kind == "question" and item.question == question
    assert queue.counts(learner, now=NOW).learning == 1


def test_counts_and_summary(learner, cards):
    ReviewSettings.objects.create(user=learner, bury_siblings=False)  # cards[1] is a cloze: keep its sibling new
    rate(learner, cards[0], 3)
    rate(learner, cards[1], 1)
    counts = queue.counts(learner, now=later(minutes=30))
    assert (counts.new, counts.learning, counts.review) == (2, 2, 0)
    summary = queue.day_summary(learner, now=later(minutes=30))
    assert summary.reviews == 2 and summary.percent_correct == 50


def test_counts_by_topic_match_counts(learner, cards, demo_course):
    rate(learner, cards[0], 1)
    by_topic = queue.counts_by_topic(learner, now=later(minutes=5))
    for topic in demo_course.topics.all():
        assert by_topic.get(topic.pk, queue.Counts(new=0, learning=0, review=0)) == queue.counts(
            learner, now=later(minutes=5), topic_id=topic.pk
        )


# Every kind of item the queue must include or leave out, for the cross-check below: the state's
# fields (minutes from NOW; None: a card never seen), and whether its card (or note) is retired.
# Times are spread by a minute or two so that order matters, except on the boundaries (exact=True).
KINDS: list[dict[str, Any] | None] = [
    dict(state="review", due=-60),
    dict(state="review", due=0, exact=True),  # due now: due
    dict(state="review", due=60 * 24),
    dict(state="review", due=-60, suspended=True),
    dict(state="review", due=-60, buried=60 * 24),
    dict(state="review", due=-60, buried=-60),
    dict(state="review", due=-60, buried=0, exact=True),  # buried until now: back
    dict(state="review", due=-60, retired=True),
    dict(state="learning", due=-1),
    dict(state="learning", due=10),
    dict(state="learning", due=20, exact=True),  # due in 20 minutes: counted, shown ahead
    dict(state="learning", due=30),
    dict(state="relearning", due=-5),
    dict(state="relearning", due=-5, suspended=True),
    dict(state="new", due=None),  # flagged before its first review: still a new card
    dict(state="new", due=-5),  # a new card with a due date is still a new card, not a missed question
    dict(state="new", due=None, suspended=True),
    dict(state="new", due=None, buried=60 * 24),
    dict(state="new", due=None, buried=0, exact=True),  # buried until now: back
    None,
    dict(retired=True),
    dict(note_retired=True),
]


def _card_of_each_kind(demo_course, learner):
    Card.objects.filter(course=demo_course).update(position=F("position") + 1000)  # new cards: these first, in reverse order of creation
    notes = list(Note.objects.filter(course=demo_course).order_by("pk"))
    retired_note = notes[-1]
    retired_note.retired_at = NOW
    retired_note.save()
    for n, kind in enumerate(KINDS * 2):  # each kind in both topics
        kind = kind or {}
        jitter = 0 if kind.get("exact") else n % 3
        card = Card.objects.create(
            course=demo_course,
            note=retired_note if kind.get("note_retired") else notes[n % 2],
            source_key=f"kind-{n}",
            kind="basic",
            front_html="<p>F</p>",
            back_html="<p>B</p>",
            position=100 - n,
            checksum="x",
            retired_at=NOW if kind.get("retired") else None,
        )
        if "state" in kind:
            ReviewState.objects.create(
                user=learner,
                card=card,
                state=kind["state"],
                added_at=NOW,
                suspended=kind.get("suspended", False),
                due=None if kind["due"] is None else later(minutes=kind["due"] + jitter),
                buried_until=later(minutes=kind["buried"]) if "buried" in kind else None,
                stability=1.0 if kind["state"] != "new" else None,
                difficulty=5.0 if kind["state"] != "new" else None,
            )


def _missed_questions(demo_course, learner):
    first, second = Question.objects.filter(placement__course=demo_course).order_by("pk")[:2]
    services.enqueue_question(user=learner, question=first, now=later(minutes=-3))
    services.enqueue_question(user=learner, question=second, now=later(minutes=-2))
    Question.objects.filter(pk=second.pk).update(status=Status.RETIRED)
    assert ReviewState.objects.filter(user=learner, question__isnull=False).count() == 2


def _another_learner_busy_with_the_same_cards(learner):
    """Someone else reviews, suspends and buries the cards that are new to ``learner``, today."""
    other = UserFactory(time_zone="UTC")
    mine = ReviewState.objects.filter(user=learner, card__isnull=False).values("card")
    for n, card in enumerate(Card.objects.live().exclude(pk__in=mine).order_by("pk")):
        if n % 3 == 0:
            rate(other, card, 1, at=later(minutes=-30))  # learning, due in a minute; a new card's review today
        elif n % 3 == 1:
            services.set_suspended(user=other, kind="card", item_id=card.pk, suspended=True, now=NOW)
        else:
            services.bury(user=other, kind="card", item_id=card.pk, now=NOW)
    services.enqueue_question(user=other, question=Question.objects.order_by("pk").last(), now=later(minutes=-30))


def _expected(learner, now, topic_id, new_left):
    """The queue's rules, applied in Python to every row."""

    def item_topic(state):
        return state.card.note.topic_id if state.card_id else state.question.placement.topic_id

    def studiable(state):
        in_course = state.card.retired_at is None if state.card_id else state.question.status == Status.PUBLISHED
        return (
            in_course
            and not state.suspended
            and (state.buried_until is None or state.buried_until <= now)
            and (topic_id is None or item_topic(state) == topic_id)
        )

    states = [s for s in ReviewState.objects.filter(user=learner).select_related("card__note", "question") if studiable(s)]
    first_kind = [s for s in states if s.due and (s.state in {"learning", "relearning"} or (s.state == "new" and s.question_id))]
    reviews = sorted((s for s in states if s.state == "review" and s.due <= now), key=lambda s: (s.due, s.pk))
    blocked = {
        s.card_id
        for s in ReviewState.objects.filter(user=learner, card__isnull=False)
        if s.state != "new" or s.suspended or (s.buried_until and s.buried_until > now)
    }
    fresh = [
        c
        for c in Card.objects.select_related("note").order_by("position", "pk")
        if c.retired_at is None and c.note.retired_at is None and c.pk not in blocked and (topic_id is None or c.note.topic_id == topic_id)
    ]
    counts = queue.Counts(
        new=min(new_left, len(fresh)),
        review=len(reviews),
        learning=sum(1 for s in first_kind if s.due <= now + queue.LEARN_AHEAD),
    )
    due_first = sorted((s for s in first_kind if s.due <= now), key=lambda s: (s.due, s.pk))
    ahead = sorted((s for s in first_kind if s.due <= now + queue.LEARN_AHEAD), key=lambda s: (s.due, s.pk))
    following: tuple[object, ...] | None
    if due_first or reviews:
        following = ("state", (due_first or reviews)[0].pk)
    elif new_left and fresh:
        state = ReviewState.objects.filter(user=learner, card=fresh[0]).first()  # a card flagged before its first review
        following = ("card", fresh[0].pk, state and state.pk)
    else:
        following = ("state", ahead[0].pk) if ahead else None
    return counts, following


@pytest.mark.parametrize("minutes", [0, 8, 25, 60 * 30])
@pytest.mark.parametrize("new_per_day", [0, 3, 50])
def test_the_queue_follows_its_rules_for_every_kind_of_item(learner, demo_course, minutes, new_per_day):
    """The study screen's SQL, and the ORM's studiable() behind the per-topic counts, agree with the
    rules on every kind of item, in each topic and in the whole course."""
    ReviewSettings.objects.create(user=learner, new_per_day=new_per_day)
    _card_of_each_kind(demo_course, learner)
    _missed_questions(demo_course, learner)
    _another_learner_busy_with_the_same_cards(learner)
    now = later(minutes=minutes)
    for _ in ("with items due", "with nothing due: new cards, then learning cards due soon"):
        by_topic = queue.counts_by_topic(learner, now=now)
        for topic_id in [None, *demo_course.topics.values_list("pk", flat=True)]:
            counts, following = _expected(learner, now, topic_id, new_per_day)
            assert queue.counts(learner, now=now, topic_id=topic_id) == counts
            if topic_id:
                assert by_topic.get(topic_id, queue.Counts(new=0, learning=0, review=0)) == counts
            item = queue.next_item(learner, now=now, topic_id=topic_id)
            shown: object
            if item is None or item.kind == "question" or not item.is_new:
                shown = item and ("state", item.state.pk)
            else:
                shown = ("card", item.card.pk, item.state and item.state.pk)
            assert shown == following
        ReviewState.objects.filter(user=learner, due__lte=now).update(suspended=True)


def test_today_counts_reviews_that_still_count_and_only_first_reviews_use_the_new_card_limit(learner, cards):
    rate(learner, cards[0], 3)
    rate(learner, cards[0], 3, at=later(minutes=11))  # its second review: not new
    rate(learner, cards[1], 3, at=later(minutes=11, seconds=30))
    assert queue.today(learner, later(minutes=12)) == queue.Today(reviews=3, new_left=18)
    services.undo_last_review(user=learner, now=later(minutes=12))  # takes back cards[1]'s first review
    assert queue.today(learner, later(minutes=12)) == queue.Today(reviews=2, new_left=19)
    assert queue.today(learner, NOW.replace(hour=4) + timedelta(days=1)) == queue.Today(reviews=0, new_left=20)


def test_the_study_day_starts_at_4_am(learner, cards):
    rate(learner, cards[0], 3, at=NOW.replace(hour=3, minute=59, second=59, microsecond=999999))  # yesterday's
    rate(learner, cards[1], 3, at=NOW.replace(hour=4))
    assert queue.today(learner, NOW) == queue.Today(reviews=1, new_left=19)


def test_reviews_are_counted_up_to_a_thousand(learner, demo_course):
    note = demo_course.notes.first()
    made = Card.objects.bulk_create(
        Card(course=demo_course, note=note, source_key=f"many-{n}", kind="basic", front_html="F", back_html="B", position=n, checksum="x")
        for n in range(queue.COUNT_CAP + 1)
    )
    ReviewState.objects.bulk_create(
        ReviewState(user=learner, card=card, state="review", stability=3.0, difficulty=5.0, due=later(days=-1), added_at=NOW)
        for card in made
    )
    assert queue.counts(learner, now=NOW).review == queue.COUNT_CAP
