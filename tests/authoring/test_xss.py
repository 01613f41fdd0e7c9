"""XSS payloads in an authored, published question (issue 16, point 8): its stem, options, option
feedback and explanation never come back as markup in the practice question screen, its feedback
screen or the results page, and the exports carry them as text (GIFT escaped, Moodle XML escaped).

Each payload is tried in two authored questions: one typed in the editor (Markdown, rendered by the
same :func:`~studyapp.content.parsing.questions.rendered` the editor's form calls) and one imported
from GIFT marked ``[html]`` (the importer cleans HTML with nh3), both published.
"""

import random
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from defusedxml import ElementTree
from django.test import Client
from django.urls import reverse

from studyapp.accounts.models import User
from studyapp.authoring import services
from studyapp.authoring.formats import moodle_xml
from studyapp.content.parsing.questions import rendered
from studyapp.questions import services as question_services
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.formats import gift
from studyapp.questions.models import Question, Status
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.models import Attempt
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import MINE

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "{{ 7*7 }}",
]
CATEGORY = f"{MINE}/XSS"


def hostile(payload: str) -> QuestionContent:
    """A single-answer question with ``payload`` in every text a learner reads."""
    return QuestionContent(
        kind=Kind.SINGLE,
        name=f"About {payload}",
        stem=f"Which is right? {payload}",
        choices=(
            Choice(text=f"Right {payload}", fraction=Decimal(1), feedback=f"Yes {payload}"),
            Choice(text=f"Wrong {payload}", fraction=Decimal(0), feedback=f"No {payload}"),
        ),
        explanation=f"Because {payload}",
    )


def typed(author: User, payload: str) -> Question:
    """As the editor saves it: the texts rendered (Markdown, raw HTML off, nh3), then published."""
    return question_services.create_question(
        content=rendered(hostile(payload)), by=author, now=NOW, category=CATEGORY, status=Status.PUBLISHED
    )


def imported_as_html(author: User, payload: str) -> Question:
    """As the importer writes a GIFT question marked ``[html]``, published."""
    text = gift.dump([gift.Question(line=0, category=CATEGORY, text_format="html", content=hostile(payload))])
    report = services.import_questions(
        result=services.parse(text, fmt="gift"), by=author, now=NOW, default_category=CATEGORY, dry_run=False, status=Status.PUBLISHED
    )
    (item,) = report.items
    assert item.question_id is not None, item
    return Question.objects.get(pk=item.question_id)


WRITERS = {"typed": typed, "imported-html": imported_as_html}


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def markup_problems(body: str, payload: str) -> Iterator[str]:
    """What in ``body`` would let the payload run: the payload itself, an event handler, an inline
    script, an image or SVG, a javascript: link."""
    if "<" in payload and payload in body:
        yield f"the payload {payload!r} is in the page as written"
    parser = Tags()
    parser.feed(body)
    for tag, attrs in parser.tags:
        if any(name.startswith("on") for name in attrs):
            yield f"<{tag}> has an event handler: {attrs}"
        if tag == "script" and not attrs.get("src"):
            yield "an inline <script>"
        if tag in ("img", "svg"):
            yield f"an <{tag}>"
        if any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()):
            yield f"<{tag}> links to javascript: {attrs}"


def assert_safe(body: str, payload: str) -> None:
    problems = list(markup_problems(body, payload))
    assert not problems, problems
    if payload == "{{ 7*7 }}":
        assert "{{ 7*7 }}" in body, "a template in a text is shown as written, never evaluated"


@pytest.fixture
def learner(db) -> User:
    return UserFactory(username="learner")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def practice(learner: User, question: Question) -> Attempt:
    return quiz_services.start_questions(user=learner, question_ids=[question.pk], now=NOW, rng=random.Random(1))


def test_the_checks_catch_what_they_look_for():
    assert list(markup_problems('<p><img src="x" onerror="alert(1)"></p>', "<img src=x onerror=alert(1)>"))
    assert list(markup_problems('<a href=" JavaScript:alert(1)">x</a>', "[x](javascript:alert(1))"))
    assert list(markup_problems("<script>alert(1)</script>", "<script>alert(1)</script>"))
    assert not list(
        markup_problems('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><script src="/s.js"></script>', "<script>alert(1)</script>")
    )


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_practice_question_its_feedback_and_the_results_are_safe(author, learner, payload, writer):
    question = WRITERS[writer](author, payload)
    attempt = practice(learner, question)
    client = client_for(learner)
    page = reverse("quizzes:question", args=[attempt.pk, 1])

    asked = client.get(page)
    assert asked.status_code == 200 and "Which is right?" in asked.text
    assert_safe(asked.text, payload)

    slot = attempt.slots.get()
    client.post(page, {"option": str(slot.option_order.index(1))})  # the wrong one: its feedback shows
    feedback = client.get(page)
    assert "No " in feedback.text and "Because" in feedback.text and "Yes " in feedback.text
    assert_safe(feedback.text, payload)

    results = client.get(reverse("quizzes:results", args=[attempt.pk]))
    assert results.status_code == 200 and "Which is right?" in results.text
    assert_safe(results.text, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_gift_export_reads_back_as_the_same_texts(author, payload):
    typed(author, payload)
    exported = services.export_questions(category=CATEGORY, fmt="gift")
    assert exported.count == 1
    result = gift.parse(exported.text)
    assert not result.errors, result.errors
    (back,) = result.questions
    assert back.content == hostile(payload)
    assert back.category == CATEGORY


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_moodle_xml_export_holds_the_payload_as_text(author, payload):
    typed(author, payload)
    exported = services.export_questions(category=CATEGORY, fmt="moodlexml")
    assert exported.count == 1
    tree = ElementTree.fromstring(exported.text.encode())
    assert not [element.tag for element in tree.iter() if element.tag in ("script", "img", "svg")], "the payload became XML elements"
    (question,) = tree.findall("question[@type='multichoice']")
    texts = {
        "name": question.findtext("name/text"),
        "stem": question.findtext("questiontext/text"),
        "explanation": question.findtext("generalfeedback/text"),
        "options": [answer.findtext("text") for answer in question.findall("answer")],
        "feedback": [answer.findtext("feedback/text") for answer in question.findall("answer")],
    }
    assert texts == {
        "name": f"About {payload}",
        "stem": f"Which is right? {payload}",
        "explanation": f"Because {payload}",
        "options": [f"Right {payload}", f"Wrong {payload}"],
        "feedback": [f"Yes {payload}", f"No {payload}"],
    }
    result = moodle_xml.parse(exported.text)
    assert not result.errors, result.errors
    (back,) = result.questions
    assert back.content == hostile(payload)
