"""Writing review state: an append-only log, once per shown card, safe across tabs and reloads."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection

from studyapp.content.loader import load
from studyapp.content.models import Card
from studyapp.content.sync import sync_content
from studyapp.srs import queue, services
from studyapp.srs.models import ReviewLog, ReviewState, UndoneReview
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import later, rate

pytestmark = pytest.mark.django_db


def test_a_review_appends_to_the_log_with_state_before_and_after(learner, cards):
    result = rate(learner, cards[0], 3)
    assert result.recorded
    log = ReviewLog.objects.get()
    assert (log.rating, log.reviewed_at, log.was_new) == (3, NOW, True)
    assert log.state_before["state"] == "new" and log.state_after["state"] == "learning"
    state = ReviewState.objects.get()
    assert state.revision == 1 and state.reps == 1 and state.due == NOW + timedelta(minutes=10)


def test_the_log_is_never_rewritten(learner, cards):
    rate(learner, cards[0], 1)
    first = ReviewLog.objects.values().get()
    rate(learner, cards[0], 3, at=later(minutes=2))
    services.undo_last_review(user=learner, now=later(minutes=3))
    assert ReviewLog.objects.values().get(pk=first["id"]) == first
    assert ReviewLog.objects.count() == 2 and UndoneReview.objects.count() == 1


def test_a_double_submit_counts_once(learner, cards):
    assert rate(learner, cards[0], 3, revision=0).recorded
    again = rate(learner, cards[0], 3, revision=0)  # the same form posted twice
    assert not again.recorded
    assert ReviewLog.objects.count() == 1 and ReviewState.objects.get().reps == 1


def test_a_stale_tab_cannot_overwrite_a_newer_review(learner, cards):
    rate(learner, cards[0], 3, revision=0)
    rate(learner, cards[0], 3, at=later(minutes=11), revision=1)
    stale = rate(learner, cards[0], 1, at=later(minutes=12), revision=1)
    assert not stale.recorded
    assert ReviewState.objects.get().reps == 2


@pytest.mark.parametrize("rating", [0, 5, -1, 3.5, "3"])
def test_invalid_ratings_change_nothing(learner, cards, rating):
    with pytest.raises(services.InvalidRating):
        services.record_review(user=learner, kind="card", item_id=cards[0].pk, revision=0, rating=rating, now=NOW)
    assert not ReviewState.objects.exists() and not ReviewLog.objects.exists()


def test_unknown_or_retired_items_are_refused(learner, cards):
    with pytest.raises(services.ItemNotFound):
        services.record_review(user=learner, kind="card", item_id=99999, revision=0, rating=3, now=NOW)
    Card.objects.filter(pk=cards[0].pk).update(retired_at=NOW)
    with pytest.raises(services.ItemNotFound):
        services.record_review(user=learner, kind="card", item_id=cards[0].pk, revision=0, rating=3, now=NOW)
    with pytest.raises(services.ItemNotFound):
        services.record_review(user=learner, kind="note", item_id=cards[1].pk, revision=0, rating=3, now=NOW)


def test_undo_restores_the_state_before_and_excludes_the_review(learner, cards):
    rate(learner, cards[0], 3)
    before = ReviewState.objects.get().memory
    rate(learner, cards[0], 4, at=later(minutes=11))
    state = services.undo_last_review(user=learner, now=later(minutes=12))
    assert state.memory == before
    assert services.undo_last_review(user=learner, now=later(minutes=13)).memory.state == "new"
    assert services.undo_last_review(user=learner, now=later(minutes=14)) is None


def test_leeches_are_tagged_after_eight_lapses(learner, cards):
    card, when = cards[0], NOW
    rate(learner, card, 4, at=when)  # graduate at once
    for _ in range(8):
        when = ReviewState.objects.get().due + timedelta(minutes=1)
        rate(learner, card, 1, at=when)  # forget
        when += timedelta(minutes=11)
        rate(learner, card, 3, at=when)  # relearn
        state = ReviewState.objects.get()
        when = max(when, state.due) + timedelta(minutes=1)
        if state.state != "review":
            rate(learner, card, 3, at=when)
    state = ReviewState.objects.get()
    assert state.lapses >= 8 and state.leech
    assert services.leeches(learner) == [state]


def test_bury_hides_until_4am_and_suspend_until_unsuspended(learner, cards):
    state = services.bury(user=learner, kind="card", item_id=cards[0].pk, now=NOW)
    assert state.buried_until == NOW.replace(hour=4, minute=0) + timedelta(days=1)
    suspended = services.set_suspended(user=learner, kind="card", item_id=cards[1].pk, suspended=True, now=NOW)
    assert suspended.suspended
    assert not services.set_suspended(user=learner, kind="card", item_id=cards[1].pk, suspended=False, now=NOW).suspended


def test_a_missed_question_enters_the_queue_due_now(learner, question):
    state = services.enqueue_question(user=learner, question=question, now=NOW)
    assert state.question == question and state.due == NOW
    assert services.enqueue_question(user=learner, question=question, now=later(minutes=1)).pk == state.pk
    result = services.record_review(
        user=learner, kind="question", item_id=question.pk, revision=state.revision, rating=3, now=later(minutes=2)
    )
    assert result.recorded and result.state.state == "learning"


def test_state_and_logs_survive_a_content_reload_that_retires_the_card(learner, cards, demo_root):
    rate(learner, cards[0], 3)
    note = demo_root / "demo" / "01-containers.md"
    note.write_text(note.read_text().replace("// [id:demo-image]", "// [id:demo-image-renamed]"))
    sync_content(load(demo_root), now=later(hours=1))
    state = ReviewState.objects.get()
    assert state.card.retired_at is not None and ReviewLog.objects.count() == 1
    assert not ReviewState.objects.live().exists()  # hidden from study, kept in history


@pytest.mark.django_db(transaction=True)
def test_two_tabs_rating_at_once_record_one_review(learner, cards):
    """Real concurrency: two threads, two connections, the same shown card."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def tab(rating):
        try:
            barrier.wait()
            results.append(services.record_review(user=learner, kind="card", item_id=cards[0].pk, revision=0, rating=rating, now=NOW))
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=tab, args=(r,)) for r in (1, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.recorded for r in results) == [False, True]
    assert ReviewLog.objects.count() == 1
    state = ReviewState.objects.get()
    assert state.revision == 1 and state.reps == 1


# Cloze siblings: the demo's "demo-registry" cloze makes two cards, demo-registry/c1 and /c2.
TOMORROW_4AM = NOW.replace(hour=4) + timedelta(days=1)  # the learner is on UTC; days start at 4 a.m.


@pytest.fixture
def cloze(cards):
    by_key = {card.source_key: card for card in cards}
    return by_key["demo-registry/c1"], by_key["demo-registry/c2"]


@pytest.mark.parametrize(
    ("key", "prefix"), [("demo-registry/c1", "demo-registry/"), ("demo-registry/c12", "demo-registry/"), ("demo-image", None)]
)
def test_siblings_are_the_cards_of_one_cloze(key, prefix):
    assert services.sibling_prefix(key) == prefix


def test_reviewing_one_cloze_card_buries_its_new_sibling_until_the_next_study_day(learner, cloze):
    c1, c2 = cloze
    rate(learner, c1, 3)
    sibling = ReviewState.objects.get(user=learner, card=c2)
    assert (sibling.state, sibling.buried_until) == ("new", TOMORROW_4AM)
    assert ReviewLog.objects.get().buried_siblings == [c2.pk]
    topic = c2.note.topic_id
    assert queue.counts(learner, now=later(seconds=1), topic_id=topic).new == 1  # demo-image only
    assert queue.counts(learner, now=TOMORROW_4AM, topic_id=topic).new == 2  # c2 is back


def test_a_review_sibling_due_today_is_buried_but_one_in_learning_is_not(learner, cloze):
    c1, c2 = cloze
    rate(learner, c2, 4)  # Easy: a review, due in days
    ReviewState.objects.filter(card=c2).update(due=NOW)
    rate(learner, c1, 3, at=later(minutes=1))
    assert ReviewState.objects.get(card=c2).buried_until == TOMORROW_4AM
    # c1 is now learning: reviewing c2 again (after the bury) leaves c1 where it is.
    ReviewState.objects.filter(card=c2).update(buried_until=None)
    rate(learner, c2, 3, at=later(minutes=2))
    assert ReviewState.objects.get(card=c1).buried_until is None


def test_a_suspended_sibling_stays_as_it_is(learner, cloze):
    c1, c2 = cloze
    services.set_suspended(user=learner, kind="card", item_id=c2.pk, suspended=True, now=NOW)
    rate(learner, c1, 3)
    state = ReviewState.objects.get(card=c2)
    assert state.suspended and state.buried_until is None
    assert ReviewLog.objects.get().buried_siblings == []


def test_a_basic_card_has_no_siblings_to_bury(learner, cards):
    rate(learner, cards[0], 3)
    assert ReviewState.objects.count() == 1 and ReviewLog.objects.get().buried_siblings == []


def test_the_setting_turns_burying_siblings_off(learner, cloze):
    from studyapp.srs.models import ReviewSettings

    ReviewSettings.objects.create(user=learner, bury_siblings=False)
    c1, c2 = cloze
    rate(learner, c1, 3)
    assert not ReviewState.objects.filter(card=c2).exists()
    assert queue.counts(learner, now=later(seconds=1), topic_id=c2.note.topic_id).new == 2  # demo-image and c2


def test_a_cloze_a_load_gave_another_card_buries_that_one_too(learner, cloze, demo_root):
    c1, c2 = cloze
    rate(learner, c1, 3)  # c1's siblings read: c2
    note = demo_root / "demo" / "01-containers.md"
    note.write_text(note.read_text().replace("{{c2::container images}}.", "{{c2::container images}} in {{c3::repositories}}."))
    result = load(demo_root)
    assert result.ok, result.problems
    sync_content(result, now=later(hours=1))
    c3 = Card.objects.get(source_key="demo-registry/c3")
    rate(learner, c1, 3, at=TOMORROW_4AM + timedelta(hours=1))
    assert ReviewLog.objects.latest("pk").buried_siblings == sorted([c2.pk, c3.pk])
    assert ReviewState.objects.get(user=learner, card=c3).buried_until is not None


def test_undoing_the_review_unburies_the_siblings_it_buried(learner, cloze):
    c1, c2 = cloze
    rate(learner, c1, 3)
    services.undo_last_review(user=learner, now=later(minutes=1))
    assert ReviewState.objects.get(card=c2).buried_until is None
    assert queue.counts(learner, now=later(minutes=2), topic_id=c2.note.topic_id).new == 3


# Actions (bury, suspend, flag, reset) are logged like reviews: appended, undone by appending.
def test_undo_takes_back_a_bury_a_suspend_and_a_flag_newest_first(learner, cards):
    from studyapp.srs.models import ItemAction, UndoneAction

    rate(learner, cards[0], 3)
    services.set_flag(user=learner, kind="card", item_id=cards[0].pk, flagged=True, now=later(minutes=1))
    services.bury(user=learner, kind="card", item_id=cards[1].pk, now=later(minutes=2))
    services.set_suspended(user=learner, kind="card", item_id=cards[3].pk, suspended=True, now=later(minutes=3))
    logged = list(ItemAction.objects.values().order_by("pk"))
    assert [a["kind"] for a in logged] == ["flag", "bury", "suspend"]
    assert logged[1]["before"] == {"buried_until": None} and logged[1]["after"] == {"buried_until": TOMORROW_4AM.isoformat()}

    undo = [services.undo_last_change(user=learner, now=later(minutes=4 + n)) for n in range(4)]
    assert [(u.kind, u.count) for u in undo] == [("suspend", 1), ("bury", 1), ("flag", 1), ("review", 1)]
    assert services.undo_last_change(user=learner, now=later(minutes=9)) is None
    states = {s.card_id: s for s in ReviewState.objects.filter(user=learner)}
    assert not states[cards[3].pk].suspended and states[cards[1].pk].buried_until is None and not states[cards[0].pk].flagged
    assert states[cards[0].pk].state == "new"
    assert list(ItemAction.objects.values().order_by("pk")) == logged  # never rewritten
    assert UndoneAction.objects.count() == 3


def test_an_action_that_changes_nothing_is_not_logged(learner, cards):
    from studyapp.srs.models import ItemAction

    services.set_flag(user=learner, kind="card", item_id=cards[0].pk, flagged=False, now=NOW)
    assert not ItemAction.objects.exists()
    assert services.undo_last_change(user=learner, now=NOW) is None


def test_undo_leaves_an_item_changed_since_in_its_newer_state(learner, cards):
    services.set_suspended(user=learner, kind="card", item_id=cards[0].pk, suspended=True, now=NOW)
    ReviewState.objects.filter(card=cards[0]).update(suspended=False)  # another tab, outside the log
    undone = services.undo_last_change(user=learner, now=later(minutes=1))
    assert (undone.kind, undone.count) == ("suspend", 0)
    assert not ReviewState.objects.get(card=cards[0]).suspended


def test_a_bulk_change_is_one_batch_taken_back_by_one_undo(learner, cards, question):
    other = UserFactory()
    for card in cards[:3]:
        services.set_suspended(user=learner, kind="card", item_id=card.pk, suspended=True, now=NOW)
    services.set_suspended(user=other, kind="card", item_id=cards[0].pk, suspended=True, now=NOW)
    ids = list(ReviewState.objects.values_list("pk", flat=True))  # the other learner's too
    assert services.bulk_change(user=learner, state_ids=ids, kind="unsuspend", now=later(minutes=1)) == 3
    assert ReviewState.objects.get(user=other).suspended  # untouched
    assert ReviewState.objects.filter(user=learner, suspended=True).count() == 0
    undone = services.undo_last_change(user=learner, now=later(minutes=2))
    assert (undone.kind, undone.count) == ("unsuspend", 3)
    assert ReviewState.objects.filter(user=learner, suspended=True).count() == 3


def test_reset_makes_cards_new_and_keeps_a_missed_question_due(learner, cards, question):
    for _ in range(2):
        rate(learner, cards[0], 4, at=later(days=30 * _))
    ReviewState.objects.filter(card=cards[0]).update(leech=True, flagged=True)
    services.enqueue_question(user=learner, question=question, now=NOW)
    ids = list(ReviewState.objects.filter(user=learner).values_list("pk", flat=True))
    assert services.bulk_change(user=learner, state_ids=ids, kind="reset", now=later(days=61)) == 2
    card_state = ReviewState.objects.get(card=cards[0])
    assert (card_state.state, card_state.reps, card_state.due, card_state.leech, card_state.flagged) == ("new", 0, None, False, True)
    assert ReviewState.objects.get(question=question).due == later(days=61)
    assert ReviewLog.objects.filter(review_state=card_state).count() == 2  # the history stays
    services.undo_last_change(user=learner, now=later(days=62))
    assert ReviewState.objects.get(card=cards[0]).reps == 2


def test_bulk_change_refuses_other_actions(learner):
    with pytest.raises(ValueError):
        services.bulk_change(user=learner, state_ids=[1], kind="suspend", now=NOW)


def test_undo_with_the_change_it_names_undoes_it_once(learner, cards):
    rate(learner, cards[0], 3)
    rate(learner, cards[1], 3, at=later(minutes=1))
    token = queue.undo_token(learner)
    assert services.undo_last_change(user=learner, now=later(minutes=2), expected=token) == services.Undone(kind="review", count=1)
    with pytest.raises(services.AlreadyUndone):
        services.undo_last_change(user=learner, now=later(minutes=3), expected=token)
    assert ReviewLog.objects.filter(undo__isnull=True).count() == 1
    assert queue.undo_token(learner) != token
