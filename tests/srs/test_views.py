"""The study screens, with and without htmx."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateNotUsed, assertTemplateUsed

from studyapp.srs import services
from studyapp.srs.models import ReviewLog, ReviewState
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import later, rate

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def signed_in(client, learner, demo_course):
    client.force_login(learner)
    return client


def form_fields(response) -> dict[str, str]:
    return dict(re.findall(r'name="(kind|item|revision|shown|topic)" value="([^"]*)"', response.content.decode()))


@pytest.mark.parametrize("url", ["/study/", "/study/review/", "/study/stats/", "/study/leeches/", "/study/settings/", "/study/history.csv"])
def test_visitors_are_sent_to_log_in(client, url):
    assertRedirects(client.get(url), f"/accounts/login/?next={url}", fetch_redirect_response=False)


def test_overview_shows_what_is_due(signed_in):
    response = signed_in.get("/study/")
    assertContains(response, "Study now")
    assertContains(response, "Containers")


def test_front_then_back_with_intervals(signed_in):
    front = signed_in.get("/study/review/")
    assertTemplateUsed(front, "srs/review.html")
    assertContains(front, "What is a container image?")
    assertContains(front, "Show answer")
    back = signed_in.get("/study/review/", {"show": "1"})
    assertContains(back, 'href="/courses/demo/containers/#images-and-registries"')  # back to the note
    assertContains(back, "A read-only template from which containers start.")
    for label, interval in [("Again", "1m"), ("Hard", "6m"), ("Good", "10m")]:
        assertContains(back, label)
        assertContains(back, f'<span class="grade-interval">{interval}</span>')
    assertContains(back, 'action="/study/review/grade/"')


def test_the_front_does_not_link_to_the_section_that_holds_the_answer(signed_in):
    front = signed_in.get("/study/review/")
    assertContains(front, "What is a container image?")
    assertNotContains(front, "#images-and-registries")
    assertNotContains(front, "Images and registries")  # the section's title is a hint too
    assertContains(front, "From Containers in brief")
    assertContains(signed_in.get("/study/review/", {"show": "1"}), "Containers in brief \u203a Images and registries</a>")


def test_a_missed_question_links_to_its_note_on_the_back_only(signed_in, learner, question):
    services.enqueue_question(user=learner, question=question, now=NOW)
    front = signed_in.get("/study/review/")
    assertContains(front, "Question you missed")
    href = f'href="{question.placement.get_absolute_url()}"'
    assertNotContains(front, href)
    assertContains(signed_in.get("/study/review/", {"show": "1"}), href)


@pytest.mark.parametrize(
    ("ratings", "label"),
    [((), "New card"), ((3,), "Learning"), ((4,), "Review"), ((4, 1), "Relearning")],
    ids=["new", "learning", "review", "relearning"],
)
def test_the_screen_names_the_card_s_real_state(signed_in, learner, cards, ratings, label):
    for number, rating in enumerate(ratings):
        rate(learner, cards[0], rating, at=later(days=30 * number))
        ReviewState.objects.filter(user=learner).update(due=NOW)  # due again now
    response = signed_in.get("/study/review/")
    assertContains(response, "What is a container image?")
    assertContains(response, f'<p class="card-kind">{label}</p>')


def test_flip_with_htmx_returns_only_the_card(signed_in):
    response = signed_in.get("/study/review/", {"show": "1"}, headers=HX)
    assertTemplateUsed(response, "card")
    assertTemplateNotUsed(response, "base.html")
    assert 'id="card"' in response.content.decode() and "<html" not in response.content.decode()


def test_grading_without_javascript_redirects_to_the_next_card(signed_in, learner):
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    response = signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    assertRedirects(response, "/study/review/", fetch_redirect_response=False)
    assert ReviewLog.objects.filter(user=learner, rating=3).count() == 1
    assertContains(signed_in.get("/study/review/"), "stores container images")  # the next card: the cloze


def test_grading_with_htmx_returns_the_next_card_fragment(signed_in):
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    response = signed_in.post("/study/review/grade/", {**fields, "rating": "4"}, headers=HX)
    assertTemplateUsed(response, "card")
    body = response.content.decode()
    assert "<html" not in body and "[…]" in body  # the cloze card's front


@pytest.mark.parametrize("rating", ["0", "5", "abc", "", "3.5"])
def test_a_bad_rating_is_a_400_and_changes_nothing(signed_in, rating):
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    response = signed_in.post("/study/review/grade/", {**fields, "rating": rating})
    assert response.status_code == 400
    assert b"1 (Again)" in response.content
    assert not ReviewLog.objects.exists() and not ReviewState.objects.exists()


def test_a_card_of_another_course_or_a_bogus_id_is_a_400(signed_in):
    response = signed_in.post("/study/review/grade/", {"kind": "card", "item": "999999", "revision": "0", "rating": "3"})
    assert response.status_code == 400 and not ReviewLog.objects.exists()


def test_posting_twice_counts_once(signed_in):
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    assert ReviewLog.objects.count() == 1


def data_queries(queries) -> list[str]:
    """Statements that touch tables: transaction control (BEGIN, COMMIT, savepoints) left out."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(control)]


# Counted outside a test transaction, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_review_post_takes_at_most_six_queries(signed_in, learner):
    from studyapp.srs.models import ReviewSettings

    ReviewSettings.objects.create(user=learner, learning_steps="1m")
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    signed_in.post("/study/review/grade/", {**fields, "rating": "1"})  # Again: due in a minute
    state = ReviewState.objects.get()
    ReviewState.objects.filter(pk=state.pk).update(due=state.due.replace(year=2000))  # due now
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    assert fields["revision"] == "1"
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    assert len(data_queries(queries)) <= 6, data_queries(queries)
    assert response.status_code == 302 and ReviewLog.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_new_card_review_post_takes_at_most_six_queries(signed_in):
    signed_in.get("/study/")  # creates the learner's settings
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    with CaptureQueriesContext(connection) as queries:
        signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    assert len(data_queries(queries)) <= 6, data_queries(queries)
    assert ReviewLog.objects.count() == 1


def test_undo_brings_the_card_back(signed_in):
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    response = signed_in.post("/study/review/undo/", headers=HX)
    assertContains(response, "What is a container image?")
    assert ReviewLog.objects.get().undo is not None


def shown_card(client) -> str:
    return re.search(r'action="/study/items/card/(\d+)/bury/"', client.get("/study/review/").content.decode()).group(1)


def test_suspend_from_the_review_screen(signed_in, learner):
    response = signed_in.post(f"/study/items/card/{shown_card(signed_in)}/suspend/", {"next": "/study/review/"})
    assertRedirects(response, "/study/review/", fetch_redirect_response=False)
    assert ReviewState.objects.get(user=learner).suspended


def test_actions_refuse_unknown_verbs_and_foreign_redirects(signed_in, learner):
    card = shown_card(signed_in)
    assert signed_in.post(f"/study/items/card/{card}/delete/").status_code == 400
    response = signed_in.post(f"/study/items/card/{card}/flag/", {"next": "https://evil.example/"})
    assertRedirects(response, "/study/review/", fetch_redirect_response=False)


def test_an_action_fragment_carries_forms_that_work_again(signed_in, learner):
    """The fragment an action answers comes back to the review screen, not to the action's
    POST-only URL (which a second action followed as a GET: 405)."""
    card = shown_card(signed_in)
    flagged = signed_in.post(
        f"/study/items/card/{card}/flag/", {"next": "/study/review/?topic=containers", "topic": "containers"}, headers=HX
    )
    assertTemplateUsed(flagged, "card")
    body = flagged.content.decode()
    assert 'name="next" value="/study/review/?topic=containers"' in body
    assert f'action="/study/items/card/{card}/unflag/"' in body
    assert '<div id="messages" hx-swap-oob="innerHTML"><p class="message message-success">Flagged.</p></div>' in body
    next_url = re.search(r'name="next" value="([^"]*)"', body).group(1)
    unflagged = signed_in.post(f"/study/items/card/{card}/unflag/", {"next": next_url, "topic": "containers"}, headers=HX)
    assert unflagged.status_code == 200
    assertContains(unflagged, "Flag removed.")
    assert not ReviewState.objects.get(user=learner).flagged


def test_learners_never_see_each_others_state(client, demo_course):
    alice, bob = UserFactory(), UserFactory()
    client.force_login(alice)
    fields = form_fields(client.get("/study/review/", {"show": "1"}))
    client.post("/study/review/grade/", {**fields, "rating": "3"})
    client.force_login(bob)
    assertContains(client.get("/study/review/"), "0 learning")
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/study/history.csv").streaming_content).decode())))
    assert len(rows) == 1  # bob: header only


def test_history_csv_has_the_columns_an_optimizer_needs(signed_in):
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    response = signed_in.get("/study/history.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["review_rating"] == "3" and rows[0]["review_state"] == "0"
    assert set(rows[0]) >= {"card_id", "review_time", "review_rating", "review_duration"}
    assert rows[0]["item_key"] == "demo-image" and rows[0]["review_time"].endswith("Z")


def test_settings_validate_retention_and_steps(signed_in, learner):
    response = signed_in.post(
        "/study/settings/", {"desired_retention": "0.99", "new_per_day": "20", "learning_steps": "1x", "relearning_steps": "10m"}
    )
    assertContains(response, "less than or equal to 0.97")
    assertContains(response, "is not a step")
    assert not learner.review_settings.__class__.objects.filter(desired_retention=0.99).exists()
    ok = signed_in.post(
        "/study/settings/",
        {"desired_retention": "0.85", "new_per_day": "10", "learning_steps": "5m  1h", "relearning_steps": "10m", "fuzz": "on"},
    )
    assertRedirects(ok, "/study/settings/", fetch_redirect_response=False)
    learner.review_settings.refresh_from_db()
    assert learner.review_settings.learning_steps == "5m 1h"


def test_settings_turn_burying_cloze_siblings_off(signed_in, learner):
    page = signed_in.get("/study/settings/")
    assertContains(page, "Bury related cards")
    assertContains(page, 'name="bury_siblings"')
    fields = {"desired_retention": "0.9", "new_per_day": "20", "learning_steps": "1m 10m", "relearning_steps": "10m", "fuzz": "on"}
    signed_in.post("/study/settings/", fields)  # the box left unticked
    learner.review_settings.refresh_from_db()
    assert learner.review_settings.bury_siblings is False
    signed_in.post("/study/settings/", {**fields, "bury_siblings": "on"})
    learner.review_settings.refresh_from_db()
    assert learner.review_settings.bury_siblings is True


@pytest.mark.django_db(transaction=True)
def test_a_cloze_review_post_buries_its_sibling_in_a_few_more_queries(signed_in, learner):
    signed_in.get("/study/")  # creates the learner's settings
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    signed_in.post("/study/review/grade/", {**fields, "rating": "3"})  # demo-image; next: the cloze's c1
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    with CaptureQueriesContext(connection) as queries:
        signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    assert len(data_queries(queries)) <= 9, data_queries(queries)
    assert ReviewState.objects.filter(card__source_key="demo-registry/c2", buried_until__isnull=False).exists()


def test_stats_page_draws_svg_charts(signed_in):
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    response = signed_in.get("/study/stats/")
    body = response.content.decode()
    assert body.count("<svg") == 3 and "Reviews per day" in body and "heat-" in body
    assertContains(response, "Learning")


def test_course_home_recall_panel_shows_recall_and_unseen_cards_per_topic(signed_in):
    fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
    signed_in.post("/study/review/grade/", {**fields, "rating": "4"})
    assertContains(signed_in.get("/"), 'hx-get="/study/panels/recall/?course=demo"')  # lazy-loaded from here
    response = signed_in.get("/study/panels/recall/", {"course": "demo"}, headers=HX)
    assertContains(response, "Not enough reviews yet to predict (1 card seen)")  # one review is no prediction
    assertContains(response, "2 not seen yet")


@pytest.mark.parametrize("field", ["item", "revision"])
def test_oversized_numbers_in_the_grade_form_are_a_400(signed_in, field):
    fields = {"kind": "card", "item": "1", "revision": "0", "rating": "3"} | {field: "9" * 30}
    assert signed_in.post("/study/review/grade/", fields).status_code == 400


def test_oversized_ids_in_card_actions_are_404(signed_in):
    assert signed_in.post("/study/items/card/99999999999999999999999/suspend/").status_code == 404


def test_a_step_longer_than_a_year_is_a_form_error(signed_in):
    response = signed_in.post(
        "/study/settings/", {"desired_retention": "0.9", "new_per_day": "20", "learning_steps": "99999999999d", "relearning_steps": "10m"}
    )
    assertContains(response, "longer than a year")


def test_a_missed_question_lists_its_options_in_its_own_stable_order(signed_in, learner):
    from studyapp.questions.models import Question
    from studyapp.srs import services
    from tests.conftest import NOW

    questions = list(Question.objects.published().order_by("placement__position"))
    for question in questions:
        services.enqueue_question(user=learner, question=question, now=NOW)
    shown = []
    for _ in questions:
        response = signed_in.get("/study/review/", {"show": "1"})
        question = response.context["item"].question
        order = [option.stored for option in response.context["options"]]
        assert order == list(question.content.stable_order(question.pk))
        assert signed_in.get("/study/review/", {"show": "1"}).context["options"] == response.context["options"]  # stable
        shown.append(order)
        services.bury(user=learner, kind="question", item_id=question.pk, now=NOW)
    assert any(order != sorted(order) for order in shown)


def undo_fields(response) -> dict[str, str]:
    """The undo form's hidden fields, as the page shows them."""
    form = re.search(r'<form class="undo-form".*?</form>', response.content.decode(), re.S).group(0)
    return dict(re.findall(r'name="(change|topic)" value="([^"]*)"', form))


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_a_repeated_undo_takes_back_one_review_only(signed_in, headers):
    """Two clicks on Undo (or the same form posted twice): the form names the change it undoes, so
    the second finds it already undone, says so and shows the current card."""
    for _ in range(2):
        fields = form_fields(signed_in.get("/study/review/", {"show": "1"}))
        signed_in.post("/study/review/grade/", {**fields, "rating": "3"})
    undo = undo_fields(signed_in.get("/study/review/"))
    assert undo["change"]
    first = signed_in.post("/study/review/undo/", undo, headers=headers, follow=not headers)
    assert first.status_code == 200
    second = signed_in.post("/study/review/undo/", undo, headers=headers, follow=not headers)
    assertContains(second, "Already undone")
    assertContains(second, 'id="card"')
    assert ReviewLog.objects.filter(undo__isnull=False).count() == 1
    again = signed_in.post("/study/review/undo/", undo_fields(second), headers=headers, follow=not headers)  # the fresh form works
    assert again.status_code == 200
    assert ReviewLog.objects.filter(undo__isnull=False).count() == 2


def test_a_repeated_undo_of_an_action_changes_nothing_more(signed_in, learner):
    card = shown_card(signed_in)
    signed_in.post(f"/study/items/card/{card}/flag/", {"next": "/study/review/"})
    undo = undo_fields(signed_in.get("/study/review/"))
    signed_in.post("/study/review/undo/", undo)
    assert not ReviewState.objects.get(user=learner).flagged
    signed_in.post(f"/study/items/card/{card}/flag/", {"next": "/study/review/"})  # flagged again, a new change
    response = signed_in.post("/study/review/undo/", undo, follow=True)
    assertContains(response, "Already undone")
    assert ReviewState.objects.get(user=learner).flagged


# --- the items the screen shows come from the cache until the content or the bank changes ------


def _reload(root, *, hours: int = 1) -> None:
    from datetime import timedelta

    from studyapp.content.loader import load
    from studyapp.content.sync import sync_content

    result = load(root)
    assert result.ok, [str(p) for p in result.problems]
    sync_content(result, now=NOW + timedelta(hours=hours))


def _rewrite(root, old: str, new: str) -> None:
    note = root / "demo" / "01-containers.md"
    text = note.read_text()
    assert old in text
    note.write_text(text.replace(old, new))


def test_a_card_a_load_changed_shows_its_new_text_on_the_next_review(signed_in, demo_root):
    assertContains(signed_in.get("/study/review/", {"show": "1"}), "A read-only template from which containers start.")
    _rewrite(demo_root, "A read-only template from which containers start.", "A read-only template that every container starts from.")
    _reload(demo_root)
    back = signed_in.get("/study/review/", {"show": "1"})
    assertContains(back, "A read-only template that every container starts from.")
    assertNotContains(back, "A read-only template from which containers start.")


def test_a_missed_question_a_load_changed_shows_its_new_wording_on_the_next_review(signed_in, learner, question, demo_root):
    services.enqueue_question(user=learner, question=question, now=NOW)
    assertContains(signed_in.get("/study/review/"), "Which service runs containers without servers to manage?")
    _rewrite(
        demo_root,
        "Which service runs containers without servers to manage?",
        "Which service runs containers with no servers to look after?",
    )
    _reload(demo_root)
    front = signed_in.get("/study/review/")
    assertContains(front, "Which service runs containers with no servers to look after?")
    assertNotContains(front, "without servers to manage")
