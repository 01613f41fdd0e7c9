"""The timed mock exam: drawn by the blueprint, autosaved, decided by the server's clock."""

import random
import re
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
    assertContains(response, "Readiness by exam domain")
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


# --- issue 11 ------------------------------------------------------------------------------


def test_a_position_the_mock_does_not_have_is_a_404_and_saves_nothing(signed_in, demo_course):
    attempt, _ = _started(signed_in)
    past_the_end = f"/quiz/mock/{attempt.pk}/{attempt.slots.count() + 1}/"
    assert signed_in.get(past_the_end).status_code == 404
    assert signed_in.post(past_the_end, {"option": "0"}, headers=HX).status_code == 404
    assert signed_in.post(past_the_end, {"option": "0", "go": "flag"}).status_code == 404
    assert not attempt.slots.filter(answered_at__isnull=False).exists()
    assert not attempt.slots.filter(flagged=True).exists()


def test_an_autosave_reads_and_writes_in_at_most_eight_queries(signed_in, demo_course, django_assert_max_num_queries):
    _, url = _started(signed_in)
    signed_in.get(url)  # the page the learner answers on: the question's version is then in the cache
    with django_assert_max_num_queries(8):  # session, learner, the door, the locked attempt, slot, update, counts (and the transaction)
        saved = signed_in.post(url, {"option": "0"}, headers=HX)
    assert saved.status_code == 200
    assertContains(saved, "1 of")


def _started(client) -> tuple[Attempt, str]:
    url = client.post("/quiz/mock/").url
    return Attempt.objects.get(), url


@pytest.mark.parametrize(
    ("go", "lands_on"),
    [("flag", "/quiz/mock/{id}/1/"), ("2", "/quiz/mock/{id}/2/"), ("review", "/quiz/mock/{id}/review/"), ("next", "/quiz/mock/{id}/2/")],
)
def test_every_control_of_a_mock_question_saves_the_answer_before_going_on(signed_in, go, lands_on):
    attempt, url = _started(signed_in)
    response = signed_in.post(url, {"option": "0", "go": go})
    assertRedirects(response, lands_on.format(id=attempt.pk), fetch_redirect_response=False)
    slot = attempt.slots.get(position=1)
    assert slot.answered_at is not None
    assert slot.flagged is (go == "flag")


def test_flag_map_and_review_are_buttons_of_the_question_form(signed_in):
    attempt, url = _started(signed_in)
    page = signed_in.get(url).content.decode()
    assert 'id="mock-form"' in page
    for go in ["flag", "review", "1", "2"]:
        assert re.search(rf'<button[^>]*form="mock-form"[^>]*name="go" value="{go}"', page), go
    assert f'href="/quiz/mock/{attempt.pk}/2/"' not in page  # no plain link leaves the question unsaved


def test_flagging_twice_without_javascript_removes_the_flag(signed_in):
    attempt, url = _started(signed_in)
    signed_in.post(url, {"go": "flag"})
    signed_in.post(url, {"go": "flag"})
    assert not attempt.slots.get(position=1).flagged


@pytest.mark.parametrize("go", ["0", "99", "x" * 30])
def test_a_forged_destination_stays_on_the_question(signed_in, go):
    _, url = _started(signed_in)
    assertRedirects(signed_in.post(url, {"option": "0", "go": go}), url, fetch_redirect_response=False)


@pytest.fixture
def submitted(learner, mock):
    first = mock.slots.get(position=1)
    services.save_answer(user=learner, attempt_id=mock.pk, position=1, shown=right(first), now=NOW)
    services.submit_mock(user=learner, attempt_id=mock.pk, now=NOW + timedelta(seconds=62.241460))
    return mock


def test_a_submitted_mocks_questions_are_its_review_not_practice(signed_in, submitted):
    page = signed_in.get(f"/quiz/attempts/{submitted.pk}/1/")
    text = page.content.decode()
    assertContains(page, "Mock exam review")
    assertContains(page, f'href="/quiz/attempts/{submitted.pk}/results/"')
    for practice in ["\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} Practice", "Flag for later", "checks the answer", "<progress"]:
        assert practice not in text, practice
    assertContains(page, "Correct.")


def test_an_unanswered_question_of_a_submitted_mock_shows_the_right_answer_not_a_form(signed_in, submitted):
    page = signed_in.get(f"/quiz/attempts/{submitted.pk}/2/")
    assertContains(page, "Not answered.")
    assertContains(page, "Right:")
    assert 'name="option"' not in page.content.decode()


def test_results_state_the_time_used_in_minutes_and_seconds(signed_in, submitted):
    assertContains(signed_in.get(f"/quiz/attempts/{submitted.pk}/results/"), "Time used: 1 min 2 s.")


def test_the_start_page_states_what_this_bank_will_really_draw(signed_in):
    from studyapp.content.parsing.types import DOMAINS

    page = signed_in.get("/quiz/mock/").content.decode()
    stated = {code: int(n) for code, n in re.findall(r'<tr data-domain="([\w-]+)">.*?<td class="drawn">(\d+)</td>', page)}
    signed_in.post("/quiz/mock/")
    drawn = Attempt.objects.get().options["counts"]
    assert stated == drawn and set(stated) == set(DOMAINS)
    assert "16" in page and "fewer questions than the exam" in page  # the exam's own counts, and why they differ


def test_a_save_from_a_tab_left_open_after_submitting_says_so_with_a_link_to_the_results(signed_in):
    attempt, url = _started(signed_in)
    signed_in.post(f"/quiz/mock/{attempt.pk}/submit/")
    response = signed_in.post(url, {"option": "0"}, headers=HX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#mock-closed" and "mock-closed" in response["HX-Trigger"]
    assertContains(response, "This exam was submitted in another tab", status_code=409)
    assertContains(response, f'href="/quiz/attempts/{attempt.pk}/results/"', status_code=409)
    plain = signed_in.post(url, {"option": "0", "go": "next"})
    assertRedirects(plain, f"/quiz/attempts/{attempt.pk}/results/", fetch_redirect_response=False)
    assert [str(m) for m in plain.wsgi_request._messages] == ["This exam was submitted in another tab."]


def test_an_autosave_updates_the_answered_count_and_the_map_out_of_band(signed_in):
    _, url = _started(signed_in)
    saved = signed_in.post(url, {"option": "0"}, headers=HX).content.decode()
    assert '<p id="mock-answered" class="mock-answered" hx-swap-oob="true">1 of 2 answered</p>' in saved
    assert re.search(r'<li id="map-1" hx-swap-oob="true"><button[^>]*class="map-button is-answered is-current"', saved)
    flagged = signed_in.post(url, {"option": "0", "go": "flag"}, headers=HX).content.decode()
    assert flagged.startswith('<button id="flag"') and "remove flag" in flagged
    assert re.search(r'<li id="map-1" hx-swap-oob="true"><button[^>]*class="map-button is-answered is-flagged is-current"', flagged)


def test_the_question_map_has_a_legend(signed_in):
    _, url = _started(signed_in)
    page = signed_in.get(url)
    for key in ["Answered", "Not answered", "Flagged", "This question"]:
        assertContains(page, f'aria-hidden="true"></span> {key}</li>')


def test_unanswered_questions_count_as_missed_when_practising_the_missed_ones(signed_in, submitted):
    results = signed_in.get(f"/quiz/attempts/{submitted.pk}/results/")
    assertContains(results, "Practise the ones I missed")
    assertContains(results, "1 not answered")
    retry = signed_in.post(f"/quiz/attempts/{submitted.pk}/retry/")
    again = Attempt.objects.exclude(pk=submitted.pk).get()
    assertRedirects(retry, again.get_absolute_url(), fetch_redirect_response=False)
    assert list(again.slots.values_list("question_id", flat=True)) == [submitted.slots.get(position=2).question_id]


def test_an_exam_under_way_can_be_abandoned_after_a_confirmation(signed_in, learner):
    attempt, url = _started(signed_in)
    confirm = signed_in.get(f"/quiz/attempts/{attempt.pk}/abandon/")
    assertContains(confirm, "Abandon this mock exam?")
    assertContains(confirm, f'action="/quiz/attempts/{attempt.pk}/abandon/"')
    assert Attempt.objects.filter(pk=attempt.pk).exists()  # a GET changes nothing
    assertContains(signed_in.get(f"/quiz/mock/{attempt.pk}/review/"), f'href="/quiz/attempts/{attempt.pk}/abandon/"')
    done = signed_in.post(f"/quiz/attempts/{attempt.pk}/abandon/")
    assertRedirects(done, "/quiz/", fetch_redirect_response=False)
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert signed_in.get(url).status_code == 404
    assertContains(signed_in.get("/quiz/mock/"), "Start the exam")  # a new one starts afresh


def test_a_finished_attempt_cannot_be_abandoned(signed_in, submitted):
    response = signed_in.post(f"/quiz/attempts/{submitted.pk}/abandon/")
    assert response.status_code == 400 and "already finished" in response.content.decode()
    assert Attempt.objects.filter(pk=submitted.pk).exists()


# --- review mode: untimed, feedback after each question ----------------------------------------


def _start_review(client) -> Attempt:
    response = client.post("/quiz/mock/", {"mode": "review"})
    attempt = Attempt.objects.get(quiz__key="mock-review")
    assertRedirects(response, f"/quiz/attempts/{attempt.pk}/1/", fetch_redirect_response=False)
    return attempt


def test_the_start_page_offers_the_timed_mode_and_the_review_mode(signed_in):
    page = signed_in.get("/quiz/mock/")
    assertContains(page, "Start the exam")
    assertContains(page, "Start review mode")
    assertContains(page, 'name="mode" value="review"')


def test_review_mode_is_an_untimed_mock_drawn_by_the_blueprint(signed_in, learner):
    attempt = _start_review(signed_in)
    quiz = attempt.quiz
    assert quiz.time_limit is None and quiz.feedback == "immediate" and quiz.question_count == 65
    assert attempt.deadline is None and attempt.slots.count() == 2  # the demo bank, all of it
    assert attempt.options["counts"] == services.start_mock(user=UserFactory(), now=NOW, rng=random.Random(1)).options["counts"]
    page = signed_in.get(f"/quiz/attempts/{attempt.pk}/1/")
    assertContains(page, "Mock exam (review mode)")
    assert "Time left" not in page.content.decode()
    assert services.in_progress_mock(learner) is None  # the timed mode is not under way


def test_review_mode_shows_the_feedback_after_each_answer_without_javascript(signed_in):
    attempt = _start_review(signed_in)
    url = f"/quiz/attempts/{attempt.pk}/1/"
    assertRedirects(signed_in.post(url, {"option": "0"}), url, fetch_redirect_response=False)
    feedback = signed_in.get(url).content.decode()
    assert ("Correct." in feedback or "Not quite." in feedback) and "(your answer)" in feedback


def test_review_mode_shows_the_feedback_after_each_answer_with_htmx(signed_in):
    attempt = _start_review(signed_in)
    response = signed_in.post(f"/quiz/attempts/{attempt.pk}/1/", {"option": "0"}, headers=HX)
    assertTemplateUsed(response, "question")
    assert "<html" not in response.content.decode() and "(your answer)" in response.content.decode()


def test_starting_review_mode_again_resumes_it(signed_in):
    first = _start_review(signed_in)
    signed_in.post("/quiz/mock/", {"mode": "review"})
    assert Attempt.objects.filter(quiz__key="mock-review").get() == first
    assertContains(signed_in.get("/quiz/mock/"), "Resume review mode")


def test_a_finished_review_mode_mock_has_a_scaled_score(signed_in):
    attempt = _start_review(signed_in)
    for slot in attempt.slots.all():
        signed_in.post(f"/quiz/attempts/{attempt.pk}/{slot.position}/", {"option": "0"})
    results = signed_in.get(f"/quiz/attempts/{attempt.pk}/results/")
    assertContains(results, "Results: mock exam (review mode)")
    assertContains(results, "of 1000 (700 passes)")
    assertContains(signed_in.get("/quiz/"), "Mock exam (review mode)")


@pytest.mark.parametrize("mode", ["", "timed", "x" * 40])
def test_any_other_mode_starts_the_timed_exam(signed_in, mode):
    url = signed_in.post("/quiz/mock/", {"mode": mode}).url
    assert Attempt.objects.get().quiz.key == "mock" and url.startswith("/quiz/mock/")
