"""The timed mock exam: drawn by the blueprint, autosaved, decided by the server's clock."""

import random
from datetime import timedelta

import pytest
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from studyapp.quizzes import services
from studyapp.quizzes.models import Attempt, AttemptQuestion
from studyapp.srs.models import ReviewState
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def mock(learner, demo_course):
    return services.start_mock(user=learner, now=NOW, rng=random.Random(3))


def right(slot: AttemptQuestion) -> list[int]:
    options = slot.version.data["options"]
    return [shown for shown, stored in enumerate(slot.option_order) if float(options[stored]["fraction"]) > 0]


def test_start_draws_the_bank_and_sets_a_90_minute_deadline(mock):
    assert mock.deadline == NOW + timedelta(minutes=90)
    assert mock.slots.count() == 2  # the demo bank is small: all of it, and the shortfall is noted
    assert sum(mock.options["shortfall"].values()) > 0


def test_starting_again_resumes_the_same_attempt(learner, mock):
    assert services.start_mock(user=learner, now=NOW + timedelta(minutes=5), rng=random.Random()).pk == mock.pk


def test_answers_are_saved_changed_and_cleared_without_feedback(learner, mock):
    slot = services.save_answer(user=learner, attempt_id=mock.pk, position=1, shown=[0], now=NOW)
    assert slot.selected and slot.fraction is None
    slot = services.save_answer(user=learner, attempt_id=mock.pk, position=1, shown=[], now=NOW)
    assert slot.selected is None and slot.answered_at is None


def test_submit_grades_all_or_nothing_and_counts_once(learner, mock):
    first, second = mock.slots.all()
    services.save_answer(user=learner, attempt_id=mock.pk, position=1, shown=right(first), now=NOW)
    wrong = [p for p in range(len(second.option_order)) if p not in right(second)][:1]
    services.save_answer(user=learner, attempt_id=mock.pk, position=2, shown=wrong, now=NOW)
    services.submit_mock(user=learner, attempt_id=mock.pk, now=NOW + timedelta(minutes=10))
    services.submit_mock(user=learner, attempt_id=mock.pk, now=NOW + timedelta(minutes=20))
    mock.refresh_from_db()
    assert mock.finished_at == NOW + timedelta(minutes=10)
    assert [s.fraction for s in mock.slots.all()] == [1, 0]
    assert ReviewState.objects.filter(user=learner, question=second.question).exists()  # missed: queued
    with pytest.raises(services.Finished):
        services.save_answer(user=learner, attempt_id=mock.pk, position=1, shown=[0], now=NOW + timedelta(minutes=21))


def test_the_server_refuses_answers_after_the_deadline_and_submits_what_was_saved(learner, mock, settings):
    settings.STUDYAPP_MOCK = {"minutes": 1, "grace_seconds": 5}
    short = services.start_mock(user=UserFactory(), now=NOW, rng=random.Random(1))  # another learner, short limit
    learner2 = short.user
    slot = short.slots.first()
    services.save_answer(user=learner2, attempt_id=short.pk, position=1, shown=right(slot), now=NOW + timedelta(seconds=62))  # in grace
    with pytest.raises(services.TimeUp):
        services.save_answer(user=learner2, attempt_id=short.pk, position=2, shown=[0], now=NOW + timedelta(seconds=70))
    short.refresh_from_db()
    assert short.finished_at == NOW + timedelta(seconds=65)  # deadline + grace
    assert [s.fraction for s in short.slots.all()] == [1, 0]  # the late answer changed nothing


def test_tampered_answers_are_refused(learner, mock):
    with pytest.raises(services.InvalidAnswer):
        services.save_answer(user=learner, attempt_id=mock.pk, position=1, shown=[9], now=NOW)
    with pytest.raises(AttemptQuestion.DoesNotExist):
        services.save_answer(user=learner, attempt_id=mock.pk, position=99, shown=[0], now=NOW)
    with pytest.raises(Attempt.DoesNotExist):
        services.save_answer(user=UserFactory(), attempt_id=mock.pk, position=1, shown=[0], now=NOW)
    with pytest.raises(AttemptQuestion.DoesNotExist):  # the practice door does not open a mock
        services.answer(user=learner, attempt_id=mock.pk, position=1, shown=[0], now=NOW)


# --- views ---------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, learner, demo_course):
    client.force_login(learner)
    return client


def test_start_page_states_the_format(signed_in):
    response = signed_in.get("/quiz/mock/")
    for text in ["65 questions", "90 minutes", "700 of 1000"]:
        assertContains(response, text)


def test_visitors_are_sent_to_log_in(client):
    assertRedirects(client.get("/quiz/mock/"), "/accounts/login/?next=/quiz/mock/", fetch_redirect_response=False)


def test_a_whole_mock_without_javascript(signed_in):
    url = signed_in.post("/quiz/mock/").url
    attempt = Attempt.objects.get()
    page = signed_in.get(url)
    assertTemplateUsed(page, "quizzes/mock_question.html")
    assertContains(page, "Time left")
    assertContains(page, "Question 1 of 2")
    assert "(your answer)" not in page.content.decode()  # no feedback before submitting
    assertRedirects(signed_in.post(url, {"option": "0", "go": "next"}), f"/quiz/mock/{attempt.pk}/2/", fetch_redirect_response=False)
    review = signed_in.get(f"/quiz/mock/{attempt.pk}/review/")
    assertContains(review, "1 unanswered")
    done = signed_in.post(f"/quiz/mock/{attempt.pk}/submit/")
    results = signed_in.get(done.url)
    assertContains(results, "of 1000 (700 passes)")
    assertContains(results, "Every question")


def test_autosave_with_htmx_answers_with_the_status_fragment(signed_in):
    url = signed_in.post("/quiz/mock/").url
    response = signed_in.post(url, {"option": "1"}, headers=HX)
    assertTemplateUsed(response, "save-status")
    assert response.content.decode().startswith('<p id="save-status"') and "Saved at" in response.content.decode()


def test_a_late_answer_is_a_409_and_changes_nothing(signed_in, settings, learner):
    settings.STUDYAPP_MOCK = {"minutes": 0, "grace_seconds": 0}
    url = signed_in.post("/quiz/mock/").url
    response = signed_in.post(url, {"option": "0"}, headers=HX)
    assert response.status_code == 409
    assert not AttemptQuestion.objects.filter(answered_at__isnull=False).exists()
    attempt = Attempt.objects.get()
    assert attempt.finished_at is not None  # submitted with what was saved (nothing)
    assertRedirects(signed_in.get(url), f"/quiz/attempts/{attempt.pk}/results/", fetch_redirect_response=False)


def test_another_learners_mock_is_a_404(client, demo_course):
    client.force_login(UserFactory())
    url = client.post("/quiz/mock/").url
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"option": "0"}).status_code == 404


def test_history_charts_mock_scores(signed_in):
    signed_in.post("/quiz/mock/")
    signed_in.post(f"/quiz/mock/{Attempt.objects.get().pk}/submit/")
    response = signed_in.get("/quiz/")
    assertContains(response, "Mock exam scores")
    assertContains(response, "<svg")


def test_course_home_readiness_panel_combines_recall_and_the_last_mock(signed_in, learner):
    assertContains(signed_in.get("/"), 'hx-get="/quiz/panels/readiness/"')  # lazy-loaded from the course home
    assert "Exam readiness" not in signed_in.get("/quiz/panels/readiness/", headers=HX).content.decode()
    signed_in.post("/quiz/mock/")
    signed_in.post(f"/quiz/mock/{Attempt.objects.get().pk}/submit/")
    response = signed_in.get("/quiz/panels/readiness/", headers=HX)
    assertContains(response, "Exam readiness")
    assertContains(response, "Last mock exam by domain")
    assertContains(response, "Keep going")


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_and_submitting_at_once_leave_a_consistent_attempt(learner, demo_course):
    import threading

    from django.db import connection

    attempt = services.start_mock(user=learner, now=NOW, rng=random.Random(5))
    barrier = threading.Barrier(2)
    errors = []

    def tab(action):
        try:
            barrier.wait()
            action()
        except (services.Finished, services.TimeUp):
            pass  # the other tab submitted first: refused, as it should be
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    save = lambda: services.save_answer(user=learner, attempt_id=attempt.pk, position=1, shown=[0], now=NOW)  # noqa: E731
    submit = lambda: services.submit_mock(user=learner, attempt_id=attempt.pk, now=NOW)  # noqa: E731
    threads = [threading.Thread(target=tab, args=(f,)) for f in (save, submit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    attempt.refresh_from_db()
    slot = attempt.slots.get(position=1)
    assert attempt.finished_at is not None
    # Either the save came first and was graded, or the submit came first and the save was refused.
    assert slot.fraction is not None and (slot.selected is None or slot.answered_at is not None)


def test_the_blueprint_is_configurable(learner, demo_course, settings):
    settings.STUDYAPP_MOCK = {"questions": 1, "weights": {"domain-1": 1}}
    attempt = services.start_mock(user=learner, now=NOW, rng=random.Random(2))
    assert [s.question.domain for s in attempt.slots.all()] == ["domain-1"]


def test_unanswered_questions_are_not_sent_to_review(learner, mock):
    services.submit_mock(user=learner, attempt_id=mock.pk, now=NOW)
    assert not ReviewState.objects.filter(user=learner).exists()


def test_results_of_an_unsubmitted_mock_show_no_feedback(signed_in):
    signed_in.post("/quiz/mock/")
    attempt = Attempt.objects.get()
    assertRedirects(
        signed_in.get(f"/quiz/attempts/{attempt.pk}/results/"), f"/quiz/mock/{attempt.pk}/review/", fetch_redirect_response=False
    )


def test_a_submitted_mock_takes_no_answers_through_the_practice_url(signed_in):
    signed_in.post("/quiz/mock/")
    attempt = Attempt.objects.get()
    signed_in.post(f"/quiz/mock/{attempt.pk}/submit/")
    assert signed_in.post(f"/quiz/attempts/{attempt.pk}/1/", {"option": "0"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_start_makes_one_mock(learner, demo_course):
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    made = []

    def click():
        barrier.wait()
        made.append(services.start_mock(user=learner, now=NOW, rng=random.Random()).pk)
        connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 1 and Attempt.objects.count() == 1


@pytest.mark.parametrize("url", ["/quiz/attempts/999999999999999999999/1/", "/quiz/mock/99999999999999999999999/1/"])
def test_huge_ids_are_404_not_500(signed_in, url):
    assert signed_in.get(url).status_code == 404
