"""The only writer of classes and memberships. Each function is one transaction; an archived class
refuses every change (it stays readable and exportable)."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q

from studyapp.accounts.models import User
from studyapp.content.models import Course

from .access import ClassroomAccess
from .models import CODE_ALPHABET, CODE_LENGTH, ClassRole, Classroom, Membership, MembershipStatus, new_join_code


class ClassroomError(Exception):
    """A change refused, with a message for the person who asked."""


def _writable(access: ClassroomAccess) -> Classroom:
    if not access.teaches:
        raise PermissionDenied("Only this class's instructors can change it.")
    classroom = Classroom.objects.select_for_update().get(pk=access.classroom.pk)
    if classroom.archived:
        raise ClassroomError("This class is archived: it can be read and exported, not changed.")
    return classroom


def create_classroom(*, by: User, name: str, course: Course, description: str = "", now: datetime) -> Classroom:
    """A new class taught by ``by``, who must hold the instructor role."""
    if not by.is_instructor:
        raise PermissionDenied("Only instructors can create classes.")
    for _ in range(5):  # a join code that collides (1 in 31^8 per class) gets drawn again
        try:
            with transaction.atomic():
                classroom = Classroom.objects.create(
                    course=course, name=name, description=description, created_by=by, created_at=now, join_code=new_join_code()
                )
                Membership.objects.create(classroom=classroom, user=by, role=ClassRole.INSTRUCTOR, joined_at=now, changed_at=now)
                return classroom
        except IntegrityError:
            continue
    raise ClassroomError("Could not draw a free join code; try again.")


@transaction.atomic
def rotate_join_code(access: ClassroomAccess) -> str:
    """A new join code; links with the old one stop working."""
    classroom = _writable(access)
    classroom.join_code = new_join_code()
    classroom.save(update_fields=["join_code"])
    return classroom.join_code


def classroom_for_code(code: str) -> Classroom | None:
    """The class a join code opens (codes are read case-insensitively, spaces ignored)."""
    code = "".join(code.split()).upper()
    if not re.fullmatch(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}", code):
        return None  # not a code we could have made (and no odd character reaches the database)
    return Classroom.objects.select_related("course").filter(join_code=code).first()


@dataclass(frozen=True, slots=True, kw_only=True)
class Joined:
    membership: Membership
    created: bool  # False: already in the class (a second click, another tab)


@transaction.atomic
def join_classroom(*, user: User, classroom: Classroom, now: datetime) -> Joined:
    """Enrol ``user`` as a learner. Joining twice changes nothing; a learner the instructor removed
    cannot rejoin through the link (the instructor restores them)."""
    classroom = Classroom.objects.select_for_update().get(pk=classroom.pk)
    if classroom.archived:
        raise ClassroomError("This class is archived and takes no new learners.")
    membership, created = Membership.objects.get_or_create(
        classroom=classroom, user=user, defaults={"role": ClassRole.LEARNER, "joined_at": now, "changed_at": now}
    )
    if not created and membership.status == MembershipStatus.REMOVED:
        raise ClassroomError("You were removed from this class. Ask its instructor to add you again.")
    return Joined(membership=membership, created=created)


@transaction.atomic
def add_instructor(access: ClassroomAccess, *, identifier: str, now: datetime) -> Membership:
    """Make the person with this username or email a co-instructor of the class."""
    classroom = _writable(access)
    identifier = identifier.strip()
    person = (
        User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True).first() if identifier else None
    )
    if person is None:
        raise ClassroomError(f"No account has the username or email “{identifier}”. They need to sign up first.")
    membership, created = Membership.objects.get_or_create(
        classroom=classroom, user=person, defaults={"role": ClassRole.INSTRUCTOR, "joined_at": now, "changed_at": now}
    )
    if not created and (membership.role, membership.status) != (ClassRole.INSTRUCTOR, MembershipStatus.ACTIVE):
        membership.role, membership.status, membership.changed_at = ClassRole.INSTRUCTOR, MembershipStatus.ACTIVE, now
        membership.save(update_fields=["role", "status", "changed_at"])
    return membership


def _learner(classroom: Classroom, user_id: int) -> Membership:
    membership = Membership.objects.learners().select_for_update().filter(classroom=classroom, user_id=user_id).first()
    if membership is None:
        raise ClassroomError("That person is not a learner of this class.")
    return membership


@transaction.atomic
def set_learner_status(access: ClassroomAccess, *, user_id: int, status: MembershipStatus, now: datetime) -> Membership:
    """Remove a learner from the class (their reviews, attempts and grades are kept) or restore one."""
    membership = _learner(_writable(access), user_id)
    if membership.status != status:
        membership.status, membership.changed_at = status, now
        membership.save(update_fields=["status", "changed_at"])
    return membership


@transaction.atomic
def archive_classroom(access: ClassroomAccess, *, now: datetime) -> Classroom:
    """Make the class read-only: no joins, no changes; pages and exports stay."""
    classroom = _writable(access)
    classroom.archived_at = now
    classroom.save(update_fields=["archived_at"])
    return classroom
