"""The calculators inside the notes start from the worked example written next to them."""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import RequestFactory
from pytest_django.asserts import assertContains

from studyapp.pricing.embedding import render_calculator
from studyapp.pricing.registry import EXAMPLES

NOTES = Path(__file__).resolve().parents[2] / "content" / "compute"
# The worked example's total as each note writes it, in the text just above its :::calculator.
TOTALS = {
    "fargate": "$1.26",
    "ecr": "$13.00",
    "lambda": "$2.73",
    "api_gateway": "$418.80",
    "batch": "$122.40",
    "lightsail": "$9.00",
}


def _before_marker(service: str) -> str:
    for note in NOTES.glob("*.md"):
        text = note.read_text()
        marker = f":::calculator {service}\n"
        if marker in text:
            return text[: text.index(marker)][-2500:]
    raise AssertionError(f"no note embeds {service}")


@pytest.mark.parametrize("service", sorted(TOTALS))
def test_the_worked_example_next_to_the_calculator_is_what_it_starts_from(client, service):
    assert TOTALS[service] in _before_marker(service)
    assertContains(client.get(f"/pricing/{service}/embed/", EXAMPLES[service]), TOTALS[service])


@pytest.mark.parametrize("service", sorted(EXAMPLES))
def test_the_embedded_form_and_its_lazy_bill_use_the_example(service):
    html = render_calculator(service, RequestFactory().get("/"))
    assert html is not None
    assert f'hx-get="/pricing/{service}/embed/?{urlencode(EXAMPLES[service]).replace("&", "&amp;")}"' in html
    for name, value in EXAMPLES[service].items():
        assert f'name="{name}"' in html and (f'value="{value}"' in html or f'value="{value}" selected' in html)


def test_every_embedded_calculator_has_an_example():
    embedded = {
        line.split()[1] for note in NOTES.glob("*.md") for line in note.read_text().splitlines() if line.startswith(":::calculator ")
    }
    assert embedded == set(EXAMPLES)


@pytest.mark.parametrize("service", sorted(TOTALS))
def test_a_calculator_page_opened_without_inputs_starts_from_the_example(client, service):
    response = client.get(f"/pricing/{service}/")
    assertContains(response, f'<td class="amount total">{TOTALS[service]}</td>')
