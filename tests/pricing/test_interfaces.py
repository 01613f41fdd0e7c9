"""The calculators through their three doors: the command, the JSON endpoint, the pages (and the
notes that embed them)."""

import csv
import io
import json
from decimal import Decimal
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from studyapp.pricing import estimates, registry

LAMBDA_EXAMPLE = {"requests": 3000000, "duration_ms": 120, "memory_mb": 1536, "architecture": "x86_64", "free_tier": True}
HX = {"HX-Request": "true"}


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("estimate", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_command_prints_the_estimate_as_json():
    code, out, _ = run("lambda", "--input", json.dumps(LAMBDA_EXAMPLE))
    assert code == 0
    data = json.loads(out)
    assert data["service"] == "lambda" and data["total"] == "2.73"
    assert {"label", "quantity", "unit_price", "amount", "formula"} <= set(data["lines"][0])
    assert all(isinstance(line["amount"], str) for line in data["lines"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("fargate", "--input", '{"vcpu": 0.25, "memory_gb": 8, "tasks": 1, "duration_seconds": 60}'),
            "memory_gb: 0.25 vCPU allows 0.5, 1 or 2 GB",
        ),
        (("lambda", "--input", "{not json"), "--input: not valid JSON"),
        (("lambda", "--input", "[1, 2]"), "--input: must be a JSON object"),
        (("ec2", "--input", "{}"), "service: unknown service 'ec2'"),
        (("lambda", "--input", '{"requests": -5, "memory_mb": 99999, "colour": "red"}'), "requests: must be at least 0"),
    ],
)
def test_command_refuses_bad_input_with_exit_code_2(args, message):
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert message in err.splitlines()[0] or message in err
    assert "Traceback" not in err


def test_command_names_every_problem_on_its_own_line():
    _, _, err = run("lambda", "--input", '{"requests": -5, "memory_mb": 99999, "colour": "red"}')
    lines = err.splitlines()
    assert any(line.startswith("requests:") for line in lines)
    assert any(line.startswith("memory_mb:") for line in lines)
    assert any(line.startswith("colour: unknown input") for line in lines)


@pytest.mark.django_db
def test_json_endpoint_matches_the_command(client):
    response = client.get("/pricing/lambda/estimate.json", {**LAMBDA_EXAMPLE, "free_tier": "true"})
    assert response.status_code == 200
    assert response.json()["total"] == "2.73"


@pytest.mark.django_db
def test_json_endpoint_gives_400_with_errors(client):
    response = client.get("/pricing/fargate/estimate.json", {"vcpu": "0.25", "memory_gb": "8", "tasks": "1", "duration_seconds": "60"})
    assert response.status_code == 400
    assert response.json()["errors"]["memory_gb"] == ["0.25 vCPU allows 0.5, 1 or 2 GB"]


@pytest.mark.django_db
@pytest.mark.parametrize("service", list(registry.CALCULATORS))
def test_every_calculator_page_works_with_its_defaults(client, service):
    response = client.get(f"/pricing/{service}/")
    assert response.status_code == 200
    assertContains(response, "Total per month")


@pytest.mark.django_db
def test_calculator_page_without_and_with_htmx(client):
    full = client.get("/pricing/lambda/", {k: str(v).lower() if isinstance(v, bool) else v for k, v in LAMBDA_EXAMPLE.items()})
    assertTemplateUsed(full, "pricing/calculator.html")
    assertContains(full, "$2.73")
    assertContains(full, "/pricing/lambda/?requests=3000000")  # the shareable URL
    fragment = client.get("/pricing/lambda/", {"requests": "4000000", "duration_ms": "120", "memory_mb": "1536"}, headers=HX)
    assertTemplateUsed(fragment, "breakdown")
    assert "<html" not in fragment.content.decode() and 'id="breakdown"' in fragment.content.decode()


@pytest.mark.django_db
def test_bad_input_on_the_page_is_a_form_error_not_a_500(client):
    response = client.get("/pricing/fargate/", {"vcpu": "0.25", "memory_gb": "8"})
    assert response.status_code == 200
    assertContains(response, "0.25 vCPU allows 0.5, 1 or 2 GB")
    assertNotContains(response, "Total per month")


@pytest.mark.django_db
def test_unknown_calculator_is_404(client):
    assert client.get("/pricing/ec2/").status_code == 404
    assert client.get("/pricing/ec2/estimate.json").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("preset", ["lambda-arm", "lambda-fargate", "fargate-spot"])
def test_comparisons_show_both_bills_and_the_difference(client, preset):
    response = client.get(f"/pricing/compare/{preset}/")
    assert response.status_code == 200
    assert response.content.decode().count("Total per month") == 2
    assert "more a month." in response.content.decode() or "cost the same" in response.content.decode()


@pytest.mark.django_db
def test_note_embeds_its_calculator_lazily_and_without_javascript(client, settings, tmp_path):
    from pathlib import Path

    from studyapp.content.loader import load
    from studyapp.content.sync import sync_content
    from tests.conftest import NOW

    sync_content(load(Path(settings.BASE_DIR) / "content"), now=NOW)
    page = client.get("/courses/compute/lambda/")
    body = page.content.decode()
    assert 'id="calculator-lambda"' in body and 'hx-trigger="revealed"' in body  # loaded when scrolled to
    assert 'name="calc" value="lambda"' in body
    submitted = client.get(
        "/courses/compute/lambda/",
        {"calc": "lambda", **{k: str(v).lower() if isinstance(v, bool) else v for k, v in LAMBDA_EXAMPLE.items()}},
    )
    assertContains(submitted, "$2.73")  # the same page, with the bill, no script needed


@pytest.mark.django_db
def test_pricing_problems_are_checked_to_the_cent(client):
    first = client.get("/pricing/problems/")
    assert first.status_code == 302 and "seed=" in first.url
    url = first.url
    page = client.get(url)
    assertContains(page, "Pricing problem 1 of 5")
    total = page.context["estimate"].total
    right = client.get(url.replace("&n=1", "&n=1") + f"&answer={total:.2f}")
    assertContains(right, "Right:")
    wrong = client.get(url + f"&answer={total + 1:.2f}")
    assertContains(wrong, "Not quite")
    odd = client.get(url + "&answer=lots")
    assertContains(odd, "Write an amount such as 2.73.")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1e40", "1e400000000", "99999999999999999999", "-1e400"])
def test_huge_numbers_are_refused_quickly_everywhere(client, value):
    assert client.get("/pricing/lambda/estimate.json", {"requests": value}).status_code == 400
    assert client.get("/pricing/fargate/", {"tasks": value}).status_code == 200  # a form error
    assert client.get("/pricing/compare/lambda-arm/", {"a.requests": value}).status_code == 200
    assert client.get("/pricing/problems/", {"seed": "1", "answer": value}).status_code == 200


@pytest.mark.django_db
def test_errors_are_worded_with_labels_on_pages_and_keep_field_names_elsewhere(client):
    spot = {"compute": "spot"}
    page = client.get("/pricing/batch/", spot)
    assertContains(page, "Spot price per hour is needed for Spot instances", count=2)  # beside the field, and in the summary
    assertContains(page, 'aria-invalid="true"', count=1)
    assertNotContains(page, "spot_hourly: ")
    assertContains(client.get("/pricing/batch/", {"instances": "0"}), "Instances must be at least 1")
    fragment = client.get("/pricing/batch/", spot, headers=HX).content.decode()
    # the fragment carries each input's messages out of band, beside the input they belong to
    assert 'id="in-batch-spot_hourly-errors" data-errors-for="in-batch-spot_hourly" hx-swap-oob="innerHTML"' in fragment
    assert 'id="in-batch-hours-errors" data-errors-for="in-batch-hours" hx-swap-oob="innerHTML"></div>' in fragment
    assert '<a href="#in-batch-spot_hourly">Spot price per hour is needed for Spot instances</a>' in fragment
    assert client.get("/pricing/batch/estimate.json", {"instances": "0"}).json()["errors"] == {"instances": ["must be at least 1"]}
    assert client.get("/pricing/batch/estimate.json", spot).json()["errors"] == {"spot_hourly": ["required when compute is spot"]}
    code, _, err = run("batch", "--input", '{"compute": "spot"}')
    assert code == 2 and err.strip() == "spot_hourly: required when compute is spot"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("preset", "said"),
    [
        ("lambda-arm", "Lambda on Arm (Graviton) is cheaper: Lambda on x86 costs $0.46 more a month."),
        ("lambda-fargate", "Lambda is cheaper: Fargate costs $29.82 more a month."),
        ("fargate-spot", "Fargate Spot is cheaper: Fargate on demand costs $0.86 more a month."),
    ],
)
def test_comparisons_name_the_cheaper_option(client, preset, said):
    assertContains(client.get(f"/pricing/compare/{preset}/"), said)


@pytest.mark.django_db
def test_comparison_without_and_with_htmx(client):
    query = {"a.memory_mb": "1024", "b.memory_gb": "4"}
    full = client.get("/pricing/compare/lambda-fargate/", query)
    assertTemplateUsed(full, "pricing/compare.html")
    assert 'hx-get="/pricing/compare/lambda-fargate/"' in full.content.decode()
    fragment = client.get("/pricing/compare/lambda-fargate/", query, headers=HX)
    assertTemplateUsed(fragment, "verdict")
    body = fragment.content.decode()
    assert "<html" not in body and 'id="verdict"' in body and "is cheaper" in body
    assert body.count('hx-swap-oob="true"') == 2  # both bills
    assert 'id="a-lambda-memory_mb-errors"' in body and 'id="b-fargate-memory_gb-errors"' in body


@pytest.mark.django_db
def test_comparison_with_bad_input_marks_the_field_and_gives_no_verdict(client):
    response = client.get("/pricing/compare/lambda-fargate/", {"b.vcpu": "3"})
    assertContains(response, "vCPU must be 0.25, 0.5, 1, 2, 4, 8 or 16", count=2)
    assertContains(response, "Fix the inputs marked below to compare the two bills.")
    assertNotContains(response, "is cheaper")


ESTIMATE = "/pricing/estimate/?" + urlencode(estimates.EXAMPLE, doseq=True)


@pytest.mark.django_db
def test_estimate_page_without_and_with_htmx(client):
    empty = client.get("/pricing/estimate/")
    assertContains(empty, "No services yet")
    full = client.get(ESTIMATE)
    assertTemplateUsed(full, "pricing/estimate.html")
    assertContains(full, '<td class="amount total" id="monthly-total">$5.93</td>')
    assertContains(full, '<td class="amount total" id="yearly-total">$71.16</td>')
    assertContains(full, 'hx-get="/pricing/estimate/"')
    fragment = client.get(ESTIMATE + "&s1.memory_mb=3072", headers=HX)
    assertTemplateUsed(fragment, "totals")
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'id="totals"' in body
    assert 'id="monthly-total">$14.93<' in body
    assert body.count('hx-swap-oob="true"') == 3  # each service's bill
    assert fragment["HX-Replace-Url"].endswith("s1.memory_mb=3072&s2.storage_gb=2")


@pytest.mark.django_db
def test_estimate_adds_and_removes_lines_in_both_modes(client):
    plain = client.get(ESTIMATE + "&service=fargate&add=1")
    assert plain.status_code == 302 and plain.url.startswith("/pricing/estimate/?") and "line=fargate" in plain.url
    assertContains(client.get(plain.url), "4. AWS Fargate")
    fragment = client.get(ESTIMATE + "&service=fargate&add=1", headers=HX)
    assertTemplateUsed(fragment, "estimate")
    assert 'id="estimate"' in fragment.content.decode() and "line=fargate" in fragment["HX-Replace-Url"]
    removed = client.get(ESTIMATE + "&drop=0")
    assert removed.status_code == 302 and "api_gateway" not in removed.url
    assertContains(client.get(removed.url), '<td class="amount total" id="monthly-total">$2.93</td>')
    assert client.get(ESTIMATE + "&drop=many").status_code == 302  # nothing removed, no 500


@pytest.mark.django_db
def test_estimate_url_round_trip_and_csv(client):
    page = client.get(ESTIMATE)
    shared = page.context["share_url"]
    again = client.get(shared)
    assert again.context["plan"] == page.context["plan"] and again.context["share_url"] == shared
    download = client.get(page.context["csv_url"])
    assert download.status_code == 200 and download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="thumbnail-api.csv"'
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["Service", "Item", "How it is worked out", "Monthly (USD)"]
    assert rows[-1] == ["Yearly total (12 months)", "", "", "71.16"]
    assert sum(Decimal(row[3]) for row in rows if row[1] == "Total for the service") == Decimal("5.93")


@pytest.mark.django_db
def test_estimate_with_bad_inputs_marks_them_and_refuses_the_csv(client):
    page = client.get(ESTIMATE + "&s1.memory_mb=5")
    assertContains(page, "Memory (MB) must be at least 128", count=2)
    assertContains(page, "Some services have inputs to fix")
    assertNotContains(page, "Download as CSV")
    csv_response = client.get(ESTIMATE.replace("estimate/", "estimate.csv") + "&s1.memory_mb=5")
    assert csv_response.status_code == 400 and "memory_mb: must be at least 128" in csv_response.content.decode()


@pytest.mark.django_db
def test_index_describes_each_calculator_and_links_the_estimate_comparisons_and_problems(client):
    response = client.get("/pricing/")
    for module in registry.CALCULATORS.values():
        assertContains(response, escape(module.SUMMARY))
    for link in ("/pricing/estimate/", "/pricing/compare/lambda-fargate/", "/pricing/problems/"):
        assertContains(response, f'href="{link}"')
    assertContains(response, "Lambda or Fargate for the same work")


@pytest.mark.django_db
def test_choices_read_as_words_while_the_url_keeps_the_input_values(client):
    page = client.get("/pricing/lambda/", {"architecture": "arm64"})
    assertContains(page, '<option value="arm64" selected>Arm (Graviton)</option>', html=False)
    assertContains(client.get("/pricing/batch/"), '<option value="spot">EC2 Spot instances</option>')
    assertContains(client.get("/pricing/api_gateway/"), '<option value="0" selected>No cache</option>')


@pytest.mark.parametrize("module", list(registry.CALCULATORS.values()))
def test_every_choice_label_matches_a_choice(module):
    for f in module.FIELDS:
        assert not f.choice_labels or len(f.choice_labels) == len(f.choices)
        f.options()


@pytest.mark.django_db
def test_numbers_are_number_fields_with_their_range_and_step(client):
    body = client.get("/pricing/lambda/").content.decode()
    assert 'name="memory_mb" type="number" inputmode="numeric" step="1" min="128" max="10240" value="1536"' in body
    assert 'name="duration_ms" type="number" inputmode="decimal" step="any" min="0" max="900000"' in body
    assert "<form novalidate" in body  # the server's messages, worded with the labels, say what is wrong


@pytest.mark.django_db
def test_inputs_say_when_they_apply_and_the_page_says_all_are_shown_without_javascript(client):
    body = client.get("/pricing/batch/").content.decode()
    assert 'data-when-name="spot_hourly"' not in body
    assert 'data-when-name="compute" data-when-values="fargate"' in body
    assert 'data-when-name="compute" data-when-values="ec2 spot"' in body
    assert body.count("Without JavaScript every input is shown") == 1
    assert "Without JavaScript every input is shown" not in client.get("/pricing/ecr/").content.decode()
    compare = client.get("/pricing/compare/lambda-fargate/").content.decode()
    assert "data-when-name" not in compare
    estimate = client.get("/pricing/estimate/?line=api_gateway").content.decode()
    assert 'data-when-name="s0.api_type" data-when-values="websocket"' in estimate


def _details(body: str, summary: str) -> str:
    start = body.rindex("<details", 0, body.index(f"<summary>{summary}"))
    return body[start : body.index("</details>", start)]


@pytest.mark.django_db
def test_provisioned_concurrency_inputs_are_folded_away_until_used(client):
    folded = _details(client.get("/pricing/lambda/").content.decode(), "Provisioned concurrency")
    assert folded.startswith('<details class="calc-section">')  # closed: a bill without it shows none of its inputs
    assert 'name="pc_hours"' in folded and 'name="pc_requests"' in folded and 'name="memory_mb"' not in folded
    used = client.get("/pricing/lambda/", {"provisioned_concurrency": "5", "pc_hours": "744"}).content.decode()
    assert _details(used, "Provisioned concurrency").startswith('<details class="calc-section" open>')
    refused = client.get("/pricing/lambda/", {"pc_requests": "1000"}).content.decode()  # an error inside opens it
    assert _details(refused, "Provisioned concurrency").startswith('<details class="calc-section" open>')
    # the multi-service estimate and the embedded calculator fold it the same way
    assert _details(client.get("/pricing/estimate/?line=lambda").content.decode(), "Provisioned concurrency").startswith(
        '<details class="calc-section">'
    )
