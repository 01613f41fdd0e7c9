"""The one door to a class: every classroom view, partial and export comes through
:func:`access_classroom`, and ``quizzes.access`` asks :func:`teaches_attempt_owner` when an
instructor opens a learner's attempt.

In Zulip's shape (``access_stream_by_id``): a class that does not exist and one the user is not in
raise the same ``Http404``, so ids cannot be probed. A learner of the class asking for an
instructor's page gets ``PermissionDenied`` (403): they know the class exists, and nothing of the
roster reaches them. A superuser may open every class as its instructor.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from studyapp.accounts.models import User
from studyapp.quizzes.models import Attempt

from .models import ClassRole, Classroom, Membership


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassroomAccess:
    classroom: Classroom
    membership: Membership | None  # None: a superuser who is not in the class
    teaches: bool  # an active instructor of this class, or a superuser


def access_classroom(user: User, class_id: int, *, as_instructor: bool = False) -> ClassroomAccess:
    """The class ``class_id`` as ``user`` may see it; ``as_instructor=True`` for the pages only its
    instructors may open (roster changes, the gradebook, the join code)."""
    classroom = Classroom.objects.select_related("course").filter(pk=class_id).first()
    if classroom is None or not user.is_authenticated:
        raise Http404("No such class.")
    membership = Membership.objects.active().filter(classroom=classroom, user=user).first()
    teaches = user.is_superuser or (membership is not None and membership.role == ClassRole.INSTRUCTOR)
    if not teaches:
        if membership is None:
            raise Http404("No such class.")
        if as_instructor:
            raise PermissionDenied("Only this class's instructors can open this page.")
    return ClassroomAccess(classroom=classroom, membership=membership, teaches=teaches)


def teaches_attempt_owner(user: User, attempt: Attempt) -> bool:
    """For ``quizzes.access``: ``user`` teaches a class that the attempt's learner is active in."""
    if user.is_superuser:
        return True
    taught = Membership.objects.active().instructors().filter(user=user).values("classroom")
    return Membership.objects.active().learners().filter(user_id=attempt.user_id, classroom__in=taught).exists()
