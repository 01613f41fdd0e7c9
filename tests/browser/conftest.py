"""Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from apt (``make test`` installs it); never ``playwright install``.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop running in this thread while Django's ORM calls in
    # the fixtures stay synchronous. `make test` runs the browser tests in their own pytest process.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def course(transactional_db):
    """The real course, loaded into the live server's database."""
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)


def _expected(text: str) -> bool:
    """htmx logs a request it cancelled on purpose (hx-sync="this:replace" while typing, or a lazy
    load whose element was swapped away) as an error; nothing is wrong then."""
    return text.startswith(("htmx:sendAbort", "htmx:afterRequest"))


class WatchedPage(Page):
    """For type checking only: the fixtures' pages are Playwright pages that also keep the console
    errors they logged in ``console_errors``."""

    console_errors: list[str]


def _page(browser: Browser, **options) -> Iterator[WatchedPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = cast(WatchedPage, context.new_page())
    page.console_errors = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error" and not _expected(message.text):
            page.console_errors.append(message.text)

    page.on("console", record)
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[WatchedPage]:
    yield from _page(browser)


@pytest.fixture
def dark_page(browser: Browser) -> Iterator[WatchedPage]:
    yield from _page(browser, color_scheme="dark")


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[WatchedPage]:
    yield from _page(browser, java_script_enabled=False)


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    assert AXE.exists(), f"{AXE} is missing: run `make test` (it installs axe-core from npm)"
    page.evaluate(AXE.read_text())  # evaluated by the driver, so the page's CSP does not block it
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def log_in(page: Page, base: str, username: str, next_url: str) -> None:
    """Sign in as ``username`` through the login page, landing on ``next_url``."""
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
