"""The calculator inside the Lambda note: type, watch the bill change, open the shared URL."""

import re

from playwright.sync_api import expect

from .conftest import WatchedPage, axe_violations, screenshot


def test_embedded_calculator_updates_as_you_type_and_shares_its_url(live_server, course, page: WatchedPage):
    page.goto(live_server.url + "/courses/compute/lambda/")
    calculator = page.locator("#calculator-lambda")
    calculator.scroll_into_view_if_needed()
    breakdown = page.locator("#breakdown-lambda")
    expect(breakdown).to_contain_text("Total per month")  # loaded lazily, when scrolled into view
    calculator.get_by_label("Requests (on demand)").fill("3000000")
    calculator.get_by_label("Duration (ms)").fill("120")
    calculator.get_by_label("Memory (MB)").fill("1536")
    expect(breakdown).to_contain_text("$2.73")
    expect(breakdown).to_contain_text("140,000 GB-s")
    screenshot(page, "30-note-calculator")
    assert axe_violations(page) == []

    breakdown.get_by_role("link", name="Open this scenario in the full calculator").click()
    page.wait_for_url(re.compile(r"/pricing/lambda/\?.*requests=3000000"), wait_until="load")
    expect(page.locator("#breakdown")).to_contain_text("$2.73")
    page.get_by_label("Architecture").select_option("arm64")
    expect(page.locator("#breakdown")).not_to_contain_text("$2.73")
    expect(page).to_have_url(re.compile(r"architecture=arm64"))  # the URL keeps up with the inputs
    total = page.locator(".breakdown .total").inner_text()
    page.reload()
    expect(page.locator(".breakdown .total")).to_have_text(total)
    screenshot(page, "31-calculator-page")
    assert axe_violations(page) == []
    assert page.console_errors == []
