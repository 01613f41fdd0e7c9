"""The calculators through their three doors: the command, the JSON endpoint, the pages (and the
notes that embed them)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from studyapp.pricing import registry

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
    assert "The second" in response.content.decode() or "Both cost the same" in response.content.decode()


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
