"""Readiness that tells the truth (issue 11, point 9): per exam domain, how much of the course was
seen, the recall FSRS predicts on the learner's exam date, and the last mock; too little data is
said in words, never as a number."""

import os
from datetime import date, timedelta
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from studyapp.accounts.models import User
from studyapp.content.models import Card, excluding_tag
from studyapp.quizzes import reports
from studyapp.quizzes import services as quizzes
from studyapp.srs import queue, services
from studyapp.srs.models import ReviewSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
URL = "/quiz/panels/readiness/"


@pytest.fixture
def learner(db: None) -> User:
    return UserFactory()


@pytest.fixture
def real_course(db: None) -> None:
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)


def exam_cards() -> QuerySet[Card]:
    """The course's live cards that count towards readiness: not tagged beyond-exam (issue 13, point 2)."""
    return excluding_tag(Card.objects.live(), quizzes.BEYOND_EXAM)


def review(user: User, cards: list[Card], *, minutes_ago: int = 5, rating: int = 3) -> None:
    then = timezone.now() - timedelta(minutes=minutes_ago)
    for card in cards:
        services.record_review(user=user, kind="card", item_id=card.pk, revision=0, rating=rating, now=then)


def test_twenty_of_the_course_cards_seen_minutes_ago_is_not_enough_data(client: Client, learner: User, real_course: None) -> None:
    cards = list(exam_cards().order_by("position"))
    assert len(cards) > 250  # the real course's exam-relevant cards (366 cards when the issue was filed, 298 not beyond-exam in issue 13)
    review(learner, cards[:20])
    client.force_login(learner)
    response = client.get(URL, headers=HX)
    body = " ".join(response.content.decode().split())
    assert "100 %" not in body and "100%" not in body
    assertContains(response, "Not enough reviews yet")
    assertContains(response, f"20 of {len(cards)} cards")


def test_recall_is_predicted_on_the_exam_date_not_now(learner: User, real_course: None) -> None:
    cards = list(exam_cards().order_by("position")[:40])
    review(learner, cards, minutes_ago=1, rating=3)
    now = timezone.now()
    today = now.date()
    at_once = reports.readiness(learner, now=now, exam_date=today)
    later = reports.readiness(learner, now=now, exam_date=today + timedelta(days=14))
    assert at_once is not None and later is not None
    assert at_once["recall"] is not None and later["recall"] is not None
    assert cast(int, later["recall"]) < cast(int, at_once["recall"])
    assert later["days_left"] == 14


def test_the_exam_date_defaults_to_two_weeks_ahead(learner: User) -> None:
    today = date(2026, 12, 1)
    assert reports.exam_day(learner, today=today) == date(2026, 12, 15)
    queue.review_settings(learner)
    ReviewSettings.objects.filter(user=learner).update(exam_date=date(2027, 1, 10))
    learner.refresh_from_db()
    assert reports.exam_day(User.objects.get(pk=learner.pk), today=today) == date(2027, 1, 10)


SETTINGS = {"desired_retention": "0.9", "new_per_day": "20", "learning_steps": "1m 10m", "relearning_steps": "10m", "fuzz": "on"}


def test_settings_page_shows_the_default_exam_date_and_validates_it(client: Client, learner: User) -> None:
    client.force_login(learner)
    today = timezone.localdate()
    page = client.get("/study/settings/")
    assertContains(page, 'name="exam_date"')
    assertContains(page, f'value="{today + timedelta(days=14):%Y-%m-%d}"')
    past = client.post("/study/settings/", {**SETTINGS, "exam_date": f"{today - timedelta(days=1):%Y-%m-%d}"})
    assertContains(past, "The exam date cannot be in the past.")
    far = client.post("/study/settings/", {**SETTINGS, "exam_date": f"{today + timedelta(days=800):%Y-%m-%d}"})
    assertContains(far, "at most two years ahead")
    garbage = client.post("/study/settings/", {**SETTINGS, "exam_date": "next tuesday"})
    assert garbage.status_code == 200
    assertContains(garbage, "Enter a valid date.")
    assert queue.review_settings(User.objects.get(pk=learner.pk)).exam_date is None
    chosen = today + timedelta(days=30)
    client.post("/study/settings/", {**SETTINGS, "exam_date": f"{chosen:%Y-%m-%d}"})
    assert ReviewSettings.objects.get(user=learner).exam_date == chosen
    assert reports.exam_day(User.objects.get(pk=learner.pk), today=today) == chosen
    assertContains(client.get("/study/settings/"), f'value="{chosen:%Y-%m-%d}"')


def test_per_domain_table_counts_cards_and_questions_seen(client: Client, learner: User, real_course: None) -> None:
    cards = exam_cards().select_related("note").order_by("position")
    domain_3 = [card for card in cards if "domain-3" in card.note.domains and "domain-4" not in card.note.domains][:35]
    assert len(domain_3) == 35
    review(learner, domain_3, minutes_ago=60 * 24 * 3, rating=3)
    client.force_login(learner)
    client.post("/quiz/mock/")
    from studyapp.quizzes.models import Attempt

    attempt = Attempt.objects.get()
    first = attempt.slots.get(position=1).question
    quizzes.save_answer(user=learner, attempt_id=attempt.pk, position=1, shown=[0], now=timezone.now())
    client.post(f"/quiz/mock/{attempt.pk}/submit/")
    response = client.get(URL, headers=HX)
    assertContains(response, "Readiness by exam domain")
    table = reports.readiness(learner, now=timezone.now(), exam_date=timezone.localdate() + timedelta(days=14))
    assert table is not None
    rows = {row["code"]: row for row in cast(list[dict[str, Any]], table["domains"])}
    assert list(rows) == ["domain-1", "domain-2", "domain-3", "domain-4"]
    assert rows["domain-3"]["cards_seen"] == 35
    assert rows["domain-3"]["recall"] is not None  # 35 seen: enough for a number
    assert rows["domain-4"]["cards_seen"] == 0 and rows["domain-4"]["recall"] is None
    assert all(row["cards_total"] >= row["cards_seen"] for row in rows.values())
    assert table["questions_seen"] == 1 and rows[first.domain]["questions_seen"] == 1  # answered in the mock
    assert all(row["mock"] is not None for row in rows.values())  # every domain was in the mock
    assert table["mock"] is not None and "Keep going" in response.content.decode()
    assertContains(response, "Not enough yet")  # domain 4: fewer than 5 cards seen


def test_ready_only_with_a_passing_mock_and_enough_recall(learner: User, real_course: None) -> None:
    review(learner, list(exam_cards().order_by("position")[:40]), minutes_ago=1, rating=4)
    result = reports.readiness(learner, now=timezone.now(), exam_date=timezone.localdate())
    assert result is not None and result["mock"] is None and result["ready"] is False


def test_the_panel_reads_a_bounded_number_of_queries(client: Client, learner: User, real_course: None) -> None:
    review(learner, list(exam_cards().order_by("position")[:60]))
    client.force_login(learner)
    client.post("/quiz/mock/")
    client.get(URL, headers=HX)  # settings created once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, headers=HX).status_code == 200
    assert len(queries) <= 10, [q["sql"] for q in queries]


def test_another_learners_reviews_do_not_count(client: Client, learner: User, real_course: None) -> None:
    review(UserFactory(), list(exam_cards().order_by("position")[:40]))
    review(learner, list(exam_cards().order_by("position")[:2]))
    client.force_login(learner)
    response = client.get(URL, headers=HX)
    assertContains(response, "2 of ")
    assertNotContains(response, "40 of ")
