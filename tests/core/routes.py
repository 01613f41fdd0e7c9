"""Every URL of the URLconf, made concrete: the tests that must cover every endpoint (bad charsets,
NUL bytes in parameters) walk this list, so a URL added later is covered, or fails to be filled."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from studyapp.content.models import Card, Note
from studyapp.pricing.views import COMPARISONS
from studyapp.quizzes.models import Attempt


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    name: str  # namespaced URL name
    url: str  # reversed with real ids


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def every_route(*, practice: Attempt, mock: Attempt) -> list[Route]:
    """Each named URL reversed with the demo course's rows and the two attempts given; an argument
    named nowhere below is "1" (a number or a word alike: the page may well be a 404, but it is
    walked). One route per distinct URL."""
    card = Card.objects.live().first()
    note = Note.objects.live().first()
    assert card is not None and note is not None, "load the demo course first"
    values: dict[str, object] = {
        "attempt_id": practice.pk,
        "position": 1,
        "kind": "card",
        "item_id": card.pk,
        "action": "flag",
        "course_slug": note.course.slug,
        "note_slug": note.slug,
        "preset": next(iter(COMPARISONS)),
        "service": "lambda",
        "uidb64": "MQ",
        "token": "set-password",
        # the admin's
        "app_label": "accounts",
        "object_id": "1",
        "id": "1",
        "content_type_id": "1",
        "url": "accounts/",
    }
    routes, seen = [], set()
    for name, pattern in _names(get_resolver().url_patterns):
        arguments = {**values, "attempt_id": mock.pk} if name.startswith("quizzes:mock") else values
        wanted = set(pattern.pattern.regex.groupindex)
        url = reverse(name, kwargs={key: arguments.get(key, "1") for key in wanted})
        if url not in seen:
            seen.add(url)
            routes.append(Route(name=name, url=url))
    return routes
