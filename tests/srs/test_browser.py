"""The card browser (srs.browser and its views), with and without htmx."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateNotUsed, assertTemplateUsed

from studyapp.content.models import Card, Note
from studyapp.core import pagecache, versions
from studyapp.questions.services import VERSION as QUESTIONS_VERSION
from studyapp.srs import services
from studyapp.srs.browser import Filters, browse
from studyapp.srs.models import ReviewState
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import later, rate

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def signed_in(client, learner, demo_course):
    client.force_login(learner)
    return client


@pytest.fixture
def queue_of(learner, cards, question):
    """One item of each kind of mark: a learning card, a suspended one, a flagged one, a buried one,
    a leech, and a missed question."""
    rate(learner, cards[0], 3)
    services.set_suspended(user=learner, kind="card", item_id=cards[1].pk, suspended=True, now=NOW)
    services.set_flag(user=learner, kind="card", item_id=cards[2].pk, flagged=True, now=NOW)
    services.bury(user=learner, kind="card", item_id=cards[3].pk, now=NOW)
    services.enqueue_question(user=learner, question=question, now=NOW)
    ReviewState.objects.filter(card=cards[2]).update(leech=True)
    return {state.card_id or state.question_id: state for state in ReviewState.objects.filter(user=learner)}


def keys(states) -> set[str]:
    return {s.card.source_key if s.card else s.question.source_key for s in states}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), {"demo-image", "demo-registry/c1", "demo-registry/c2", "demo-lambda-price", "QUESTION"}),
        (Filters(suspended=True), {"demo-registry/c1"}),
        (Filters(flagged=True), {"demo-registry/c2"}),
        (Filters(leech=True), {"demo-registry/c2"}),
        (Filters(buried=True), {"demo-lambda-price"}),
        (Filters(state="learning"), {"demo-image"}),
        (Filters(query="READ-ONLY template"), {"demo-image"}),  # every word, case-insensitive, front or back
        (Filters(query="ECR"), {"demo-registry/c1", "demo-registry/c2"}),
        (Filters(query="nothing-like-this"), set()),
    ],
)
def test_browse_searches_and_filters_the_learner_s_items(learner, queue_of, question, filters, expected):
    expected = {question.source_key if key == "QUESTION" else key for key in expected}
    assert keys(browse(learner, filters, now=later(seconds=1))) == expected


def test_browse_by_topic_and_never_anyone_else_s(learner, queue_of, cards):
    topic = cards[3].note.topic_id
    assert keys(browse(learner, Filters(topic_id=topic), now=NOW)) == {c.source_key for c in cards if c.note.topic_id == topic}
    assert list(browse(UserFactory(), Filters(), now=NOW)) == []


def test_visitors_are_sent_to_log_in(client):
    assertRedirects(client.get("/study/cards/"), "/accounts/login/?next=/study/cards/", fetch_redirect_response=False)


def test_the_page_lists_and_filters_with_and_without_htmx(signed_in, queue_of):
    page = signed_in.get("/study/cards/")
    assertTemplateUsed(page, "srs/cards.html")
    assertContains(page, "5 items")
    assertContains(page, "What is a container image?")
    assertContains(page, '<span class="mark-tag">Suspended</span>')
    assert "private" in page["Cache-Control"]
    fragment = signed_in.get("/study/cards/", {"flagged": "1"}, headers=HX)
    assertTemplateUsed(fragment, "cards")
    assertTemplateNotUsed(fragment, "base.html")
    assertContains(fragment, "1 item")
    assertNotContains(fragment, "What is a container image?")
    assertContains(fragment, '<input type="hidden" name="flagged" value="1">')  # the bulk form keeps the filters


def test_bad_filters_are_a_form_error_not_a_500(signed_in, queue_of):
    response = signed_in.get("/study/cards/", {"state": "bogus", "topic": "no-such-topic", "q": "x" * 300})
    assert response.status_code == 200
    assertContains(response, "Select a valid choice")
    assertNotContains(response, "What is a container image?")


def test_bulk_unsuspend_without_javascript_redirects_back_with_the_filters(signed_in, learner, queue_of, cards):
    state = queue_of[cards[1].pk]
    response = signed_in.post("/study/cards/bulk/", {"action": "unsuspend", "ids": [state.pk], "suspended": "1", "page": "1"})
    assertRedirects(response, "/study/cards/?suspended=1&page=1", fetch_redirect_response=False)
    assert not ReviewState.objects.get(pk=state.pk).suspended
    assertContains(signed_in.get(response.url), "Unsuspend: 1 item changed.")


def test_bulk_with_htmx_returns_the_list_and_its_message(signed_in, learner, queue_of, cards):
    flagged = queue_of[cards[2].pk]
    response = signed_in.post("/study/cards/bulk/", {"action": "unflag", "ids": [flagged.pk], "flagged": "1"}, headers=HX)
    assertTemplateUsed(response, "cards")
    assertContains(response, "0 items")
    assertContains(response, 'hx-swap-oob="innerHTML"><p class="message message-success">Remove flag: 1 item changed.')
    assert not ReviewState.objects.get(pk=flagged.pk).flagged


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "unflag"}, "Tick at least one card first."),
        ({"action": "delete", "ids": ["1"]}, "Choose unsuspend, remove flag, unbury or reset."),
        ({"action": "unflag", "ids": ["1x"]}, "Tick up to 500 cards"),
        ({"action": "unflag", "ids": ["9" * 30]}, "Tick up to 500 cards"),
    ],
)
def test_bad_bulk_posts_are_form_errors(signed_in, queue_of, data, error):
    response = signed_in.post("/study/cards/bulk/", data)
    assert response.status_code == 200
    assertContains(response, error)


def test_bulk_never_touches_another_learner_s_items(client, queue_of, cards):
    other = UserFactory()
    client.force_login(other)
    client.post("/study/cards/bulk/", {"action": "reset", "ids": [s.pk for s in queue_of.values()]})
    assert ReviewState.objects.get(card=cards[0]).state == "learning"
    assert ReviewState.objects.get(card=cards[1]).suspended


def test_bulk_reset_then_undo_on_the_review_screen(signed_in, learner, queue_of, cards):
    learning = queue_of[cards[0].pk]
    signed_in.post("/study/cards/bulk/", {"action": "reset", "ids": [learning.pk]})
    assert ReviewState.objects.get(pk=learning.pk).state == "new"
    response = signed_in.post("/study/review/undo/", headers=HX)
    assertContains(response, "Undone: the cards")
    assert ReviewState.objects.get(pk=learning.pk).state == "learning"


def test_undo_takes_back_a_flag_from_the_review_screen(signed_in, learner):
    card = re.search(r'action="/study/items/card/(\d+)/flag/"', signed_in.get("/study/review/").content.decode()).group(1)
    signed_in.post(f"/study/items/card/{card}/flag/", {"next": "/study/review/"})
    page = signed_in.get("/study/review/")
    assertContains(page, "Undo <kbd>U</kbd>")  # no review yet, but a flag to take back
    response = signed_in.post("/study/review/undo/", headers=HX)
    assertContains(response, "Undone: flag removed.")
    assertContains(response, f'action="/study/items/card/{card}/flag/"')
    assert not ReviewState.objects.get(user=learner).flagged


def test_pages_of_fifty_keep_the_filters(signed_in, learner, demo_course):
    note = Note.objects.first()
    Card.objects.bulk_create(
        Card(
            course=demo_course,
            note=note,
            source_key=f"many-{n}",
            kind="basic",
            front_html=f"<p>Many {n}</p>",
            back_html="",
            position=1000 + n,
            checksum="x",
        )
        for n in range(60)
    )
    ReviewState.objects.bulk_create(
        ReviewState(user=learner, card=c, added_at=NOW, flagged=True) for c in Card.objects.filter(source_key__startswith="many-")
    )
    first = signed_in.get("/study/cards/", {"flagged": "1"})
    assertContains(first, "60 items, page 1 of 2")
    assertContains(first, 'href="/study/cards/?flagged=1&amp;page=2"')
    second = signed_in.get("/study/cards/", {"flagged": "1", "page": "2"}, headers=HX)
    assertContains(second, "page 2 of 2")
    assert second.content.decode().count('name="ids"') == 10


# Counted outside a test transaction, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_browser_takes_at_most_five_queries_with_5000_items(signed_in, learner, demo_course):
    note = Note.objects.first()
    Card.objects.bulk_create(
        (
            Card(
                course=demo_course,
                note=note,
                source_key=f"bulk-{n}",
                kind="basic",
                front_html=f"<p>Front {n}</p>",
                back_html="",
                position=1000 + n,
                checksum="x",
            )
            for n in range(5000)
        ),
        batch_size=1000,
    )
    ReviewState.objects.bulk_create(
        (
            ReviewState(user=learner, card=c, added_at=NOW, state="review", due=later(days=c.pk % 30), stability=5, difficulty=5)
            for c in Card.objects.filter(source_key__startswith="bulk-")
        ),
        batch_size=1000,
    )
    for params, headers in (({}, {}), ({"q": "front 4", "state": "review"}, HX), ({"page": "40"}, HX)):
        with CaptureQueriesContext(connection) as queries:
            response = signed_in.get("/study/cards/", params, headers=headers)
        assert response.status_code == 200
        statements = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))]
        assert len(statements) <= 5, statements
    assertContains(response, "5000 items, page 40 of 100")


# --- the learner's cached pages (core.pagecache.signed_in_page) -----------------------------------


def _reads_states(client, url="/study/cards/", **kwargs) -> tuple[str, bool]:
    """The page at ``url``, and whether building it read the learner's review states."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode(), any("srs_reviewstate" in q["sql"] for q in queries)


def _marks(page: str, source_text: str) -> str:
    """The row of the card whose text holds ``source_text``: its whole ``<tr>``."""
    rows = [row for row in page.split("<tr>") if source_text in row]
    assert len(rows) == 1, rows
    return rows[0]


WRITES = {
    "review": lambda learner, cards, question, states: rate(learner, cards[0], 4, at=timezone.now()),
    "suspend": lambda learner, cards, question, states: services.set_suspended(
        user=learner, kind="card", item_id=cards[0].pk, suspended=True, now=timezone.now()
    ),
    "flag": lambda learner, cards, question, states: services.set_flag(
        user=learner, kind="card", item_id=cards[0].pk, flagged=True, now=timezone.now()
    ),
    "bury": lambda learner, cards, question, states: services.bury(user=learner, kind="card", item_id=cards[0].pk, now=timezone.now()),
    "bulk": lambda learner, cards, question, states: services.bulk_change(
        user=learner, state_ids=[states[cards[1].pk].pk], kind="unsuspend", now=timezone.now()
    ),
    "undo": lambda learner, cards, question, states: services.undo_last_change(user=learner, now=timezone.now()),
    "missed question": lambda learner, cards, question, states: (
        services.bulk_change(user=learner, state_ids=[states[question.pk].pk], kind="reset", now=timezone.now())
        and services.enqueue_question(user=learner, question=question, now=timezone.now())
    ),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_the_page_comes_from_the_cache_until_the_learner_s_cards_change(signed_in, learner, queue_of, cards, question, write):
    before, read = _reads_states(signed_in)
    assert read
    again, read = _reads_states(signed_in)
    assert _same(again) == _same(before) and not read  # served from the cache: no list query
    WRITES[write](learner, cards, question, queue_of)
    after, read = _reads_states(signed_in)
    assert read, f"{write}: the page was served from the cache after a change"
    assert _same(after) != _same(before) or write in {"undo", "missed question"}  # these two change nothing a row shows here


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _same(page: str) -> str:
    """``page`` without what every response has of its own: the CSRF token and the CSP nonce."""
    return re.sub(r'nonce="[^"]+"', "", page.replace(_token(page), ""))


def test_a_change_shows_at_once_on_the_page_the_learner_loaded_before(signed_in, learner, queue_of, cards):
    page, _ = _reads_states(signed_in)
    assert "Suspended" not in _marks(page, "What is a container image?")
    signed_in.post(f"/study/items/card/{cards[0].pk}/suspend/", {"next": "/study/cards/"})
    page, _ = _reads_states(signed_in)
    assert "Suspended" in _marks(page, "What is a container image?")


def test_two_learners_never_share_a_cached_page(client, learner, queue_of, demo_course):
    client.force_login(learner)
    mine, _ = _reads_states(client)
    assert "5 items" in mine
    client.force_login(UserFactory())
    theirs, read = _reads_states(client)
    assert read and "0 items" in theirs and learner.username not in theirs


def test_the_content_or_the_bank_changing_rebuilds_the_page(signed_in, learner, queue_of, cards, question):
    _reads_states(signed_in)
    Card.objects.filter(pk=cards[0].pk).update(retired_at=timezone.now())
    versions.bump("content")  # as a load that retires a card does
    page, read = _reads_states(signed_in)
    assert read and "4 items" in page
    question.status = "retired"
    question.save(update_fields=["status"])
    versions.bump(QUESTIONS_VERSION)  # as every write through questions.services does
    page, read = _reads_states(signed_in)
    assert read and "3 items" in page


def test_the_buried_filter_is_never_served_from_the_cache(signed_in, queue_of):
    _reads_states(signed_in, "/study/cards/?buried=1")
    _, read = _reads_states(signed_in, "/study/cards/?buried=1")
    assert read  # an item leaves it when the next study day starts, with no write to say so


def test_a_page_with_a_buried_mark_is_kept_only_until_the_mark_goes(signed_in, learner, queue_of, cards, monkeypatch):
    until = timezone.now() + timedelta(seconds=90)
    ReviewState.objects.filter(user=learner, card=cards[0]).update(buried_until=until)
    stored = []
    real_set = pagecache.cache.set

    def spy(key, value, timeout=None):
        stored.append(timeout)
        real_set(key, value, timeout)

    monkeypatch.setattr(pagecache.cache, "set", spy)
    page, _ = _reads_states(signed_in)
    assert "Buried" in _marks(page, "What is a container image?")
    assert stored and 0 < stored[-1] <= 90


def test_a_cached_page_carries_this_request_s_own_csrf_token(learner, queue_of, cards):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    browser.get("/study/cards/")
    cached, read = _reads_states(browser)
    assert not read
    state = queue_of[cards[1].pk]
    response = browser.post("/study/cards/bulk/", {"action": "unsuspend", "ids": [state.pk], "csrfmiddlewaretoken": _token(cached)})
    assert response.status_code == 302  # the token in the cached page is accepted
    assert not ReviewState.objects.get(pk=state.pk).suspended


def test_the_header_s_search_box_stays_empty_on_a_filtered_page(signed_in, queue_of):
    page = signed_in.get("/study/cards/", {"suspended": "on"}).content.decode()
    box = re.search(r'<input id="site-search"[^>]*>', page).group(0)
    assert 'value=""' in box  # the filters are the card browser's own, not a course search
