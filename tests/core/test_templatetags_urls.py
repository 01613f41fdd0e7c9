"""``{% url %}`` (core.templatetags.urls): the links Django's tag would write, each worked out once."""

from collections.abc import Iterator
from unittest import mock

import pytest
from django.http import HttpRequest
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from studyapp.core.templatetags import urls


@pytest.fixture(autouse=True)
def _afresh() -> Iterator[None]:
    urls._reverse.cache_clear()
    yield
    set_script_prefix("/")


def render(source: str, context: dict[str, object] | None = None, *, request: HttpRequest | None = None) -> str:
    template = Template(source)
    return template.render(RequestContext(request, context or {}) if request is not None else Context(context or {}))


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{% url 'content:home' %}", {}, lambda: reverse("content:home")),
        ("{% url 'quizzes:question' attempt 3 %}", {"attempt": 12}, lambda: reverse("quizzes:question", args=[12, 3])),
        ("{% url 'quizzes:question' attempt_id=a position=p %}", {"a": 7, "p": 2}, lambda: reverse("quizzes:question", args=[7, 2])),
        ("{% url name slug %}", {"name": "content:course", "slug": "compute"}, lambda: reverse("content:course", args=["compute"])),
    ],
)
def test_a_link_is_the_one_django_reverses(source: str, context: dict[str, object], expected: object) -> None:
    assert render(source, context) == expected()  # type: ignore[operator]
    assert render(source, context) == expected()  # type: ignore[operator]  # and again, from the kept results


def test_each_link_is_worked_out_once() -> None:
    with mock.patch.object(urls, "reverse", wraps=reverse) as reversing:
        for attempt in (1, 2, 1, 2, 1):
            render("{% url 'content:home' %} {% url 'quizzes:question' a 1 %}", {"a": attempt})
    assert reversing.call_count == 3  # the home page, attempt 1's and attempt 2's


def test_a_model_or_lazy_value_is_reversed_every_time_as_django_does() -> None:
    from django.utils.functional import lazy

    lazy_slug = lazy(lambda: "compute", str)()
    with mock.patch.object(urls, "reverse", wraps=reverse) as reversing:
        render("{% url 'content:course' slug %}{% url 'content:course' slug %}", {"slug": lazy_slug})
    assert reversing.call_count == 0  # Django's own tag reverses it (through django.urls), not the kept one


def test_the_script_prefix_is_part_of_what_is_kept() -> None:
    assert render("{% url 'content:home' %}") == "/"
    set_script_prefix("/studyapp/")
    assert render("{% url 'content:home' %}") == "/studyapp/"
    set_script_prefix("/")
    assert render("{% url 'content:home' %}") == "/"


def test_as_sets_a_variable_and_a_name_that_does_not_reverse_gives_nothing_there() -> None:
    assert render("{% url 'content:home' as home %}[{{ home }}]") == "[/]"
    assert render("{% url 'no:such' as missing %}[{{ missing }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no:such' %}")


def test_the_link_is_escaped_in_an_escaping_template_only() -> None:
    source = "{% url 'classrooms:join' code %}"
    assert render(source, {"code": "a&b"}) == "/classes/join/a&amp;b/"  # reverse leaves & in a path; the page escapes it
    assert render("{% autoescape off %}" + source + "{% endautoescape %}", {"code": "a&b"}) == "/classes/join/a&b/"


def test_the_request_s_namespace_is_the_current_app() -> None:
    request = RequestFactory().get("/")
    request.resolver_match = mock.Mock(namespace="content")
    assert render("{% url 'content:home' %}", request=request) == reverse("content:home", current_app="content")


def test_a_tag_without_a_name_is_still_a_syntax_error() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")
