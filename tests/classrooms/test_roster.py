"""Roster import (preview, then confirm; nothing half-imported) and invitations by mail."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateUsed

from studyapp.accounts.models import User
from studyapp.classrooms import services
from studyapp.classrooms.access import access_classroom
from studyapp.classrooms.models import ClassRole, Invitation, Membership, MembershipStatus
from studyapp.classrooms.services import ClassroomError, RosterAction
from studyapp.classrooms.views.roster import SALT
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import as_teacher, enrol

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/classes/invitations/[\w-]+/)")


def absolute(path: str) -> str:
    return f"http://testserver{path}"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def learners(classroom) -> set[str]:
    return set(classroom.memberships.active().learners().values_list("user__username", flat=True))


@pytest.fixture
def people(classroom, instructor):
    """One of each kind of row a roster file can hold."""
    ada = UserFactory(username="ada", email="Ada@Example.com")  # an account, not in the class
    bob = UserFactory(username="bob", email="bob@example.com")
    enrol(bob, classroom)  # in the class already
    cy = UserFactory(username="cy", email="cy@example.com")
    enrol(cy, classroom)
    services.set_learner_status(as_teacher(instructor, classroom), user_id=cy.pk, status=MembershipStatus.REMOVED, now=NOW)
    UserFactory(username="dormant", email="dormant@example.com", is_active=False)  # an inactive account: invited, not enrolled
    return {"ada": ada, "bob": bob, "cy": cy}


FILE = (
    b"email,name\r\n"
    b"ada@example.com,Ada Lovelace\r\n"
    b"bob@example.com,Bob\r\n"
    b"cy@example.com,Cy\r\n"
    b"teacher@example.com,Ada Teach\r\n"
    b"dormant@example.com,Dormant\r\n"
    b"new@example.com,New Person\r\n"
)


# --- the service ------------------------------------------------------------------------------


def test_the_preview_says_what_each_row_will_do_and_writes_nothing(instructor, classroom, people):
    preview = services.preview_roster(as_teacher(instructor, classroom), data=FILE)
    assert [(line.row, line.action) for line in preview.lines] == [
        (2, RosterAction.ENROL),
        (3, RosterAction.ALREADY),
        (4, RosterAction.RESTORE),
        (5, RosterAction.INSTRUCTOR),
        (6, RosterAction.INVITE),
        (7, RosterAction.INVITE),
    ]
    assert preview.ok and preview.summary() == "1 to enrol, 1 to restore, 2 to invite by mail, 1 in the class already, 1 teaching the class"
    assert learners(classroom) == {"bob"} and not Invitation.objects.exists()


def test_import_enrols_accounts_restores_the_removed_and_mails_the_others(
    instructor, classroom, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        imported = services.import_roster(as_teacher(instructor, classroom), data=FILE, now=NOW, absolute=absolute)
    assert (
        imported.summary()
        == "1 enrolled, 1 restored, 2 invited by mail, 1 already in the class, 1 teaching the class (left as instructors)"
    )
    assert learners(classroom) == {"ada", "bob", "cy"}
    assert Membership.objects.get(classroom=classroom, user=instructor).role == ClassRole.INSTRUCTOR  # reported, not demoted
    assert set(Invitation.objects.values_list("email", "name")) == {("dormant@example.com", "Dormant"), ("new@example.com", "New Person")}
    assert sorted(m.to[0] for m in mailoutbox) == ["dormant@example.com", "new@example.com"]
    message = next(m for m in mailoutbox if m.to == ["new@example.com"])
    assert "Evening group" in message.subject and "Ada Teach" in message.subject
    token = Invitation.objects.get(email="new@example.com").token
    assert f"http://testserver/classes/invitations/{token}/" in message.body


def test_a_file_with_one_bad_row_imports_nothing(instructor, classroom, people, django_capture_on_commit_callbacks, mailoutbox):
    data = FILE + b"not an address,Oops\r\nnew2@example.com,Fine\r\n"
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ClassroomError, match="Nothing was imported: the file has 1 problem"),
    ):
        services.import_roster(as_teacher(instructor, classroom), data=data, now=NOW, absolute=absolute)
    assert learners(classroom) == {"bob"}
    assert Membership.objects.get(user=people["cy"]).status == MembershipStatus.REMOVED
    assert not Invitation.objects.exists() and mailoutbox == []
    errors = services.preview_roster(as_teacher(instructor, classroom), data=data).errors
    assert [(e.row, e.message) for e in errors] == [(8, "“not an address” is not an email address.")]


def test_importing_the_same_file_again_makes_no_duplicate(instructor, classroom, people, django_capture_on_commit_callbacks, mailoutbox):
    access = as_teacher(instructor, classroom)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.import_roster(access, data=FILE, now=NOW, absolute=absolute)
    assert Membership.objects.filter(classroom=classroom, user=people["ada"]).count() == 1
    assert Invitation.objects.count() == 2  # re-used
    again = services.preview_roster(access, data=FILE)
    assert again.summary() == "2 to invite by mail, 3 in the class already, 1 teaching the class"
    assert "Invited on 25 Nov 2026, not signed up yet: mailed again." in {line.message for line in again.lines}
    assert len(mailoutbox) == 4  # the second import mails the two not yet signed up again


def test_an_address_used_by_two_accounts_is_a_problem_row(instructor, classroom):
    UserFactory(username="twin1", email="twin@example.com")
    UserFactory(username="twin2", email="TWIN@example.com")
    preview = services.preview_roster(as_teacher(instructor, classroom), data=b"twin@example.com\n")
    assert [(e.row, e.message) for e in preview.errors] == [
        (1, "2 accounts use this address (twin1, twin2): leave it out and send them the join link.")
    ]


def test_an_archived_class_refuses_an_import(instructor, classroom):
    services.archive_classroom(as_teacher(instructor, classroom), now=NOW)
    with pytest.raises(ClassroomError, match="archived"):
        services.import_roster(as_teacher(instructor, classroom), data=b"new@example.com\n", now=NOW, absolute=absolute)
    assert not Invitation.objects.exists()


def test_only_instructors_preview_or_import(classroom, member):
    access = access_classroom(member, classroom.pk)
    with pytest.raises(PermissionDenied):
        services.preview_roster(access, data=b"new@example.com\n")
    with pytest.raises(PermissionDenied):
        services.import_roster(access, data=b"new@example.com\n", now=NOW, absolute=absolute)


def test_accepting_an_invitation_enrols_once_and_marks_it(classroom, invitation):
    newcomer = UserFactory(username="nia")
    assert services.accept_invitation(user=newcomer, invitation=invitation, now=NOW).created
    assert not services.accept_invitation(user=newcomer, invitation=invitation, now=NOW + timedelta(hours=1)).created
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and invitation.accepted_at == NOW
    assert learners(classroom) == {"nia"}
    with pytest.raises(ClassroomError, match="already used by another account"):
        services.accept_invitation(user=UserFactory(), invitation=invitation, now=NOW)


# --- the pages --------------------------------------------------------------------------------


def upload(client: Client, classroom, data: bytes, *, name: str = "roster.csv", **headers: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/classes/{classroom.pk}/roster/import/", {"file": SimpleUploadedFile(name, data, "text/csv")}, headers=headers)


def signed_roster(response) -> str:
    match = re.search(r'name="roster" value="([^"]+)"', response.content.decode())
    assert match, "no confirm form"
    return match.group(1)


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_import_page_offers_a_file_or_pasted_rows(instructor, classroom, headers):
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/roster/import/", headers=headers)
    assertTemplateUsed(response, "classrooms/roster_import.html")
    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, 'type="file"')
    assertContains(response, "Or paste the rows")
    assertContains(response, "<html", count=1)  # the whole page: no htmx partial here


def test_the_class_page_links_its_instructors_to_the_import(instructor, classroom, member):
    assertContains(signed_in(instructor).get(f"/classes/{classroom.pk}/"), f'href="/classes/{classroom.pk}/roster/import/"')
    assertNotContains(signed_in(member).get(f"/classes/{classroom.pk}/"), "/roster/import/")


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_one_bad_row_among_good_ones_imports_nothing_and_the_preview_names_it(instructor, classroom, headers):
    data = b"email;name\r\nada@example.com;Ada\r\nada.example.com;Broken\r\nbob@example.com;Bob\r\nbob@example.com;Bob again\r\n"
    response = upload(signed_in(instructor), classroom, data, **headers)
    assert response.status_code == 200
    assertContains(response, "Nothing was imported.")
    assertContains(response, "The file has 2 problems")
    assertContains(response, '<th scope="row">3</th>')
    assertContains(response, "<td>ada.example.com</td>\n                  <td>Broken</td>")  # the row as read, beside its problem
    assertContains(response, "<strong>Problem:</strong> “ada.example.com” is not an email address.")
    assertContains(response, "Row 5 repeats row 4 (bob@example.com).")
    assertNotContains(response, "Confirm the import")
    assertNotContains(response, 'name="roster"')
    assert not Invitation.objects.exists() and learners(classroom) == set()


def test_an_excel_file_with_a_bom_and_semicolons_imports_after_confirming(
    instructor, classroom, django_capture_on_commit_callbacks, mailoutbox
):
    UserFactory(username="zoe", email="zoe@example.fr")
    UserFactory(username="jan", email="jan@example.nl")
    UserFactory(username="eva", email="eva@example.de")
    excel = "\ufeffE-mail;Name\r\nzoe@example.fr;Zoé Étoile\r\nJAN@example.nl;de Vries, Jan\r\neva@example.de;Eva\r\nneu@example.de;Jürgen Neu\r\nnieuw@example.nl;Nieuw\r\n"
    teacher = signed_in(instructor)
    preview = upload(teacher, classroom, excel.encode("utf-8"))
    assertContains(preview, "3 to enrol, 2 to invite by mail.")
    assertContains(preview, "Jürgen Neu")
    assertContains(preview, "Confirm the import")
    assert learners(classroom) == set()  # nothing before the confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher.post(f"/classes/{classroom.pk}/roster/import/confirm/", {"roster": signed_roster(preview)}, follow=True)
    assertRedirects(response, f"/classes/{classroom.pk}/")
    assertContains(response, "3 enrolled, 2 invited by mail.")
    assert learners(classroom) == {"zoe", "jan", "eva"}
    assert sorted(m.to[0] for m in mailoutbox) == ["neu@example.de", "nieuw@example.nl"]
    assert Invitation.objects.get(email="neu@example.de").name == "Jürgen Neu"


def test_pasted_rows_work_as_a_file_does(instructor, classroom):
    UserFactory(username="ada", email="ada@example.com")
    response = signed_in(instructor).post(f"/classes/{classroom.pk}/roster/import/", {"text": "ada@example.com, Ada\n"})
    assertContains(response, "1 to enrol.")


def test_an_empty_form_is_a_form_error(instructor, classroom):
    response = signed_in(instructor).post(f"/classes/{classroom.pk}/roster/import/", {"text": "  "})
    assertContains(response, "Choose a CSV file or paste its rows.")


def test_a_file_that_is_not_utf8_is_one_clear_message(instructor, classroom):
    response = upload(signed_in(instructor), classroom, "zoé@example.fr;Zoé\r\n".encode("cp1252"))
    assertContains(response, "The file is not UTF-8 text: in Excel use &#x27;CSV UTF-8&#x27;")
    assertContains(response, '<th scope="row">File</th>')


def test_a_double_confirm_enrols_no_one_twice(instructor, classroom, django_capture_on_commit_callbacks):
    UserFactory(username="ada", email="ada@example.com")
    teacher = signed_in(instructor)
    roster = signed_roster(upload(teacher, classroom, b"ada@example.com,Ada\nnew@example.com,New\n"))
    with django_capture_on_commit_callbacks(execute=True):
        first = teacher.post(f"/classes/{classroom.pk}/roster/import/confirm/", {"roster": roster})
        second = teacher.post(f"/classes/{classroom.pk}/roster/import/confirm/", {"roster": roster}, follow=True)
    assertRedirects(first, f"/classes/{classroom.pk}/")
    assertContains(second, "1 invited by mail, 1 already in the class.")
    assert Membership.objects.filter(classroom=classroom, user__username="ada").count() == 1
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("roster", "message"),
    [
        ("", "could not be read"),
        ("forged:value", "could not be read"),
        (signing.dumps({"class": 999999, "csv": "x@example.com\n"}, salt=SALT), "made for another class"),
        (signing.dumps(["x@example.com"], salt=SALT), "made for another class"),
        (signing.dumps({"class": 1, "csv": "x@example.com\n"}, salt="another salt"), "could not be read"),
    ],
)
def test_a_forged_or_broken_preview_is_a_clear_message_and_imports_nothing(instructor, classroom, roster, message):
    response = signed_in(instructor).post(f"/classes/{classroom.pk}/roster/import/confirm/", {"roster": roster}, follow=True)
    assertRedirects(response, f"/classes/{classroom.pk}/roster/import/")
    assertContains(response, message)
    assert not Invitation.objects.exists()


def test_a_stale_preview_is_refused(instructor, classroom, monkeypatch):
    roster = signing.dumps({"class": classroom.pk, "csv": "x@example.com\n"}, salt=SALT)
    monkeypatch.setattr("studyapp.classrooms.views.roster.PREVIEW_MAX_AGE", -1)
    response = signed_in(instructor).post(f"/classes/{classroom.pk}/roster/import/confirm/", {"roster": roster}, follow=True)
    assertContains(response, "more than an hour old")
    assert not Invitation.objects.exists()


def test_an_archived_class_offers_no_import(instructor, classroom):
    services.archive_classroom(as_teacher(instructor, classroom), now=NOW)
    teacher = signed_in(instructor)
    page = teacher.get(f"/classes/{classroom.pk}/roster/import/")
    assertContains(page, "This class is archived")
    assertNotContains(page, 'type="file"')
    roster = signing.dumps({"class": classroom.pk, "csv": "x@example.com\n"}, salt=SALT)
    assertContains(teacher.post(f"/classes/{classroom.pk}/roster/import/confirm/", {"roster": roster}, follow=True), "archived")
    assert not Invitation.objects.exists()


# --- the invitation link ----------------------------------------------------------------------


def test_the_mails_link_signs_up_a_new_person_and_enrols_them(instructor, classroom, django_capture_on_commit_callbacks, mailoutbox):
    teacher = signed_in(instructor)
    roster = signed_roster(upload(teacher, classroom, b"email,name\nnia@example.com,Nia Newcomer\n"))
    with django_capture_on_commit_callbacks(execute=True):
        teacher.post(f"/classes/{classroom.pk}/roster/import/confirm/", {"roster": roster})
    (message,) = mailoutbox
    link = LINK.search(message.body).group(1)

    visitor = Client()
    page = visitor.get(link)
    assertContains(page, "You are invited to “Evening group”")
    signup_link = re.search(r'href="(/accounts/signup/\?[^"]+)"', page.content.decode()).group(1).replace("&amp;", "&")
    form = visitor.get(signup_link)
    assertContains(form, 'value="nia@example.com"')  # the address filled in
    assertContains(form, f'name="next" value="{link}"')
    response = visitor.post(
        signup_link,
        {
            "username": "nia",
            "email": "nia@example.com",
            "time_zone": "UTC",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
            "next": link,
        },
    )
    assertRedirects(response, link)  # back to the invitation, signed in
    assertContains(visitor.get(link), "Accept and join the class")
    assertRedirects(visitor.post(link), f"/classes/{classroom.pk}/")
    nia = User.objects.get(username="nia")
    assert Membership.objects.get(classroom=classroom, user=nia).role == ClassRole.LEARNER
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == nia and invitation.accepted_at is not None
    assertRedirects(visitor.post(link), f"/classes/{classroom.pk}/")  # accepted twice: no error, to the class
    assert Membership.objects.filter(user=nia).count() == 1


def test_a_visitor_sees_the_class_name_and_the_ways_in_but_no_roster(classroom, invitation, member):
    page = Client().get(f"/classes/invitations/{invitation.token}/")
    assertContains(page, "Evening group")
    assertContains(page, "/accounts/signup/?next=")
    assertContains(page, "/accounts/login/?next=")
    assertNotContains(page, classroom.join_code)
    assertNotContains(page, member.email)
    assert "no-store" in page["Cache-Control"]
    assertRedirects(
        Client().post(f"/classes/invitations/{invitation.token}/"),
        f"/accounts/login/?next=/classes/invitations/{invitation.token}/",
        fetch_redirect_response=False,
    )
    assert not Membership.objects.filter(classroom=classroom, role=ClassRole.LEARNER).exclude(user=member).exists()


def test_an_account_that_exists_logs_in_and_accepts(classroom, invitation):
    person = UserFactory(username="already")
    client = signed_in(person)
    assertContains(client.get(f"/classes/invitations/{invitation.token}/"), "Join as <strong>already</strong>")
    assertRedirects(client.post(f"/classes/invitations/{invitation.token}/"), f"/classes/{classroom.pk}/")
    assert "already" in learners(classroom)


@pytest.mark.parametrize("token", ["no-such-invitation-token-at-all", "short", "x" * 300, "%00", "ÉTÉ", "a b c d e f g h i j k"])
def test_an_unknown_invitation_is_a_clear_404(token):
    for client in (Client(), signed_in(UserFactory())):
        for response in (client.get(f"/classes/invitations/{token}/"), client.post(f"/classes/invitations/{token}/")):
            assertContains(response, "This invitation link does not work", status_code=404)


def test_an_archived_class_says_so_on_its_invitation(instructor, classroom, invitation):
    services.archive_classroom(as_teacher(instructor, classroom), now=NOW)
    assertContains(Client().get(f"/classes/invitations/{invitation.token}/"), "archived and takes no new learners")
    client = signed_in(UserFactory())
    assertContains(client.get(f"/classes/invitations/{invitation.token}/"), "archived and takes no new learners")
    assertContains(client.post(f"/classes/invitations/{invitation.token}/"), "archived", status_code=409)
    assert learners(classroom) == set()


def test_an_invitation_used_by_someone_else_is_refused(classroom, invitation):
    services.accept_invitation(user=UserFactory(username="first"), invitation=invitation, now=NOW)
    other = signed_in(UserFactory(username="second"))
    assertContains(other.get(f"/classes/invitations/{invitation.token}/"), "already used by another account")
    assertContains(other.post(f"/classes/invitations/{invitation.token}/"), "already used by another account", status_code=409)
    assert learners(classroom) == {"first"}


def test_the_class_instructor_opening_an_invitation_stays_its_instructor(instructor, classroom, invitation):
    client = signed_in(instructor)
    assertContains(client.get(f"/classes/invitations/{invitation.token}/"), "You are already teaching this class")
    assertRedirects(client.post(f"/classes/invitations/{invitation.token}/"), f"/classes/{classroom.pk}/")
    assert Membership.objects.get(user=instructor).role == ClassRole.INSTRUCTOR


def test_a_removed_learner_cannot_come_back_through_an_invitation(instructor, classroom, invitation, member):
    services.set_learner_status(as_teacher(instructor, classroom), user_id=member.pk, status=MembershipStatus.REMOVED, now=NOW)
    response = signed_in(member).post(f"/classes/invitations/{invitation.token}/")
    assertContains(response, "You were removed from this class", status_code=409)
    assert Membership.objects.get(user=member).status == MembershipStatus.REMOVED


def test_a_mail_for_an_invitation_accepted_since_is_not_sent(classroom, invitation, mailoutbox):
    from studyapp.classrooms.tasks import send_roster_invitation

    services.accept_invitation(user=UserFactory(), invitation=invitation, now=NOW)
    send_roster_invitation.enqueue(invitation_id=invitation.pk, link="http://testserver/x/")
    assert mailoutbox == []


def test_sign_up_follows_only_a_next_of_this_sites_own():
    form = {"username": "nia", "time_zone": "UTC", "password1": "correct horse battery staple", "password2": "correct horse battery staple"}
    assertRedirects(Client().post("/accounts/signup/", {**form, "next": "https://evil.example/"}), "/", fetch_redirect_response=False)
