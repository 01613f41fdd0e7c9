"""A newcomer's first visit, in a real browser: read, search, sign up, log out; axe-core on every page."""

import re

from playwright.sync_api import expect

from .conftest import SHOTS, WatchedPage, axe_violations, screenshot


def check_page(page: WatchedPage, name: str) -> None:
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert page.console_errors == [], page.console_errors  # e.g. a script or style blocked by the CSP


def test_newcomer_reads_searches_signs_up_and_logs_out(live_server, course, page: WatchedPage):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compute")
    check_page(page, "01-home")

    page.get_by_role("link", name="AWS Fargate", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fargate")
    expect(page.get_by_role("navigation", name="On this page")).to_be_visible()
    first_card = page.locator(".flashcard summary").first
    first_card.click()
    expect(page.locator(".flashcard details").first).to_have_attribute("open", "")
    check_page(page, "02-note")

    page.get_by_role("link", name=re.compile("Next")).click()
    expect(page).to_have_url(re.compile(r"/courses/compute/ecr/$"))

    page.get_by_role("searchbox", name="Search the course").fill("fargate")
    page.get_by_role("searchbox", name="Search the course").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=fargate"))
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.locator(".hit mark").first).to_have_text(re.compile("fargate", re.I))
    check_page(page, "03-search")

    # Results as you type: htmx swaps only the results and keeps the URL in step.
    box = page.get_by_role("searchbox", name="Words to find in notes, flashcards and questions")
    box.fill("")
    box.press_sequentially("lightsai", delay=30)
    expect(page.locator(".result-count")).to_contain_text("lightsai")
    expect(page).to_have_url(re.compile(r"q=lightsai"))

    page.get_by_role("link", name="Sign up").click()
    check_page(page, "04-signup")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_label("Password", exact=True).fill("a-Strong-pass-2026")
    page.get_by_label("Password confirmation").fill("a-Strong-pass-2026")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome, newcomer!")
    expect(page.get_by_text(re.compile(r"\d+ of \d+ notes? read")).first).to_be_visible()
    check_page(page, "05-home-signed-in")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    check_page(page, "06-login")


def test_dark_mode_follows_the_system_and_stays_accessible(live_server, course, dark_page: WatchedPage):
    dark_page.goto(live_server.url + "/courses/compute/lambda/")
    background = dark_page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 20, 15)"
    check_page(dark_page, "07-note-dark")


def test_without_javascript_search_is_a_plain_form(live_server, course, no_js_page: WatchedPage):
    no_js_page.goto(live_server.url + "/search/")
    no_js_page.get_by_role("searchbox", name="Words to find in notes, flashcards and questions").fill("ecr")
    no_js_page.get_by_role("button", name="Search").last.click()
    expect(no_js_page).to_have_url(re.compile(r"/search/\?q=ecr"))
    expect(no_js_page.locator(".hit").first).to_be_visible()


def test_phone_layout_has_no_horizontal_scroll(live_server, course, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ["/", "/courses/compute/api-gateway/", "/search/?q=lambda"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
    screenshot(page, "08-phone-note")
    context.close()


def test_header_search_box_shows_results_as_you_type(live_server, course, page: WatchedPage):
    page.goto(live_server.url + "/quiz/")
    box = page.get_by_role("searchbox", name="Search the course")
    box.press_sequentially("lamda", delay=30)
    expect(page.locator("#header-results")).to_contain_text("Did you mean lambda?")
    box.fill("")
    box.press_sequentially("lambda pricing", delay=30)
    results = page.locator("#header-results")
    expect(results.get_by_role("link", name=re.compile("AWS Lambda pricing calculator"))).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("All results for"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/quiz/$"))  # the page stays where it was
    check_page(page, "40-header-search")
    results.get_by_role("link", name=re.compile("All results for")).click()
    expect(page).to_have_url(re.compile(r"/search/\?q=lambda(\+|%20)pricing"))
    expect(page.get_by_role("link", name="AWS Lambda \u203a Pricing")).to_have_attribute("href", "/courses/compute/lambda/#pricing")
    page.goto(live_server.url + "/search/?q=ECS+vs+lamda")
    expect(page.locator(".suggestion")).to_contain_text("Did you mean ecs lambda?")
    check_page(page, "44-search-did-you-mean")


def test_logout_by_address_asks_then_says_so(live_server, course, page: WatchedPage):
    from tests.factories import UserFactory

    UserFactory(username="leaver")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("leaver")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/accounts/logout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log out")
    check_page(page, "41-logout")
    page.get_by_role("main").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")


def test_a_note_counts_as_read_when_its_end_comes_into_view(live_server, course, page: WatchedPage):
    from studyapp.content.models import NoteRead
    from tests.factories import UserFactory

    UserFactory(username="reader")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/courses/compute/lambda/")
    expect(page.get_by_role("button", name="Mark as read")).to_be_attached()
    assert not NoteRead.objects.exists()  # opening it is not reading it
    form = page.locator("#note-read")
    assert form.evaluate("f => f.getBoundingClientRect().top") < page.locator(".note-footer").evaluate(
        "f => f.getBoundingClientRect().top"
    )  # the form ends the text, above the sources, however long their list
    page.locator(".note-body").evaluate("b => b.lastElementChild.scrollIntoView()")  # the last lines of the text
    expect(page.get_by_text("You have read this note.")).to_be_visible()
    assert NoteRead.objects.count() == 1
    assert axe_violations(page) == []


def test_on_a_phone_a_note_opens_on_its_title_and_first_paragraph_and_the_calendar_scrolls(live_server, course, browser):
    from tests.factories import UserFactory

    UserFactory(username="phone")
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/courses/compute/fargate/")
    first = page.locator(".note-body > p").first
    box = first.bounding_box()
    assert box is not None and box["y"] + 120 <= 740, box  # its first lines on the first screen
    expect(page.locator(".toc-compact")).not_to_have_attribute("open", "")
    expect(page.locator(".toc-wide")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "42-phone-note-first-screen.png"))  # the first screen only
    assert axe_violations(page) == []
    page.locator(".toc-compact summary").click()
    expect(page.locator(".toc-compact").get_by_role("link").first).to_be_visible()

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("phone")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/study/stats/")
    wrap = page.locator(".heatmap-wrap")
    right = wrap.evaluate("el => el.getBoundingClientRect().right")
    assert right <= 375, right  # the calendar's box stays on the screen and scrolls inside it when wider
    assert wrap.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    empty = wrap.locator(".chart-empty")  # a new learner: the empty calendar says so where it can be read
    box = empty.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no table pushes the page sideways
    screenshot(page, "43-phone-stats")
    context.close()


def test_sign_up_defaults_to_the_browsers_time_zone(live_server, course, browser):
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    assert page.locator("#id_time_zone optgroup[label='Asia'] option[value='Asia/Tokyo']").count() == 1
    assert axe_violations(page) == [] and errors == []  # the script runs under the CSP
    context.close()


def test_without_javascript_sign_up_keeps_utc(live_server, course, no_js_page: WatchedPage):
    no_js_page.goto(live_server.url + "/accounts/signup/")
    expect(no_js_page.get_by_label("Time zone")).to_have_value("UTC")
