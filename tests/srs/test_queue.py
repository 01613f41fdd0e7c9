"""What comes next: (re)learning due, then reviews due, then new cards up to the daily limit."""

from datetime import timedelta

import pytest

from studyapp.srs import queue, services
from studyapp.srs.models import ReviewSettings
from tests.conftest import NOW

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
        assert by_topic.get(topic.pk, queue.Counts(new=0, learning=0, review=0)) == queue.counts(learner, now=later(minutes=5), topic_id=topic.pk)
