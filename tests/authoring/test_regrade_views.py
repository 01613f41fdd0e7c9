"""The regrade page: who may open it, the dry run it shows, and applying it with a confirmation,
with and without htmx."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from studyapp.accounts.models import User
from studyapp.authoring import regrade
from studyapp.authoring.models import Regrade
from studyapp.questions.models import Question
from tests.factories import UserFactory

from .test_regrade import authored, mark, practise, rekey

HX = {"HX-Request": "true"}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def learner(db) -> User:
    return UserFactory(username="ann", first_name="Ann", last_name="Lee")


@pytest.fixture
def rekeyed(author: User, learner: User) -> Question:
    """An authored question whose key moved from A to B after Ann answered B (wrong, then)."""
    question = authored(author, "A")
    practise(learner, [question], {question.pk: "B"})
    rekey(question, "B", author)
    question.refresh_from_db()
    return question


def url(question: Question | int) -> str:
    return reverse("authoring:regrade", args=[question if isinstance(question, int) else question.pk])


def plan(question: Question) -> str:
    assert question.current_version is not None
    return regrade.digest(regrade.dry_run(question=question, to_version=question.current_version))


# --- access -----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(rekeyed):
    response = Client().get(url(rekeyed))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_learner_and_an_author_who_may_not_edit_the_question_get_403(rekeyed, learner, other_author, method):
    for user in (learner, other_author):
        response = getattr(signed_in(user), method)(url(rekeyed), {"confirm": "on", "plan": plan(rekeyed)})
        assert response.status_code == 403
    assert not Regrade.objects.exists()


def test_a_question_from_the_course_notes_is_read_only_and_a_missing_one_is_404(author, demo_course):
    from_notes = Question.objects.published().first()
    assert from_notes is not None
    client = signed_in(author)
    assert client.get(url(from_notes)).status_code == 403
    assert client.get(url(999999)).status_code == 404


# --- the dry run ---------------------------------------------------------------------------------------


def test_the_dry_run_names_the_learner_and_the_old_and_new_marks(author, rekeyed):
    response = signed_in(author).get(url(rekeyed))
    assert response.status_code == 200
    assertTemplateUsed(response, "authoring/regrade.html")
    assertContains(response, "Ann Lee")
    assertContains(response, "0 → 1")
    assertContains(response, "0 / 1 → 1 / 1")
    assertContains(response, "Apply the regrade")
    assertContains(response, "None yet.")


def test_the_dry_run_is_a_fragment_for_htmx(author, rekeyed):
    response = signed_in(author).get(url(rekeyed), headers=HX)
    assertTemplateUsed(response, "regrade")  # Django names a rendered partial by its own name
    assertContains(response, "Ann Lee")
    assertNotContains(response, "<html")


def test_answers_to_reworded_options_are_listed_as_not_regraded(author, learner):
    question = authored(author, "A")
    practise(learner, [question], {question.pk: "B"})
    rekey(question, "B", author, texts=("EC2", "Lambda", "Fargate", "Lightsail"))
    response = signed_in(author).get(url(question))
    assertContains(response, "Not regraded: the options changed")
    assertNotContains(response, "Apply the regrade")


# --- applying ------------------------------------------------------------------------------------------


def test_apply_needs_the_box_ticked(author, learner, rekeyed):
    response = signed_in(author).post(url(rekeyed), {"plan": plan(rekeyed)})
    assert response.status_code == 200
    assertContains(response, "Tick the box to confirm")
    assert not Regrade.objects.exists()


def test_apply_re_marks_then_the_page_says_so_and_lists_the_audit(author, learner, rekeyed):
    client = signed_in(author)
    response = client.post(url(rekeyed), {"confirm": "on", "plan": plan(rekeyed)}, follow=True)
    assert response.redirect_chain == [(url(rekeyed), 302)]
    assertContains(response, "Regraded 1 answer to version 2")
    assertContains(response, "re-marked 1 answer from version 1 to version 2")
    assertContains(response, "No mark would change")
    (attempt,) = learner.quiz_attempts.all()
    assert mark(attempt, rekeyed) == 1
    assert Regrade.objects.count() == 1

    again = client.post(url(rekeyed), {"confirm": "on", "plan": plan(rekeyed)}, follow=True)
    assertContains(again, "Nothing to regrade")
    assert Regrade.objects.count() == 1


def test_apply_by_htmx_answers_with_the_fragment_and_its_message(author, learner, rekeyed):
    response = signed_in(author).post(url(rekeyed), {"confirm": "on", "plan": plan(rekeyed)}, headers=HX)
    assert response.status_code == 200
    assertTemplateUsed(response, "regrade")  # Django names a rendered partial by its own name
    assertContains(response, "Regraded 1 answer")
    assertContains(response, 'hx-swap-oob="innerHTML"')
    assert Regrade.objects.count() == 1


def test_a_list_that_changed_since_the_page_was_read_is_shown_again_not_applied(author, learner, rekeyed):
    page = signed_in(author).get(url(rekeyed))
    seen = page.context["form"]["plan"].value()
    assert seen == plan(rekeyed)
    second = authored(author, "A")  # meanwhile Ann answered another question, and its key moved too
    practise(learner, [second], {second.pk: "B"})
    bob = UserFactory(username="bob")
    practise(bob, [rekeyed], {rekeyed.pk: "A"})  # the current version: nothing to re-mark
    assert plan(rekeyed) == seen, "an answer to the current version does not change the list"
    regrade.apply(question=rekeyed, to_version=rekeyed.current_version, by=author, now=rekeyed.current_version.created_at)
    response = signed_in(author).post(url(rekeyed), {"confirm": "on", "plan": seen})
    assertContains(response, "The list changed since the page was opened")
    assertContains(response, "No mark would change")
    assert Regrade.objects.count() == 1, "only the regrade applied meanwhile"
