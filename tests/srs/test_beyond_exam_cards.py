"""The study setting "Include beyond-exam cards" (issue 13, point 2): on by default, so nothing leaves
a learner's queue unasked; off, beyond-exam cards leave the review queue, its counts and the card
browser's list, which still finds them with its filter."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from studyapp.accounts.models import User
from studyapp.content.models import Card, Course
from studyapp.quizzes.services import BEYOND_EXAM
from studyapp.srs import queue, services
from studyapp.srs.browser import Filters, browse, matching, page
from studyapp.srs.models import ReviewSettings
from tests.conftest import NOW

from .conftest import later, rate

pytestmark = pytest.mark.django_db
TAGGED = {"demo-image", "demo-lambda-price"}
EVERY_CARD = {"demo-image", "demo-registry/c1", "demo-registry/c2", "demo-lambda-price"}


@pytest.fixture
def tagged(demo_course: Course) -> set[str]:
    Card.objects.filter(source_key__in=TAGGED).update(tags=[BEYOND_EXAM])
    return TAGGED


def include(learner: User, value: bool) -> None:
    ReviewSettings.objects.update_or_create(user=learner, defaults={"include_beyond_exam_cards": value, "bury_siblings": False})
    learner._state.fields_cache.pop("review_settings", None)  # queue.review_settings() reads it afresh


def study_everything(learner: User, *, at=NOW) -> list[str]:
    """Go through the queue rating every item Easy; the keys of the cards shown, in order."""
    shown: list[str] = []
    while (item := queue.next_item(learner, now=at)) is not None and len(shown) < 20:
        assert item.card is not None
        shown.append(item.card.source_key)
        rate(learner, item.card, 4, at=at)
    return shown


def test_the_setting_is_on_by_default_and_nothing_leaves_the_queue(learner: User, tagged: set[str]) -> None:
    assert queue.review_settings(learner).include_beyond_exam_cards is True
    assert queue.counts(learner, now=NOW).new == 4
    include(learner, True)  # and cloze siblings not buried, so one pass shows every card
    assert set(study_everything(learner)) == EVERY_CARD


def test_off_new_beyond_exam_cards_are_neither_shown_nor_counted(learner: User, tagged: set[str]) -> None:
    include(learner, False)
    assert queue.counts(learner, now=NOW).new == 2
    assert set(study_everything(learner)) == EVERY_CARD - TAGGED
    assert queue.counts(learner, now=NOW).total == 0


def test_off_beyond_exam_reviews_due_are_neither_shown_nor_counted(learner: User, tagged: set[str]) -> None:
    include(learner, True)
    study_everything(learner)  # every card seen once
    month = later(days=60)  # every card due again
    assert queue.counts(learner, now=month).review == 4

    include(learner, False)
    counts = queue.counts(learner, now=month)
    assert (counts.new, counts.learning, counts.review) == (0, 0, 2)
    assert sum(c.total for c in queue.counts_by_topic(learner, now=month).values()) == counts.total  # the ORM agrees with the SQL
    assert set(study_everything(learner, at=month)) == EVERY_CARD - TAGGED

    include(learner, True)  # back on: they come back, their history intact
    assert queue.counts(learner, now=month).review == 2
    assert set(study_everything(learner, at=month)) == TAGGED


def test_off_a_missed_question_stays_in_the_queue(learner: User, tagged: set[str], question) -> None:
    include(learner, False)
    services.enqueue_question(user=learner, question=question, now=NOW)
    assert queue.counts(learner, now=NOW).learning == 1
    item = queue.next_item(learner, now=NOW)
    assert item is not None and item.question == question


def test_the_card_browser_leaves_them_out_when_off_and_its_filter_finds_them(learner: User, tagged: set[str]) -> None:
    include(learner, True)
    study_everything(learner)

    def keys(filters: Filters) -> set[str]:
        return {state.card.source_key for state in browse(learner, filters, now=NOW)}

    assert keys(Filters()) == EVERY_CARD
    assert keys(Filters(beyond_exam=True)) == TAGGED
    include(learner, False)
    assert keys(Filters()) == EVERY_CARD - TAGGED
    assert keys(Filters(beyond_exam=True)) == TAGGED


def test_the_card_browser_reads_the_setting_loaded_with_the_learner_as_its_query_would(learner: User, tagged: set[str]) -> None:
    """Settings loaded with the learner (as the sign-in backend loads them) are read, not queried;
    the list and its count agree with the query's own reading, with the setting off, on, or no
    settings at all (the default: on)."""
    include(learner, True)
    study_everything(learner)

    def listed(user: User) -> tuple[set[str], int]:
        shown, _ = page(matching(user, Filters(), now=NOW), None, now=NOW)
        return {state.card.source_key for state in browse(user, Filters(), now=NOW)}, shown.paginator.count

    def loaded() -> User:
        return User.objects.select_related("review_settings").get(pk=learner.pk)

    include(learner, False)
    assert listed(loaded()) == listed(learner) == (EVERY_CARD - TAGGED, 2)
    include(learner, True)
    assert listed(loaded()) == listed(learner) == (EVERY_CARD, 4)
    ReviewSettings.objects.filter(user=learner).delete()
    learner._state.fields_cache.pop("review_settings", None)
    assert listed(loaded()) == listed(learner) == (EVERY_CARD, 4)


def test_the_card_browser_page_has_the_filter(client, learner: User, tagged: set[str]) -> None:
    include(learner, True)
    study_everything(learner)
    include(learner, False)
    client.force_login(learner)
    listed = client.get("/study/cards/")
    assertContains(listed, "Beyond-exam cards")
    assertContains(listed, "2 items")
    assertNotContains(listed, "What is a container image?")  # demo-image's front
    found = client.get("/study/cards/", {"beyond_exam": "on"})
    assertContains(found, "2 items")
    assertContains(found, "What is a container image?")


def test_the_settings_page_turns_beyond_exam_cards_off_and_on(client, learner: User, demo_course: Course) -> None:
    client.force_login(learner)
    page = client.get("/study/settings/")
    assertContains(page, "Include beyond-exam cards")
    assert re.search(r'<input type="checkbox" name="include_beyond_exam_cards"[^>]* checked>', page.content.decode())  # on by default
    fields = {"desired_retention": "0.9", "new_per_day": "20", "learning_steps": "1m 10m", "relearning_steps": "10m", "fuzz": "on"}
    client.post("/study/settings/", fields)  # the box left unticked
    assert ReviewSettings.objects.get(user=learner).include_beyond_exam_cards is False
    client.post("/study/settings/", {**fields, "include_beyond_exam_cards": "on"})
    assert ReviewSettings.objects.get(user=learner).include_beyond_exam_cards is True


def test_off_the_statistics_count_only_the_cards_in_the_queue(learner: User, tagged: set[str]) -> None:
    from studyapp.srs.reports import statistics

    def new_cards() -> int:
        return dict(statistics(learner, now=NOW)["state_counts"])["New"]  # type: ignore[call-overload]

    include(learner, True)
    everything = new_cards()
    include(learner, False)
    assert new_cards() == everything - len(TAGGED)
