"""Writing review state: an append-only log, once per shown card, safe across tabs and reloads."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection

from studyapp.content.loader import load
from studyapp.content.models import Card
from studyapp.content.sync import sync_content
from studyapp.srs import services
from studyapp.srs.models import ReviewLog, ReviewState, UndoneReview
from tests.conftest import NOW

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
