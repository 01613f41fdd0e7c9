"""The practice quiz pages, with and without htmx."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateNotUsed, assertTemplateUsed

from studyapp.quizzes.models import Attempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def signed_in(client, demo_course):
    client.force_login(UserFactory())
    return client


def start(client) -> str:
    response = client.post("/quiz/practice/", {"count": "5", "only": "all"})
    assert response.status_code == 302
    return response.url


@pytest.mark.parametrize("url", ["/quiz/practice/"])
def test_visitors_are_sent_to_log_in(client, url):
    assertRedirects(client.get(url), f"/accounts/login/?next={url}", fetch_redirect_response=False)


def test_setup_form_validates_the_number(signed_in):
    response = signed_in.post("/quiz/practice/", {"count": "200", "only": "all"})
    assertContains(response, "less than or equal to 65")
    assert not Attempt.objects.exists()


def test_an_empty_choice_is_a_form_error(signed_in, demo_course):
    functions = demo_course.topics.get(slug="functions").pk
    response = signed_in.post("/quiz/practice/", {"count": "5", "only": "all", "topics": [functions]})
    assertContains(response, "No question matches that choice")


def test_question_then_feedback_without_javascript(signed_in):
    url = start(signed_in)
    page = signed_in.get(url)
    assertTemplateUsed(page, "quizzes/question.html")
    assertContains(page, "Question 1 of 2")
    assertRedirects(signed_in.post(url, {"option": "0"}), url, fetch_redirect_response=False)
    feedback = signed_in.get(url)
    assert "Correct." in feedback.content.decode() or "Not quite." in feedback.content.decode()
    assertContains(feedback, "(your answer)")
    assertContains(feedback, "Next question")


def test_answering_with_htmx_returns_the_question_fragment(signed_in):
    url = start(signed_in)
    response = signed_in.post(url, {"option": "0"}, headers=HX)
    assertTemplateUsed(response, "question")
    assertTemplateNotUsed(response, "base.html")
    assert "<html" not in response.content.decode() and "(your answer)" in response.content.decode()


def test_an_answer_and_its_feedback_read_no_question_or_note_again(signed_in):
    url = start(signed_in)
    signed_in.get(url)  # the question the learner answers: its version and note are then in the cache
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.post(url, {"option": "0"}, headers=HX)
    assertContains(response, "(your answer)")
    assertContains(response, "Read more in")  # the note the feedback links to
    read_again = ('SELECT "content_note"', 'SELECT "content_course"', 'SELECT "content_question"', 'SELECT "content_questionversion"')
    assert [q["sql"] for q in queries.captured_queries if q["sql"].startswith(read_again)] == []
    assert len(queries.captured_queries) <= 15  # a wrong answer also enters the review queue (savepoints included)


def test_no_option_is_a_friendly_message(signed_in):
    url = start(signed_in)
    assertContains(signed_in.post(url, {}), "Choose an option before checking your answer.")


@pytest.mark.parametrize("option", ["9", "x", "-1"])
def test_a_forged_option_is_a_400(signed_in, option):
    url = start(signed_in)
    assert signed_in.post(url, {"option": option}).status_code == 400


def test_another_learners_attempt_is_a_404(client, demo_course):
    client.force_login(UserFactory())
    url = start(client)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"option": "0"}).status_code == 404


def test_results_and_retry_missed(signed_in):
    url = start(signed_in)
    attempt = Attempt.objects.get(pk=int(re.search(r"/attempts/(\d+)/", url).group(1)))
    for slot in attempt.slots.all():  # answer every question wrongly
        options = slot.version.data["options"]
        wrong = next(shown for shown, stored in enumerate(slot.option_order) if float(options[stored]["fraction"]) <= 0)
        signed_in.post(f"/quiz/attempts/{attempt.pk}/{slot.position}/", {"option": str(wrong)})
    results = signed_in.get(f"/quiz/attempts/{attempt.pk}/results/")
    assertContains(results, "By exam domain")
    assertContains(results, "0%")
    assertContains(results, "Practise the ones I missed")
    retry = signed_in.post(f"/quiz/attempts/{attempt.pk}/retry/")
    assert retry.status_code == 302 and Attempt.objects.count() == 2
    assert set(Attempt.objects.first().slots.values_list("question_id", flat=True)) == set(
        attempt.slots.values_list("question_id", flat=True)
    )


def test_quiz_home_lists_attempts(signed_in):
    start(signed_in)
    assertContains(signed_in.get("/quiz/"), "In progress")


def test_pricing_problems_are_a_practice_choice(signed_in):
    response = signed_in.post("/quiz/practice/", {"count": "5", "only": "all", "pricing_problems": "on"})
    assert response.status_code == 302 and response.url == "/pricing/problems/?of=5"


# --- the public quizzes page (issue 11) --------------------------------------------------------


def test_visitors_see_a_sample_question_on_the_quizzes_page(client, demo_course):
    page = client.get("/quiz/")
    assertContains(page, "Try a sample question")
    assertContains(page, 'name="option"')
    assertContains(page, 'href="/accounts/signup/')
    assert "Your attempts" not in page.content.decode()
    assert "private" in page["Cache-Control"]


@pytest.mark.parametrize("option", ["0", "1", "2", "3"])
def test_the_sample_question_checks_the_visitors_answer(client, demo_course, option):
    page = client.get("/quiz/", {"option": option}).content.decode()
    assert ("Correct." in page) != ("Not quite." in page)
    assert "Right:" in page and "(your answer)" in page


@pytest.mark.parametrize("option", ["9", "x", "-1", ""])
def test_a_forged_sample_answer_is_a_friendly_message(client, demo_course, option):
    assertContains(client.get("/quiz/", {"option": option}), "Choose one of the options")


def test_the_pricing_problems_breadcrumb_opens_for_visitors(client, demo_course):
    problems = client.get("/pricing/problems/", follow=True).content.decode()
    crumb = re.search(r'class="study-scope"><a href="([^"]+)"', problems).group(1)
    assert client.get(crumb).status_code == 200


def test_signed_in_learners_see_their_attempts_not_the_sample(signed_in):
    page = signed_in.get("/quiz/")
    assertContains(page, "Your attempts")
    assert "Try a sample question" not in page.content.decode()


def test_ten_clicks_on_start_practice_make_one_attempt(signed_in):
    urls = {start(signed_in) for _ in range(10)}
    assert len(urls) == 1 and Attempt.objects.count() == 1
    other = signed_in.post("/quiz/practice/", {"count": "5", "only": "all", "domains": ["domain-1"]})
    assert other.url not in urls and Attempt.objects.count() == 2


def test_ten_clicks_on_retry_missed_make_one_attempt(signed_in):
    attempt = Attempt.objects.get(pk=int(re.search(r"/attempts/(\d+)/", start(signed_in)).group(1)))
    urls = set()
    for _ in range(10):
        response = signed_in.post(f"/quiz/attempts/{attempt.pk}/retry/")
        assert response.status_code == 302
        urls.add(response.url)
    assert len(urls) == 1 and Attempt.objects.count() == 2
