"""A learner studies by keyboard only, then looks at the statistics; axe-core on each screen."""

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from studyapp.accounts.models import User
from studyapp.content.models import Card
from studyapp.srs import services
from studyapp.srs.models import ReviewLog, ReviewState
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, screenshot


def log_in(page: Page, base: str, next_url: str) -> None:
    UserFactory(username="keyboard")
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("keyboard")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def test_a_whole_session_by_keyboard(live_server, course, page: WatchedPage):
    log_in(page, live_server.url, "/study/")
    expect(page.get_by_role("heading", name="Study", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Study Amazon Lightsail").click()  # one topic's cards
    page.wait_for_url(re.compile("topic=lightsail"), wait_until="load")  # the keyboard script is loaded
    expect(page.locator(".study-scope")).to_contain_text("Amazon Lightsail")

    for number in range(3):
        expect(page.locator(".flip")).to_be_visible()  # a card's front
        page.keyboard.press("Space")
        expect(page.locator(".grade-form")).to_be_visible()
        if number == 0:
            expect(page.locator(".grade-3 .grade-interval")).to_have_text("10m")
            screenshot(page, "10-study-back")
            assert axe_violations(page) == []
        page.keyboard.press("3")
        expect(page.locator(".queue-counts")).to_contain_text(f"{number + 1} learning")  # htmx swapped in the next card

    assert ReviewLog.objects.count() == 3
    page.keyboard.press("u")  # undo the third review: that card is shown again
    expect(page.locator(".queue-counts")).to_contain_text("2 learning")
    expect(page.locator(".flip")).to_be_visible()
    assert ReviewLog.objects.filter(undo__isnull=True).count() == 2
    page.keyboard.press("Space")
    expect(page.locator(".grade-form")).to_be_visible()
    page.keyboard.press("1")
    expect(page.locator(".queue-counts")).to_contain_text("3 learning")
    assert ReviewState.objects.filter(state="learning").count() == 3
    assert page.console_errors == []

    page.get_by_role("link", name="Flashcards").click()
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="Statistics")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(3)
    screenshot(page, "11-stats")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_without_javascript_studying_is_plain_forms(live_server, course, no_js_page: WatchedPage):
    log_in(no_js_page, live_server.url, "/study/review/")
    no_js_page.get_by_role("link", name=re.compile("Show answer")).click()
    no_js_page.get_by_role("button", name=re.compile("^Good")).click()
    expect(no_js_page).to_have_url(re.compile(r"/study/review/$"))
    assert ReviewLog.objects.get().rating == 3


def test_settings_and_leeches_pages_are_accessible(live_server, course, page: WatchedPage):
    log_in(page, live_server.url, "/study/settings/")
    expect(page.get_by_role("heading", name="Study settings")).to_be_visible()
    page.get_by_label("Desired retention").fill("0.99")
    page.get_by_role("main").get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("less than or equal to 0.97")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(live_server.url + "/study/leeches/")
    expect(page.get_by_role("heading", name="Leeches")).to_be_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_card_actions_keep_working_one_after_another(live_server, course, page: WatchedPage):
    """Flag, remove the flag, bury, suspend: each answer of the server carries working forms, and
    its message shows at once (out of band), not on the next full page."""
    log_in(page, live_server.url, "/study/review/")
    page.wait_for_url(re.compile("/study/review/$"), wait_until="load")
    actions = page.locator(".card-actions")
    messages = page.locator("#messages")
    actions.get_by_role("button", name="Flag", exact=True).click()
    expect(messages).to_contain_text("Flagged.")
    expect(actions.get_by_role("button", name="Remove flag")).to_be_visible()
    assert ReviewState.objects.get().flagged

    actions.get_by_role("button", name="Remove flag").click()
    expect(messages).to_contain_text("Flag removed.")
    expect(actions.get_by_role("button", name="Flag", exact=True)).to_be_visible()
    assert not ReviewState.objects.get().flagged

    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
    )  # as a person would: after the swap
    page.keyboard.press("Space")  # the back: the actions work there too
    expect(page.locator(".grade-form")).to_be_visible()
    actions.get_by_role("button", name="Bury until tomorrow").click()
    expect(messages).to_contain_text("Buried until tomorrow.")
    expect(page.locator(".flip")).to_be_visible()  # the next card's front
    assert ReviewState.objects.filter(buried_until__isnull=False).count() == 1

    actions.get_by_role("button", name="Suspend").click()
    expect(messages).to_contain_text("Suspended")
    assert ReviewState.objects.filter(suspended=True).count() == 1
    assert ReviewState.objects.count() == 2
    expect(page).to_have_url(re.compile("/study/review/$"))
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_chart_values_show_on_focus_and_the_arrow_keys_move_along(live_server, course, page: WatchedPage):
    log_in(page, live_server.url, "/study/stats/")
    expect(page.get_by_role("heading", name="Statistics")).to_be_visible()
    expect(page.locator("svg.chart").first).to_contain_text("No data yet")  # nothing reviewed yet
    user = User.objects.get(username="keyboard")
    for card in Card.objects.order_by("position")[:3]:
        services.record_review(user=user, kind="card", item_id=card.pk, revision=0, rating=3, now=timezone.now())
    page.reload(wait_until="load")
    reviews = page.locator("svg.chart").first
    first = reviews.locator(".chart-point").first
    first.focus()
    expect(first.locator(".chart-tip")).to_have_css("opacity", "1")
    page.keyboard.press("End")  # today: the last bar
    last = reviews.locator(".chart-point").last
    expect(last).to_be_focused()
    expect(last).to_have_attribute("aria-label", re.compile(r": 3 reviews$"))
    page.keyboard.press("ArrowLeft")
    expect(reviews.locator(".chart-point").nth(88)).to_be_focused()
    today = page.locator("svg.heatmap .chart-point[tabindex='0']")
    today.focus()
    expect(page.locator("svg.heatmap .chart-readout")).to_contain_text("3 reviews")
    page.keyboard.press("ArrowUp")  # the day before
    expect(page.locator("svg.heatmap .chart-readout")).to_contain_text("0 reviews")
    screenshot(page, "12-stats-chart-focus")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_card_browser_filters_and_changes_several_cards(live_server, course, page: WatchedPage):
    """Filters update the list in place (and the URL); a bulk unsuspend keeps the filters; Undo on
    the review screen takes it back. axe-core on the page."""
    log_in(page, live_server.url, "/study/cards/")
    user = User.objects.get(username="keyboard")
    cards = list(Card.objects.order_by("position")[:12])
    for card in cards[:6]:
        services.record_review(user=user, kind="card", item_id=card.pk, revision=0, rating=3, now=timezone.now())
    for card in cards[6:9]:
        services.set_suspended(user=user, kind="card", item_id=card.pk, suspended=True, now=timezone.now())
    services.set_flag(user=user, kind="card", item_id=cards[0].pk, flagged=True, now=timezone.now())
    page.reload(wait_until="load")
    expect(page.get_by_role("heading", name="Card browser")).to_be_visible()
    expect(page.locator(".result-count")).to_contain_text(re.compile(r"^\d+ items"))
    assert axe_violations(page) == []

    page.get_by_label("Suspended").check()  # htmx: the list only
    expect(page.locator(".result-count")).to_have_text("3 items")
    expect(page).to_have_url(re.compile(r"suspended=on"))
    page.get_by_role("checkbox", name=re.compile("^Tick")).first.check()
    page.get_by_role("checkbox", name=re.compile("^Tick")).nth(1).check()
    page.get_by_role("button", name="Unsuspend").click()
    expect(page.locator("#messages")).to_contain_text("Unsuspend: 2 items changed.")
    expect(page.locator(".result-count")).to_have_text("1 item")  # still filtered
    assert ReviewState.objects.filter(user=user, suspended=True).count() == 1
    page.get_by_label("Suspended").uncheck()
    page.get_by_label("Search your cards").fill("daemon")
    expect(page.locator(".result-count")).to_have_text("2 items")
    expect(page).to_have_url(re.compile(r"q=daemon"))
    screenshot(page, "13-card-browser")
    assert axe_violations(page) == []

    page.goto(live_server.url + "/study/cards/?suspended=on", wait_until="load")  # kept in the learner's page cache
    expect(page.locator(".result-count")).to_have_text("1 item")
    page.goto(live_server.url + "/study/review/", wait_until="load")
    page.keyboard.press("u")  # takes back the bulk unsuspend, both cards at once
    expect(page.locator("#messages")).to_contain_text("Undone: suspended again.")
    assert ReviewState.objects.filter(user=user, suspended=True).count() == 3
    page.goto(live_server.url + "/study/cards/?suspended=on", wait_until="load")
    expect(page.locator(".result-count")).to_have_text("3 items")  # the undo reached the page kept before
    assert page.console_errors == []
