"""Flash messages ride out of band on every htmx fragment response (core.messages, through
HtmxMessagesMiddleware), and wait for the next page when htmx will not swap the response."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from studyapp.core.messages import append_oob_messages
from studyapp.core.middleware import HtmxMessagesMiddleware

HX = {"HX-Request": "true"}
OOB = '<div id="messages" hx-swap-oob="innerHTML">'


def request_with(text: str | None, headers: dict[str, str] | None = None) -> HttpRequest:
    request = RequestFactory().post("/somewhere/", headers=headers or {})
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]  # as django-htmx's middleware sets it
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]  # as MessageMiddleware sets it
    if text is not None:
        messages.success(request, text)
    return request


def fragment() -> HttpResponse:
    return HttpResponse('<section id="card">next card</section>')


def test_a_fragment_carries_the_pending_messages_out_of_band():
    request = request_with("Flagged.", HX)
    body = append_oob_messages(request, fragment()).content.decode()
    assert body == f'<section id="card">next card</section>{OOB}<p class="message message-success">Flagged.</p></div>'
    assert request._messages.used  # type: ignore[attr-defined]  # read: not stored for the next page


def test_the_message_text_is_escaped():
    body = append_oob_messages(request_with("<b>bold</b> & co", HX), fragment()).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in body and "<b>" not in body


def test_an_invalid_form_answered_422_still_carries_them():
    response = HttpResponse("<form>errors</form>", status=422)
    assert OOB in append_oob_messages(request_with("Check the form.", HX), response).content.decode()


@pytest.mark.parametrize(
    ("headers", "response"),
    [
        ({}, fragment()),  # a whole page: base.html shows them
        ({**HX, "HX-History-Restore-Request": "true"}, fragment()),  # htmx restores a whole page
        (HX, HttpResponseRedirect("/next/")),  # htmx follows it: the next page shows them
        (HX, JsonResponse({"ok": True})),
        (HX, HttpResponse("no", status=400)),  # htmx does not swap it
        (HX, HttpResponse(status=204)),
    ],
    ids=["full-page", "history-restore", "redirect", "json", "error", "no-content"],
)
def test_responses_htmx_does_not_swap_leave_the_messages_waiting(headers, response):
    request = request_with("Saved.", headers)
    before = response.content
    assert append_oob_messages(request, response).content == before
    assert [str(m) for m in messages.get_messages(request)] == ["Saved."]  # still pending


def test_a_response_that_makes_htmx_navigate_leaves_them_for_that_page():
    response = fragment()
    response["HX-Redirect"] = "/elsewhere/"
    assert OOB not in append_oob_messages(request_with("Saved.", HX), response).content.decode()


def test_nothing_is_appended_without_messages_or_once_a_template_showed_them():
    assert append_oob_messages(request_with(None, HX), fragment()).content == fragment().content
    request = request_with("Shown already.", HX)
    list(messages.get_messages(request))  # a template iterated them
    assert append_oob_messages(request, fragment()).content == fragment().content


def test_the_middleware_applies_it_to_every_view_after_the_message_middleware():
    def view(request: HttpRequest) -> HttpResponse:
        messages.info(request, "From any view.")
        return fragment()

    assert OOB in HtmxMessagesMiddleware(view)(request_with(None, HX)).content.decode()
    order = settings.MIDDLEWARE
    assert order.index("studyapp.core.middleware.HtmxMessagesMiddleware") > order.index(
        "django.contrib.messages.middleware.MessageMiddleware"
    )
    assert order.index("studyapp.core.middleware.HtmxMessagesMiddleware") > order.index("django_htmx.middleware.HtmxMiddleware")


@pytest.mark.django_db
def test_every_page_has_the_messages_region_fragments_swap_into(client):
    body = client.get("/accounts/login/").content.decode()
    assert '<div id="messages" class="wrap messages" role="status"></div>' in body
