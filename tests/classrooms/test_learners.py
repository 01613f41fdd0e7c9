"""A learner's page and the class readiness panel (issue 14 point 4), as the class's instructors see them."""

import os
import random
import statistics
from datetime import timedelta
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateNotUsed, assertTemplateUsed

from studyapp.accounts.models import Role, User
from studyapp.classrooms import reports, services
from studyapp.classrooms.models import Classroom, MembershipStatus
from studyapp.content.models import Card, Course, excluding_tag
from studyapp.content.parsing.types import DOMAINS
from studyapp.quizzes import reports as quiz_reports
from studyapp.quizzes import services as quizzes
from studyapp.quizzes.models import AttemptQuestion
from studyapp.srs import queue
from studyapp.srs import services as srs
from studyapp.srs.models import ReviewSettings
from tests.classrooms.conftest import as_teacher, enrol
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def course(db: None) -> Course:
    """The real course (load_content): enough exam-relevant cards for predictions."""
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    return Course.objects.live().order_by("pk").first()


@pytest.fixture
def teacher(db: None) -> User:
    return UserFactory(username="morningteacher", role=Role.INSTRUCTOR, first_name="Mo", last_name="Teach")


@pytest.fixture
def real_class(teacher: User, course: Course) -> Classroom:
    return services.create_classroom(by=teacher, name="Morning group", course=course, now=timezone.now())


def join(user: User, classroom: Classroom) -> None:
    services.join_classroom(user=user, classroom=classroom, now=timezone.now() - timedelta(days=10))


def exam_cards(domain: str | None = None) -> list[Card]:
    cards = excluding_tag(Card.objects.live(), quizzes.BEYOND_EXAM).select_related("note").order_by("position", "pk")
    return [c for c in cards if domain is None or domain in c.note.domains]


def review(user: User, cards: list[Card], *, minutes_ago: int, rating: int = 3) -> None:
    then = timezone.now() - timedelta(minutes=minutes_ago)
    for card in cards:
        srs.record_review(user=user, kind="card", item_id=card.pk, revision=0, rating=rating, now=then)


def take_mock(user: User, *, right: bool, answers: int = 3) -> None:
    """A finished timed mock; ``right``: every question right (a passing score), else a few answered."""
    now = timezone.now() - timedelta(hours=1)
    attempt = quizzes.start_mock(user=user, now=now, rng=random.Random(user.pk))
    for position in range(1, answers + 1):
        quizzes.save_answer(user=user, attempt_id=attempt.pk, position=position, shown=[0], now=now)
    quizzes.submit_mock(user=user, attempt_id=attempt.pk, now=now + timedelta(minutes=5))
    if right:  # as if every answer had been right: readiness reads the graded fractions
        AttemptQuestion.objects.filter(attempt=attempt).update(fraction=1)


@pytest.fixture
def ready_learner(real_class: Classroom) -> User:
    """Sits the exam today, 40 cards reviewed a minute ago (Easy), a perfect mock: Ready."""
    user = UserFactory(username="ready", first_name="Rita", last_name="Ready", email="rita@example.com")
    join(user, real_class)
    review(user, exam_cards()[:40], minutes_ago=1, rating=4)
    queue.review_settings(user)
    ReviewSettings.objects.filter(user=user).update(exam_date=timezone.localdate())
    take_mock(user, right=True)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def starting_learner(real_class: Classroom) -> User:
    """In New York, 35 domain-3 cards reviewed three days ago, a mock with three answers: not ready."""
    user = UserFactory(username="starting", time_zone="America/New_York")
    join(user, real_class)
    review(user, [c for c in exam_cards("domain-3") if "domain-4" not in c.note.domains][:35], minutes_ago=3 * 24 * 60)
    take_mock(user, right=False)
    return User.objects.get(pk=user.pk)


# --- the learner's page --------------------------------------------------------------------------


def test_the_learners_page_shows_their_progress_to_the_instructor(teacher, real_class, ready_learner):
    url = f"/classes/{real_class.pk}/learners/{ready_learner.pk}/"
    response = signed_in(teacher).get(url)
    assert response.status_code == 200
    assertTemplateUsed(response, "classrooms/learner.html")
    assertTemplateUsed(response, "components/_readiness_domains.html")
    for heading in (
        "Rita Ready",
        "Assignments",
        "Exam readiness",
        "Mock exam scores over time",
        "Reviews per day",
        "Predicted recall by topic",
    ):
        assertContains(response, heading)
    assertContains(response, "<strong>Ready:</strong> their last mock passed", html=False)
    assertContains(response, "Readiness by exam domain")  # the table the learner's own panel shows
    assertNotContains(response, "{#")  # the shared table's comment stays a comment
    assertContains(response, "Reviews in the last year</dt><dd>40</dd>", html=False)
    assertContains(response, 'aria-label="Mock exam scores')  # the chart with a point, not "No data yet"
    first_topic = real_class.course.topics.order_by("position").first()
    assertContains(response, first_topic.title)
    assert "no-store" in response["Cache-Control"]


def test_the_learners_page_says_when_there_is_nothing_yet(teacher, classroom, member, instructor):
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/learners/{member.pk}/")
    assertContains(response, "Nothing to show yet: member has not studied a flashcard")
    assertContains(response, "No data yet")  # the empty charts say so


def test_the_learners_page_is_a_404_for_anyone_not_a_learner_of_this_class(instructor, classroom, member, demo_course):
    other_class = services.create_classroom(by=UserFactory(role=Role.INSTRUCTOR), name="Other", course=demo_course, now=timezone.now())
    outsider = UserFactory(username="outsider")
    enrol(outsider, other_class)
    client = signed_in(instructor)
    for user_id in (outsider.pk, instructor.pk, 999_999):  # another class's learner, an instructor, nobody
        response = client.get(f"/classes/{classroom.pk}/learners/{user_id}/")
        assert response.status_code == 404, user_id
    assert client.get(f"/classes/{classroom.pk}/learners/{member.pk}/").status_code == 200


def test_a_removed_learners_page_still_opens_marked_removed(instructor, classroom, member):
    services.set_learner_status(as_teacher(instructor, classroom), user_id=member.pk, status=MembershipStatus.REMOVED, now=timezone.now())
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/learners/{member.pk}/")
    assertContains(response, "Removed from this class")


def test_the_roster_links_each_learner_to_their_page(instructor, classroom, member):
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/")
    assertContains(response, f'href="/classes/{classroom.pk}/learners/{member.pk}/"')
    assertNotContains(signed_in(member).get(f"/classes/{classroom.pk}/"), f"/learners/{member.pk}/")


# --- the class readiness panel ---------------------------------------------------------------


def test_the_class_page_lazy_loads_the_panel_with_a_link_twin(instructor, classroom, member):
    url = f"/classes/{classroom.pk}/panels/readiness/"
    page = signed_in(instructor).get(f"/classes/{classroom.pk}/")
    assertContains(page, f'hx-get="{url}" hx-trigger="revealed"', html=False)
    assertContains(page, f'<a href="{url}">', html=False)
    assertNotContains(signed_in(member).get(f"/classes/{classroom.pk}/"), url)


def test_the_panel_as_a_page_and_as_a_fragment(teacher, real_class, ready_learner, starting_learner):
    client = signed_in(teacher)
    url = f"/classes/{real_class.pk}/panels/readiness/"
    page = client.get(url)
    assertTemplateUsed(page, "classrooms/readiness_panel.html")
    assertContains(page, "How ready Morning group is")
    assertContains(page, "1 of 2 learners ready")
    fragment = client.get(url, headers=HX)
    assertTemplateUsed(fragment, "class-readiness")  # Django names a rendered partial by its own name
    assertTemplateNotUsed(fragment, "base.html")
    assertContains(fragment, "1 of 2 learners ready")
    assertContains(fragment, "Cloud Technology and Services")
    assertNotContains(fragment, "<html")
    assert "no-store" in fragment["Cache-Control"]


def test_the_panels_numbers_are_each_learners_own_readiness(real_class, ready_learner, starting_learner):
    now = timezone.now()
    panel = reports.class_readiness(real_class, now=now)
    assert panel.learners == 2 and panel.ready == 1 and panel.with_mock == 2
    own = {}
    for user in (ready_learner, starting_learner):
        readiness = quiz_reports.readiness(user, now=now)
        assert readiness is not None
        own[user.pk] = readiness
        mine = panel.per_learner[user.pk]
        assert mine.ready == readiness["ready"]
        assert mine.recall == readiness["recall"]
        assert mine.exam_date == readiness["exam_date"]
        assert mine.mock_scaled == cast(dict[str, Any], readiness["mock"])["scaled"]
        for row in cast(list[dict[str, Any]], readiness["domains"]):
            domain = mine.domains[row["code"]]
            assert (domain.seen_percent, domain.recall, domain.mock) == (row["seen_percent"], row["recall"], row["mock"]), row["code"]
    assert panel.per_learner[ready_learner.pk].ready and not panel.per_learner[starting_learner.pk].ready
    assert panel.with_recall == 2  # 40 and 35 cards seen: 30 are enough for a prediction
    for summary in panel.domains:
        rows = [next(r for r in cast(list[dict[str, Any]], own[u]["domains"]) if r["code"] == summary.code) for u in own]
        recalls = sorted(r["recall"] for r in rows if r["recall"] is not None)
        assert summary.with_recall == len(recalls)
        assert summary.recall_lowest == (recalls[0] if recalls else None)
        assert summary.recall_median == (round(statistics.median(recalls)) if recalls else None)
        assert summary.seen_mean == round(sum(r["seen_percent"] for r in rows) / 2)
    assert [d.code for d in panel.domains] == list(DOMAINS)
    domain_3 = next(d for d in panel.domains if d.code == "domain-3")
    assert domain_3.with_recall == 2  # both learners have five cards or more in it


def test_the_panel_reads_the_same_queries_for_two_learners_as_for_six(
    django_assert_max_num_queries, real_class, ready_learner, starting_learner
):
    now = timezone.now()
    with CaptureQueriesContext(connection) as two:
        reports.class_readiness(real_class, now=now)
    for n in range(4):
        user = UserFactory(username=f"more{n}")
        join(user, real_class)
        review(user, exam_cards()[n * 10 : n * 10 + 10], minutes_ago=30)
        take_mock(user, right=False, answers=1)
    with django_assert_max_num_queries(7):
        panel = reports.class_readiness(real_class, now=now)
    assert panel.learners == 6
    with CaptureQueriesContext(connection) as six:
        reports.class_readiness(real_class, now=now)
    assert len(six) == len(two)
