"""The cards and questions the study and quiz screens show, read once and then kept in the cache
(studyapp.content.cached): no query on the next read, a copy of its own each time, and a class's
worth of entries kept. That a load's or an edit's change shows at once: tests/srs/test_views.py."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from studyapp.content import cached
from studyapp.content.models import Card
from studyapp.questions.models import Question


def test_the_second_read_costs_no_query_and_hands_out_a_copy(demo_course):
    card = Card.objects.first()
    question = Question.objects.published().first()
    first = cached.card(card.pk)
    first.front_html = "changed by the caller"
    cached.question(question.pk)
    cached.version(question.current_version_id)
    with CaptureQueriesContext(connection) as queries:
        again = cached.card(card.pk)
        asked = cached.question(question.pk)
        version = cached.version(question.current_version_id)
    assert len(queries) <= 1  # at most the versions' stamps, read once a second
    assert again.front_html == card.front_html and again.note.title and again.note.course.slug
    assert asked.placement.note.title and version.content.stem


def test_a_note_s_body_is_neither_read_nor_kept(demo_course):
    card = cached.card(Card.objects.first().pk)
    assert "body_html" in card.note.get_deferred_fields()


def test_a_class_s_worth_of_entries_does_not_push_the_cards_out(demo_course):
    card = Card.objects.first()
    cached.card(card.pk)
    for n in range(1000):  # fifty sessions, each learner's version and pages, the other items
        cache.set(f"test-other-entry:{n}", n)
    with CaptureQueriesContext(connection) as queries:
        cached.card(card.pk)
    assert not [q for q in queries if "content_card" in q["sql"]]
