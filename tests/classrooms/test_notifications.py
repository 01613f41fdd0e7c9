"""Class notifications: who is told of a new assignment, of work due tomorrow and of a grade; the
email digest (once, never to someone who turned it off), run by the database queue's worker; and
the pages, each person's own."""

import io
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from studyapp.accounts.models import User
from studyapp.classrooms import notifications, services
from studyapp.classrooms.models import (
    Assignment,
    AssignmentKind,
    AssignmentOverride,
    Classroom,
    MailPreference,
    Membership,
    MembershipStatus,
    Notification,
    NotificationKind,
)
from studyapp.classrooms.tasks import send_digest
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.models import Attempt, Shown
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import enrol

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reading(classroom: Classroom, *, due_at, opens_at=NOW - 2 * DAY, title: str = "Read the Lambda notes") -> Assignment:
    return Assignment.objects.create(
        classroom=classroom, kind=AssignmentKind.NOTES, title=title, opens_at=opens_at, due_at=due_at, created_by=classroom.created_by
    )


def lines(user: User, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind))


def submitted(user: User, assignment: Assignment, *, now=NOW) -> Attempt:
    """Start the assignment's quiz and submit it unanswered (0 %), through the quizzes' services."""
    attempt = quiz_services.start_assigned(user=user, quiz=assignment.quiz, now=now, rng=random.Random(1), deadline=None, options={})
    return quiz_services.submit_mock(user=user, attempt_id=attempt.pk, now=now + timedelta(minutes=5))


# --- a new assignment -------------------------------------------------------------------------


def test_a_new_assignment_tells_the_active_learners_only(instructor, classroom, member):
    removed = UserFactory(username="gone")
    enrol(removed, classroom)
    Membership.objects.filter(user=removed).update(status=MembershipStatus.REMOVED)
    assignment = reading(classroom, due_at=NOW + 3 * DAY)

    assert notifications.notify_new_assignment(assignment, now=NOW) == 1

    (line,) = Notification.objects.all()
    assert line.user == member and line.kind == NotificationKind.NEW_ASSIGNMENT
    assert "Evening group" in line.text and "Read the Lambda notes" in line.text
    assert not lines(instructor, NotificationKind.NEW_ASSIGNMENT) and not lines(removed, NotificationKind.NEW_ASSIGNMENT)


def test_a_new_assignment_told_twice_makes_one_line(classroom, member):
    assignment = reading(classroom, due_at=NOW + 3 * DAY)
    notifications.notify_new_assignment(assignment, now=NOW)
    assert notifications.notify_new_assignment(assignment, now=NOW + DAY) == 0
    assert Notification.objects.count() == 1


def test_a_quiz_assignment_tells_its_learners_too(quiz_assignment, member):
    notifications.notify_new_assignment(quiz_assignment, now=NOW)
    assert "Week 1 quiz" in lines(member, NotificationKind.NEW_ASSIGNMENT)[0].text


def test_work_that_opens_later_is_told_once_it_is_open_and_to_who_joins_later(classroom, member):
    later = reading(classroom, opens_at=NOW + DAY, due_at=NOW + 5 * DAY)
    reading(classroom, opens_at=NOW - 3 * DAY, due_at=NOW - DAY, title="Past work")
    assert notifications.notify_opened(now=NOW) == 0
    assert notifications.notify_opened(now=NOW + DAY) == 1
    newcomer = UserFactory(username="newcomer")
    enrol(newcomer, classroom)
    assert notifications.notify_opened(now=NOW + 2 * DAY) == 1
    assert [line.assignment for line in Notification.objects.order_by("pk")] == [later, later]
    assert {line.user for line in Notification.objects.all()} == {member, newcomer}


# --- due tomorrow -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_in", "told"),
    [
        (timedelta(hours=24), True),  # the window's last instant
        (timedelta(hours=1), True),
        (timedelta(seconds=1), True),
        (timedelta(hours=24, seconds=1), False),  # the day after tomorrow's reminder will say it
        (timedelta(0), False),  # due now: too late to remind
        (-timedelta(hours=1), False),
    ],
)
def test_due_tomorrow_covers_the_next_24_hours(classroom, member, due_in, told):
    assignment = reading(classroom, due_at=NOW + due_in)
    notifications.notify_due_tomorrow(now=NOW)
    assert bool(lines(member, NotificationKind.DUE_TOMORROW)) is told
    if told:
        assert "Evening group" in lines(member, NotificationKind.DUE_TOMORROW)[0].text
        assert assignment.title in lines(member, NotificationKind.DUE_TOMORROW)[0].text


def test_due_tomorrow_skips_what_is_not_open_yet_and_archived_classes(instructor, classroom, member, demo_course):
    reading(classroom, opens_at=NOW + timedelta(hours=1), due_at=NOW + timedelta(hours=12))
    archived = services.create_classroom(by=instructor, name="Old group", course=demo_course, now=NOW)
    enrol(member, archived)
    reading(archived, due_at=NOW + timedelta(hours=12))
    Classroom.objects.filter(pk=archived.pk).update(archived_at=NOW - DAY)
    assert notifications.notify_due_tomorrow(now=NOW) == 0


def test_due_tomorrow_skips_the_excused_removed_and_instructors(instructor, classroom, member):
    excused, removed = UserFactory(username="excused"), UserFactory(username="removed")
    enrol(excused, classroom)
    enrol(removed, classroom)
    Membership.objects.filter(user=removed).update(status=MembershipStatus.REMOVED)
    assignment = reading(classroom, due_at=NOW + timedelta(hours=12))
    AssignmentOverride.objects.create(assignment=assignment, user=excused, excused=True)

    assert notifications.notify_due_tomorrow(now=NOW) == 1
    assert [line.user for line in Notification.objects.all()] == [member]


def test_an_extension_moves_the_reminder(classroom, member):
    extended_away = reading(classroom, due_at=NOW + timedelta(hours=12), title="Extended away")
    extended_into = reading(classroom, due_at=NOW + 5 * DAY, title="Extended into")
    AssignmentOverride.objects.create(assignment=extended_away, user=member, due_at=NOW + 4 * DAY)
    AssignmentOverride.objects.create(assignment=extended_into, user=member, due_at=NOW + timedelta(hours=20))
    other = UserFactory(username="classmate")
    enrol(other, classroom)

    notifications.notify_due_tomorrow(now=NOW)

    assert [line.assignment for line in lines(member, NotificationKind.DUE_TOMORROW)] == [extended_into]
    assert [line.assignment for line in lines(other, NotificationKind.DUE_TOMORROW)] == [extended_away]


def test_a_quiz_already_finished_is_not_reminded(quiz_assignment, member):
    Assignment.objects.filter(pk=quiz_assignment.pk).update(due_at=NOW + 2 * DAY)
    started = UserFactory(username="started")
    enrol(started, quiz_assignment.classroom)
    submitted(member, quiz_assignment)
    quiz_services.start_assigned(user=started, quiz=quiz_assignment.quiz, now=NOW, rng=random.Random(2), deadline=None, options={})

    notifications.notify_due_tomorrow(now=NOW + DAY + timedelta(hours=1))

    assert not lines(member, NotificationKind.DUE_TOMORROW)
    assert len(lines(started, NotificationKind.DUE_TOMORROW)) == 1  # started but not finished: still to do


def test_due_tomorrow_run_twice_tells_once(classroom, member):
    reading(classroom, due_at=NOW + timedelta(hours=12))
    assert notifications.notify_due_tomorrow(now=NOW) == 1
    assert notifications.notify_due_tomorrow(now=NOW + timedelta(hours=2)) == 0
    assert Notification.objects.count() == 1


# --- graded -----------------------------------------------------------------------------------


@pytest.mark.parametrize("shown", [Shown.AFTER_SUBMIT, Shown.IMMEDIATELY])
def test_a_graded_quiz_that_shows_marks_gives_the_mark(quiz_assignment, member, shown):
    quiz_assignment.quiz.__class__.objects.filter(pk=quiz_assignment.quiz_id).update(show_marks=shown)
    submitted(member, quiz_assignment)
    (line,) = lines(member, NotificationKind.GRADED)
    assert line.text == "Evening group: “Week 1 quiz” was graded: 0 %."


@pytest.mark.parametrize("shown", [Shown.AFTER_CLOSE, Shown.NEVER])
def test_a_graded_quiz_that_hides_marks_only_says_it_was_submitted(quiz_assignment, member, shown):
    quiz_assignment.quiz.__class__.objects.filter(pk=quiz_assignment.quiz_id).update(show_marks=shown)
    submitted(member, quiz_assignment)
    (line,) = lines(member, NotificationKind.GRADED)
    assert "submitted" in line.text and "%" not in line.text and "graded" not in line.text


def test_a_mock_exam_graded_notifies_nothing(member, demo_course):
    attempt = quiz_services.start_mock(user=member, now=NOW, rng=random.Random(1))
    quiz_services.submit_mock(user=member, attempt_id=attempt.pk, now=NOW + timedelta(minutes=5))
    assert not Notification.objects.exists()


def test_a_second_attempt_adds_no_second_graded_line(quiz_assignment, member):
    submitted(member, quiz_assignment)
    submitted(member, quiz_assignment, now=NOW + timedelta(hours=1))
    assert len(lines(member, NotificationKind.GRADED)) == 1


# --- the email digest -------------------------------------------------------------------------


@pytest.fixture
def two_lines(classroom, member) -> list[Notification]:
    notifications.notify_new_assignment(reading(classroom, due_at=NOW + 3 * DAY, title="First reading"), now=NOW)
    notifications.notify_new_assignment(reading(classroom, due_at=NOW + 4 * DAY, title="Second reading"), now=NOW)
    return list(Notification.objects.filter(user=member))


@override_settings(STUDYAPP_SITE_URL="https://study.example.com")
def test_the_digest_mails_each_line_once_with_absolute_links(member, two_lines, mailoutbox):
    assert send_digest.call(user_id=member.pk) == 2
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert "First reading" in message.body and "Second reading" in message.body
    assert f"https://study.example.com{two_lines[0].assignment.get_absolute_url()}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "https://study.example.com/classes/notifications/mail/" in html
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()

    assert send_digest.call(user_id=member.pk) == 0  # nothing new: no second mail
    assert len(mailoutbox) == 1


def test_the_digest_is_not_sent_to_who_turned_it_off(member, two_lines, mailoutbox):
    notifications.set_digest(member, digest=False)
    assert send_digest.call(user_id=member.pk) == 0
    assert mailoutbox == []
    assert Notification.objects.filter(mailed_at__isnull=True).count() == 2  # never mailed, so not marked


def test_the_digest_is_not_sent_without_an_address(member, two_lines, mailoutbox):
    User.objects.filter(pk=member.pk).update(email="")
    assert send_digest.call(user_id=member.pk) == 0
    assert mailoutbox == []


def test_send_digests_reminds_then_mails_each_person_once(classroom, member, mailoutbox, django_capture_on_commit_callbacks):
    muted = UserFactory(username="muted")
    enrol(muted, classroom)
    MailPreference.objects.create(user=muted, digest=False)
    now = timezone.now()  # the command reads the clock
    reading(classroom, opens_at=now - DAY, due_at=now + timedelta(hours=12))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=io.StringIO())

    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "is due" in mailoutbox[0].body
    assert lines(muted, NotificationKind.DUE_TOMORROW)  # in the app all the same
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=io.StringIO())
    assert len(mailoutbox) == 1  # the next run finds nothing new


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_with_the_database_queue_a_digest_is_a_row_until_the_worker_runs_it(classroom, member, mailoutbox):
    notifications.notify_new_assignment(reading(classroom, due_at=NOW + 3 * DAY), now=NOW)

    result = send_digest.enqueue(user_id=member.pk)

    row = DBTaskResult.objects.get()  # survives a restart: it is a row, not a process's memory
    assert str(row.id) == str(result.id) and row.task_path == "studyapp.classrooms.tasks.send_digest"
    assert mailoutbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mailoutbox] == [[member.email]]
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert Notification.objects.get().mailed_at is not None


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_list_shows_my_notifications_only_newest_first_unread_marked(classroom, member, two_lines, headers):
    stranger = UserFactory(username="stranger")
    Notification.objects.create(
        user=stranger, kind=NotificationKind.GRADED, assignment=two_lines[0].assignment, text="Stranger's grade: 100 %", created_at=NOW
    )
    first = Notification.objects.get(user=member, text__contains="First reading")
    Notification.objects.filter(pk=first.pk).update(created_at=NOW - DAY, read_at=NOW)

    response = signed_in(member).get("/classes/notifications/", headers=headers)

    assertTemplateUsed(response, "notifications" if headers else "classrooms/notifications.html")
    body = response.content.decode()
    assert body.index("Second reading") < body.index("First reading")
    assertContains(response, "1 unread")
    assertContains(response, f'href="{two_lines[0].assignment.get_absolute_url()}"')
    assertNotContains(response, "Stranger")


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_mark_all_read_marks_only_mine(classroom, member, two_lines, headers):
    stranger = UserFactory(username="stranger")
    theirs = Notification.objects.create(
        user=stranger, kind=NotificationKind.GRADED, assignment=two_lines[0].assignment, text="x", created_at=NOW
    )

    response = signed_in(member).post("/classes/notifications/read/", headers=headers)

    if headers:
        assertTemplateUsed(response, "notifications")  # a partial is named by its own name
        assertContains(response, "All read.")
        assertNotContains(response, "Mark all read")
    else:
        assert response.status_code == 302 and response["Location"] == "/classes/notifications/"
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_mail_setting_turns_the_digest_off_and_on(member, headers):
    client = signed_in(member)
    page = client.get("/classes/notifications/mail/", headers=headers)
    assertTemplateUsed(page, "mail-form" if headers else "classrooms/notifications.html")
    assertContains(page, "Email me a digest")
    assertContains(page, "checked")  # on by default

    off = client.post("/classes/notifications/mail/", {}, headers=headers)
    assert off.status_code == (200 if headers else 302)
    assert notifications.wants_digest(member) is False
    if headers:
        assertNotContains(off, "checked")

    client.post("/classes/notifications/mail/", {"digest": "on"}, headers=headers)
    assert notifications.wants_digest(member) is True


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_a_value_no_checkbox_sends_is_a_form_error(member, headers):
    notifications.set_digest(member, digest=False)
    response = signed_in(member).post("/classes/notifications/mail/", {"digest": "maybe"}, headers=headers)
    assertContains(response, "Tick the box", status_code=422)
    assert notifications.wants_digest(member) is False


def test_the_classes_page_shows_the_unread_count(member, two_lines):
    page = signed_in(member).get("/classes/")
    assertContains(page, 'href="/classes/notifications/"')
    assertContains(page, "2 unread")
    notifications.mark_all_read(member, now=NOW)
    assertContains(signed_in(member).get("/classes/"), "nothing unread")
