"""The calculator inside the Lambda note: type, watch the bill change, open the shared URL."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

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


def test_live_update_marks_the_fields_at_fault_in_words_a_learner_reads(live_server, course, page: WatchedPage):
    page.goto(live_server.url + "/pricing/batch/")
    expect(page.locator("#breakdown")).to_contain_text("Total per month")
    page.get_by_label("Compute", exact=True).select_option("spot")
    spot = page.get_by_label("Spot price per hour")
    expect(spot).to_have_attribute("aria-invalid", "true")
    field = page.locator(".calc-field", has=spot)
    expect(field).to_contain_text("Spot price per hour is needed for Spot instances")
    expect(page.locator("#breakdown ul.field-errors")).not_to_contain_text("spot_hourly")
    expect(page.locator("#breakdown").get_by_role("link", name="Spot price per hour is needed for Spot instances")).to_be_visible()
    screenshot(page, "32-calculator-field-error")
    assert axe_violations(page) == []

    page.get_by_label("Instances").fill("0")
    instances = page.get_by_label("Instances")
    expect(instances).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".calc-field", has=instances)).to_contain_text("Instances must be at least 1")
    instances.fill("2")
    spot.fill("0.03")
    expect(page.locator("#breakdown")).to_contain_text("Total per month")
    expect(spot).not_to_have_attribute("aria-invalid", "true")
    expect(instances).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator(".calc-field.has-error")).to_have_count(0)
    assert page.console_errors == []


def test_comparison_updates_live_keeps_its_url_and_names_the_cheaper_option(live_server, course, page: WatchedPage):
    page.goto(live_server.url + "/pricing/compare/lambda-fargate/")
    verdict = page.locator("#verdict")
    expect(verdict).to_have_text("Lambda is cheaper: Fargate costs $29.82 more a month.")
    fargate = page.get_by_role("region", name="Second scenario: Fargate")
    fargate.get_by_label("Task runs").fill("0")
    expect(verdict).to_have_text("Fargate is cheaper: Lambda costs $5.73 more a month.")
    expect(page.locator("#bill-b")).to_contain_text("$0.00")
    expect(page).to_have_url(re.compile(r"b\.tasks=0"))  # the URL keeps up with the inputs
    fargate.get_by_label("vCPU").fill("3")
    expect(fargate.get_by_label("vCPU")).to_have_attribute("aria-invalid", "true")
    expect(verdict).to_contain_text("Fix the inputs marked below")
    fargate.get_by_label("vCPU").fill("1")
    expect(verdict).to_contain_text("Fargate is cheaper")
    expect(fargate.get_by_label("vCPU")).not_to_have_attribute("aria-invalid", "true")
    page.reload()
    expect(verdict).to_have_text("Fargate is cheaper: Lambda costs $5.73 more a month.")
    screenshot(page, "33-compare-live")
    assert axe_violations(page) == []
    assert page.console_errors == []


def _add(page: Page, service: str) -> None:
    page.get_by_label("Service", exact=True).select_option(label=service)
    page.get_by_role("button", name="Add to the estimate").click()
    expect(page.get_by_role("heading", name=re.compile(rf"\d\. {service}$"))).to_be_visible()


def _check_csv(page: Page, yearly: str) -> None:
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download as CSV").click()
    download = caught.value
    assert download.suggested_filename == "thumbnail-api.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert rows[0] == ["Service", "Item", "How it is worked out", "Monthly (USD)"]
    assert rows[-1] == ["Yearly total (12 months)", "", "", yearly]


def test_estimate_of_several_services_shares_its_url_and_downloads_as_csv(live_server, course, page: WatchedPage):
    page.goto(live_server.url + "/pricing/estimate/")
    expect(page.locator("#totals")).to_contain_text("No services yet")
    page.get_by_label("What the architecture is").fill("Thumbnail API")
    for service in ("Amazon API Gateway", "AWS Lambda", "Amazon ECR"):
        _add(page, service)
    gateway, function, registry_ = (page.locator(f"#line-{n}") for n in range(3))
    gateway.get_by_label("Requests a month").fill("3000000")
    function.get_by_label("Requests (on demand)").fill("3000000")
    function.get_by_label("Duration (ms)").fill("120")
    function.get_by_label("Memory (MB)").fill("1536")
    registry_.get_by_label("Private storage (GB-month)").fill("2")
    expect(page.locator("#monthly-total")).to_have_text("$5.93")
    expect(page.locator("#yearly-total")).to_have_text("$71.16")
    expect(page.locator("#line-bill-1")).to_contain_text("$2.73")
    expect(page).to_have_url(re.compile(r"line=api_gateway&line=lambda&line=ecr.*s1\.memory_mb=1536"))
    function.get_by_label("Memory (MB)").fill("5")  # a mistake is marked where it is, and leaves the totals
    expect(function.get_by_label("Memory (MB)")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#totals")).to_contain_text("Some services have inputs to fix")
    function.get_by_label("Memory (MB)").fill("1536")
    expect(page.locator("#monthly-total")).to_have_text("$5.93")
    expect(function.get_by_label("Memory (MB)")).not_to_have_attribute("aria-invalid", "true")
    screenshot(page, "34-estimate")
    assert axe_violations(page) == []
    _check_csv(page, "71.16")

    shared = page.locator("#totals .share a").get_attribute("href")
    assert shared and page.url.endswith(shared)
    page.goto(live_server.url + shared)  # the link gives the same estimate back
    expect(page.locator("#monthly-total")).to_have_text("$5.93")
    expect(page.get_by_label("What the architecture is")).to_have_value("Thumbnail API")
    page.get_by_role("button", name="Remove Amazon API Gateway").click()
    expect(page.locator("#monthly-total")).to_have_text("$2.93")
    expect(page.get_by_role("heading", name="1. AWS Lambda")).to_be_visible()
    expect(page).not_to_have_url(re.compile("api_gateway"))
    assert page.console_errors == []


def test_estimate_works_without_javascript(live_server, course, no_js_page: Page):
    page = no_js_page
    page.goto(live_server.url + "/pricing/estimate/")
    page.get_by_role("link", name="start from an example").click()
    expect(page.locator("#monthly-total")).to_have_text("$5.93")
    page.locator("#line-1").get_by_label("Memory (MB)").fill("3072")
    page.get_by_role("button", name="Update the estimate").click()
    expect(page.locator("#monthly-total")).to_have_text("$14.93")
    _add(page, "AWS Fargate")
    expect(page.locator("#monthly-total")).to_have_text("$16.16")
    expect(page).to_have_url(re.compile(r"line=fargate"))
    _check_csv(page, "193.92")
    page.get_by_role("button", name="Remove AWS Fargate").click()
    expect(page.locator("#monthly-total")).to_have_text("$14.93")  # (axe needs JavaScript: the page is checked above)


def test_inputs_show_only_when_they_apply(live_server, course, page: WatchedPage, no_js_page: Page):
    page.goto(live_server.url + "/pricing/batch/")
    expect(page.get_by_label("Instances")).to_be_visible()
    expect(page.get_by_label("Task runs")).to_be_hidden()  # Batch on EC2 shows no Fargate inputs
    expect(page.get_by_label("Spot price per hour")).to_be_hidden()
    expect(page.get_by_text("Without JavaScript every input is shown")).to_be_hidden()
    page.get_by_label("Compute", exact=True).select_option(label="Fargate tasks")
    expect(page.get_by_label("Task runs")).to_be_visible()
    expect(page.get_by_label("Instances")).to_be_hidden()
    expect(page.locator("#breakdown")).to_contain_text("Fargate tasks")
    page.get_by_label("Compute", exact=True).select_option(label="EC2 Spot instances")
    expect(page.get_by_label("Spot price per hour")).to_be_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []

    no_js_page.goto(live_server.url + "/pricing/batch/")
    expect(no_js_page.get_by_text("Without JavaScript every input is shown")).to_be_visible()
    expect(no_js_page.get_by_label("Task runs")).to_be_visible()
    expect(no_js_page.get_by_label("Spot price per hour")).to_be_visible()
