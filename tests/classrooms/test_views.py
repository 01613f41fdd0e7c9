"""The class pages: the fixed interfaces (/classes/, /classes/new/, the join link, the gradebook
CSV) and the access matrix over every classroom URL."""

import csv
import io

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from studyapp.accounts.models import Role, User
from studyapp.classrooms import services
from studyapp.classrooms.export import BOM
from studyapp.classrooms.models import Classroom, Membership, MembershipStatus
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import enrol

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_classes_needs_a_login_and_lists_what_each_person_learns_and_teaches(client, instructor, classroom, member):
    assertRedirects(client.get("/classes/"), "/accounts/login/?next=/classes/")
    learner_page = signed_in(member).get("/classes/")
    assertContains(learner_page, "Evening group")
    assertNotContains(learner_page, "New class")
    teacher_page = signed_in(instructor).get("/classes/")
    assertContains(teacher_page, "Classes you teach")
    assertContains(teacher_page, 'href="/classes/new/"')


def test_only_instructors_create_classes_and_land_on_the_new_class(instructor, demo_course):
    learner = signed_in(UserFactory())
    assert learner.get("/classes/new/").status_code == 403
    assert learner.post("/classes/new/", {"name": "Sneaky", "course": demo_course.pk}).status_code == 403
    assert not Classroom.objects.exists()
    response = signed_in(instructor).post("/classes/new/", {"name": "Spring 2027", "course": demo_course.pk})
    classroom = Classroom.objects.get()
    assertRedirects(response, f"/classes/{classroom.pk}/")
    assert classroom.name == "Spring 2027" and classroom.created_by == instructor


def test_a_class_needs_a_name(instructor, demo_course):
    response = signed_in(instructor).post("/classes/new/", {"name": "", "course": demo_course.pk})
    assert response.status_code == 200
    assertContains(response, "This field is required")
    assert not Classroom.objects.exists()


def test_the_class_page_shows_its_join_link_and_joining_by_it_enrols(instructor, classroom):
    page = signed_in(instructor).get(f"/classes/{classroom.pk}/")
    link = f"/classes/join/{classroom.join_code}/"
    assertContains(page, f"http://testserver{link}")
    learner = UserFactory()
    client = signed_in(learner)
    shown = client.get(link)
    assertContains(shown, "Evening group")
    assertContains(shown, f'<form method="post" action="{link}">')
    assertRedirects(client.post(link), f"/classes/{classroom.pk}/")
    assert Membership.objects.get(user=learner).status == MembershipStatus.ACTIVE
    assertRedirects(client.post(link), f"/classes/{classroom.pk}/")  # a second click: still one membership
    assert Membership.objects.filter(user=learner).count() == 1


@pytest.mark.parametrize("code", ["NOSUCHCD", "abc", "x" * 300, "%00", "..", "ÉTÉ"])
def test_an_unknown_code_is_a_clear_page(code):
    client = signed_in(UserFactory())
    for response in (client.get(f"/classes/join/{code}/"), client.post(f"/classes/join/{code}/")):
        assert response.status_code == 404
        assertContains(response, "This join link does not work", status_code=404)


def test_a_rotated_code_is_refused_and_the_class_page_has_the_new_one(instructor, classroom):
    old = classroom.join_code
    teacher = signed_in(instructor)
    assertRedirects(teacher.post(f"/classes/{classroom.pk}/code/"), f"/classes/{classroom.pk}/")
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assertContains(signed_in(UserFactory()).get(f"/classes/join/{old}/"), "does not work", status_code=404)
    assertContains(teacher.get(f"/classes/{classroom.pk}/"), classroom.join_code)


def test_a_removed_learner_is_told_so_when_using_the_link_again(instructor, classroom, member):
    signed_in(instructor).post(f"/classes/{classroom.pk}/learners/{member.pk}/remove/")
    response = signed_in(member).post(f"/classes/join/{classroom.join_code}/")
    assertContains(response, "You were removed from this class", status_code=409)
    assert signed_in(member).get(f"/classes/{classroom.pk}/").status_code == 404  # no longer in it


def test_the_gradebook_csv_has_a_header_then_one_row_per_learner(instructor, classroom, member):
    other = UserFactory(username="=cmd|calc", first_name="Eve")
    enrol(other, classroom)
    gone = UserFactory(username="gone")
    enrol(gone, classroom)
    signed_in(instructor).post(f"/classes/{classroom.pk}/learners/{gone.pk}/remove/")
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/gradebook.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0][:3] == ["Username", "Name", "Email"]
    assert [row[0] for row in rows[1:]] == ["'=cmd|calc", "member"]  # enrolled learners only; the formula neutralised
    assert rows[2][4] == "0"


def test_the_gradebook_counts_reviews_since_joining(instructor, classroom, member):
    from studyapp.content.models import Card
    from studyapp.srs import services as srs_services

    card = Card.objects.live().first()
    srs_services.record_review(user=member, kind="card", item_id=card.pk, revision=0, rating=3, now=NOW)
    rows = list(csv.reader(io.StringIO(signed_in(instructor).get(f"/classes/{classroom.pk}/gradebook.csv").content.decode().lstrip(BOM))))
    assert rows[1][0] == "member" and rows[1][4] == "1"


def test_gradebook_queries_do_not_grow_with_the_class(django_assert_max_num_queries, instructor, classroom):
    for _ in range(30):
        enrol(UserFactory(), classroom)
    client = signed_in(instructor)
    with django_assert_max_num_queries(8):
        response = client.get(f"/classes/{classroom.pk}/gradebook.csv")
    assert response.content.decode().count("\r\n") == 31


def test_an_archived_class_stays_readable_and_exportable_and_refuses_joins(instructor, classroom, member):
    teacher = signed_in(instructor)
    teacher.post(f"/classes/{classroom.pk}/archive/")
    assertContains(teacher.get(f"/classes/{classroom.pk}/"), "Archived")
    assert teacher.get(f"/classes/{classroom.pk}/gradebook.csv").status_code == 200
    response = signed_in(UserFactory()).post(f"/classes/join/{classroom.join_code}/")
    assertContains(response, "archived", status_code=409)
    assert Membership.objects.filter(classroom=classroom).count() == 2


# --- the access matrix ------------------------------------------------------------------------

WHO = ["anonymous", "learner of this class", "learner of another class", "this class's instructor", "another class's instructor", "admin"]


def _patterns() -> list[URLPattern]:
    (classes,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "classrooms"]
    return [p for p in classes.url_patterns if isinstance(p, URLPattern)]


def test_the_matrix_covers_every_classroom_url():
    assert {p.name for p in _patterns()} == set(EXPECTED)


# url name -> (method, who may use it); everyone else signed in gets 403 or 404, anonymous the login page.
# The one exception: an invitation's link (a mail's sign-up link) is open to visitors.
OPEN_TO_VISITORS = {"invitation"}
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "index": ("get", set(WHO) - {"anonymous"}),
    "new": ("get", {"this class's instructor", "another class's instructor", "admin"}),
    "join": ("get", set(WHO) - {"anonymous"}),
    "detail": ("get", {"learner of this class", "this class's instructor", "admin"}),
    "rotate_code": ("post", {"this class's instructor", "admin"}),
    "add_instructor": ("post", {"this class's instructor", "admin"}),
    "remove_learner": ("post", {"this class's instructor", "admin"}),
    "restore_learner": ("post", {"this class's instructor", "admin"}),
    "archive": ("post", {"this class's instructor", "admin"}),
    "gradebook_csv": ("get", {"this class's instructor", "admin"}),
    "roster_import": ("get", {"this class's instructor", "admin"}),
    "roster_import_confirm": ("post", {"this class's instructor", "admin"}),
    "invitation": ("get", set(WHO)),  # the invitation link: open to visitors too (OPEN_TO_VISITORS)
    "learner": ("get", {"this class's instructor", "admin"}),
    "readiness_panel": ("get", {"this class's instructor", "admin"}),
    "gradebook": ("get", {"this class's instructor", "admin"}),
    "assignment_new": ("get", {"this class's instructor", "admin"}),
    "assignment": ("get", {"learner of this class", "this class's instructor", "admin"}),
    "assignment_start": ("post", {"learner of this class"}),  # allowed: it starts (or refuses with a message) and redirects
    "assignment_override": ("post", {"this class's instructor", "admin"}),
    "assignment_statistics": ("get", {"this class's instructor", "admin"}),
    "assignment_statistics_csv": ("get", {"this class's instructor", "admin"}),
    # a person's own notifications and mail setting: every signed-in user, none of them tied to a class
    "notifications": ("get", set(WHO) - {"anonymous"}),
    "notifications_read": ("post", set(WHO) - {"anonymous"}),
    "notification_mail": ("get", set(WHO) - {"anonymous"}),
}


@pytest.fixture
def people(instructor, classroom, member, demo_course) -> dict[str, User | None]:
    other_teacher = UserFactory(username="otherteacher", role=Role.INSTRUCTOR)
    other = services.create_classroom(by=other_teacher, name="Other class", course=demo_course, now=NOW)
    outsider = UserFactory(username="outsider")
    enrol(outsider, other)
    return {
        "anonymous": None,
        "learner of this class": member,
        "learner of another class": outsider,
        "this class's instructor": instructor,
        "another class's instructor": other_teacher,
        "admin": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def url_values(classroom, member, invitation, quiz_assignment) -> dict[str, object]:
    """A value for each parameter a classroom URL takes, by its name: add one with a new parameter."""
    return {
        "class_id": classroom.pk,
        "user_id": member.pk,
        "code": classroom.join_code,
        "token": invitation.token,
        "assignment_id": quiz_assignment.pk,
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("who", WHO)
def test_access_matrix(people, url_values, classroom, member, name, who):
    method, allowed = EXPECTED[name]
    (pattern,) = [p for p in _patterns() if p.name == name]
    url = reverse(f"classrooms:{name}", kwargs={key: url_values[key] for key in pattern.pattern.converters})
    user = people[who]
    client = signed_in(user) if user else Client()
    for headers in ({}, {"HX-Request": "true"}):
        response = getattr(client, method)(url, headers=headers)
        body = response.content.decode(errors="replace")
        if who == "anonymous" and name in OPEN_TO_VISITORS:  # the class's name and a way to sign up; nothing of its roster
            assert response.status_code == 200, (url, response.status_code)
            assert classroom.join_code not in body and "member@example.com" not in body
        elif who == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), (url, response.status_code)
        elif who in allowed:
            assert response.status_code in {200, 302}, (url, who, response.status_code)
        else:
            assert response.status_code in {403, 404}, (url, who, response.status_code)
            assert classroom.join_code not in body and "member@example.com" not in body
            if name != "new":
                assert "Evening group" not in body
    if method == "post" and who not in allowed:
        classroom.refresh_from_db()
        assert classroom.archived_at is None and Membership.objects.get(user=member).status == MembershipStatus.ACTIVE


def test_a_learner_sees_the_class_but_not_its_roster_or_code(classroom, member):
    other = UserFactory(username="classmate", email="classmate@example.com")
    enrol(other, classroom)
    page = signed_in(member).get(f"/classes/{classroom.pk}/")
    assertContains(page, "Evening group")
    assertContains(page, "Ada Teach")  # who teaches it
    assertNotContains(page, classroom.join_code)
    assertNotContains(page, "classmate@example.com")
