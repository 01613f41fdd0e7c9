"""A newcomer's first visit, in a real browser: read, search, sign up, log out; axe-core on every page."""

import re

from playwright.sync_api import expect

from .conftest import WatchedPage, axe_violations, screenshot


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
