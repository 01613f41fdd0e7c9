"""The note-embed registry: content fills placeholders with what apps above it registered."""

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from studyapp.content import embeds
from studyapp.content.parsing.note import calculator_placeholder
from studyapp.content.parsing.types import CALCULATORS


@pytest.fixture
def request_() -> HttpRequest:
    return RequestFactory().get("/courses/demo/functions/")


@pytest.fixture
def only(monkeypatch: pytest.MonkeyPatch) -> dict[str, embeds.EmbedRenderer]:
    """An empty registry for the test, so the one pricing filled at start-up is left alone."""
    renderers: dict[str, embeds.EmbedRenderer] = {}
    monkeypatch.setattr(embeds, "_renderers", renderers)
    return renderers


def test_pricing_registers_the_calculator_renderer_when_the_apps_load() -> None:
    assert "calculator" in embeds.registered()


@pytest.mark.parametrize("service", sorted(CALCULATORS))
def test_each_calculator_placeholder_is_replaced_by_what_its_renderer_draws(
    only: dict[str, embeds.EmbedRenderer], request_: HttpRequest, service: str
) -> None:
    embeds.register_embed("calculator", lambda name, request: f"<section>{name} for {request.path}</section>")
    body = f"<p>Before.</p>{calculator_placeholder(service)}<p>After.</p>"
    assert embeds.render_embeds(body, request_) == f"<p>Before.</p><section>{service} for /courses/demo/functions/</section><p>After.</p>"


def test_a_renderer_returning_none_keeps_the_placeholder_and_its_link(only: dict[str, embeds.EmbedRenderer], request_: HttpRequest) -> None:
    embeds.register_embed("calculator", lambda name, request: None)
    body = calculator_placeholder("lambda")
    assert embeds.render_embeds(body, request_) == body
    assert 'href="/pricing/lambda/"' in body


def test_without_a_renderer_or_a_placeholder_the_body_is_returned_as_is(
    only: dict[str, embeds.EmbedRenderer], request_: HttpRequest
) -> None:
    body = f"<p>Text.</p>{calculator_placeholder('fargate')}"
    assert embeds.render_embeds(body, request_) is body
    embeds.register_embed("calculator", lambda name, request: "drawn")
    plain = "<p>No embeds here.</p>"
    assert embeds.render_embeds(plain, request_) is plain


def test_registering_again_replaces_the_renderer(only: dict[str, embeds.EmbedRenderer], request_: HttpRequest) -> None:
    embeds.register_embed("calculator", lambda name, request: "first")
    embeds.register_embed("calculator", lambda name, request: "second")
    assert embeds.render_embeds(calculator_placeholder("ecr") * 2, request_) == "secondsecond"
