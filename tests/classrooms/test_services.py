"""Creating classes, joining, co-instructors, removing learners, archiving: rights per class."""

import pytest
from django.core.exceptions import PermissionDenied

from studyapp.accounts.models import Role
from studyapp.classrooms import services
from studyapp.classrooms.access import access_classroom
from studyapp.classrooms.models import ClassRole, Membership, MembershipStatus
from studyapp.srs.models import ReviewLog
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import as_teacher, enrol

pytestmark = pytest.mark.django_db


def test_only_the_instructor_role_creates_a_class_and_its_creator_teaches_it(instructor, demo_course):
    with pytest.raises(PermissionDenied):
        services.create_classroom(by=UserFactory(), name="Mine", course=demo_course, now=NOW)
    classroom = services.create_classroom(by=instructor, name="Mine", course=demo_course, now=NOW)
    assert Membership.objects.get(classroom=classroom, user=instructor).role == ClassRole.INSTRUCTOR
    assert len(classroom.join_code) == 8 and classroom.join_code.isalnum()


def test_teaching_one_class_gives_no_rights_in_another(instructor, classroom, demo_course):
    other_teacher = UserFactory(role=Role.INSTRUCTOR)
    other = services.create_classroom(by=other_teacher, name="Other", course=demo_course, now=NOW)
    from django.http import Http404

    with pytest.raises(Http404):
        access_classroom(instructor, other.pk)
    with pytest.raises(Http404):
        access_classroom(other_teacher, classroom.pk, as_instructor=True)


def test_joining_twice_changes_nothing_and_a_code_is_read_leniently(classroom):
    learner = UserFactory()
    assert services.join_classroom(user=learner, classroom=classroom, now=NOW).created
    assert not services.join_classroom(user=learner, classroom=classroom, now=NOW).created
    assert Membership.objects.filter(classroom=classroom, user=learner).count() == 1
    assert services.classroom_for_code(classroom.join_code.lower()) == classroom
    assert services.classroom_for_code(f" {classroom.join_code[:4]} {classroom.join_code[4:]} ") == classroom
    for bad in ["", "x" * 500, "abc\x00def", "ÉÉÉÉÉÉÉÉ", "00000000"]:
        assert services.classroom_for_code(bad) is None


def test_a_new_code_stops_the_old_link(instructor, classroom):
    old = classroom.join_code
    new = services.rotate_join_code(as_teacher(instructor, classroom))
    assert new != old and services.classroom_for_code(old) is None and services.classroom_for_code(new) == classroom


def test_a_removed_learner_keeps_their_work_and_cannot_rejoin_by_the_link(instructor, classroom, member):
    from studyapp.content.models import Card
    from studyapp.srs import services as srs_services

    card = Card.objects.live().first()
    srs_services.record_review(user=member, kind="card", item_id=card.pk, revision=0, rating=3, now=NOW)
    services.set_learner_status(as_teacher(instructor, classroom), user_id=member.pk, status=MembershipStatus.REMOVED, now=NOW)
    assert ReviewLog.objects.filter(user=member).count() == 1  # work kept
    assert Membership.objects.get(user=member).status == MembershipStatus.REMOVED
    with pytest.raises(services.ClassroomError, match="removed"):
        services.join_classroom(user=member, classroom=classroom, now=NOW)
    services.set_learner_status(as_teacher(instructor, classroom), user_id=member.pk, status=MembershipStatus.ACTIVE, now=NOW)
    assert access_classroom(member, classroom.pk).membership is not None


def test_a_co_instructor_is_added_by_username_or_email_and_unknown_people_are_a_message(instructor, classroom):
    colleague = UserFactory(username="colleague", email="Col@Example.com")
    services.add_instructor(as_teacher(instructor, classroom), identifier="col@example.com", now=NOW)
    assert access_classroom(colleague, classroom.pk, as_instructor=True).teaches
    with pytest.raises(services.ClassroomError, match="No account"):
        services.add_instructor(as_teacher(instructor, classroom), identifier="nobody", now=NOW)


def test_a_learner_cannot_change_the_class(classroom, member):
    access = access_classroom(member, classroom.pk)
    with pytest.raises(PermissionDenied):
        services.rotate_join_code(access)


def test_an_archived_class_refuses_every_change_and_every_join(instructor, classroom, member):
    services.archive_classroom(as_teacher(instructor, classroom), now=NOW)
    access = as_teacher(instructor, classroom)
    code = classroom.join_code
    for change in (
        lambda: services.rotate_join_code(access),
        lambda: services.add_instructor(access, identifier="member", now=NOW),
        lambda: services.set_learner_status(access, user_id=member.pk, status=MembershipStatus.REMOVED, now=NOW),
        lambda: services.archive_classroom(access, now=NOW),
        lambda: enrol(UserFactory(), classroom),
    ):
        with pytest.raises(services.ClassroomError, match="archived"):
            change()
    classroom.refresh_from_db()
    assert classroom.join_code == code and Membership.objects.get(user=member).status == MembershipStatus.ACTIVE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_joins_enrol_once(classroom):
    import threading

    from django.db import connection

    learner = UserFactory()
    barrier, created, errors = threading.Barrier(8), [], []

    def click() -> None:
        try:
            barrier.wait()
            created.append(services.join_classroom(user=learner, classroom=classroom, now=NOW).created)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert created.count(True) == 1
    assert Membership.objects.filter(classroom=classroom, user=learner).count() == 1
