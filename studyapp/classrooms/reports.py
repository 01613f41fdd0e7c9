"""What the class pages show: a person's classes, a class's roster and its gradebook."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from studyapp.accounts.models import User
from studyapp.quizzes.models import Attempt, Mode
from studyapp.srs.models import ReviewLog

from .models import ClassRole, Classroom, Membership


@dataclass(frozen=True, slots=True, kw_only=True)
class MyClasses:
    teaching: list[Classroom]
    learning: list[Classroom]


def classes_of(user: User) -> MyClasses:
    """The classes ``user`` is active in, as instructor and as learner (one query)."""
    memberships = Membership.objects.active().filter(user=user).select_related("classroom__course").order_by("classroom__name")
    teaching: list[Classroom] = []
    learning: list[Classroom] = []
    for membership in memberships:
        (teaching if membership.role == ClassRole.INSTRUCTOR else learning).append(membership.classroom)
    return MyClasses(teaching=teaching, learning=learning)


@dataclass(frozen=True, slots=True, kw_only=True)
class Roster:
    instructors: list[Membership]  # active ones
    learners: list[Membership]  # active first, then removed ones (kept with their work)


def roster(classroom: Classroom) -> Roster:
    """Everyone in the class (one query)."""
    people = list(classroom.memberships.select_related("user").order_by("status", "user__username"))
    return Roster(
        instructors=[m for m in people if m.role == ClassRole.INSTRUCTOR and m.active],
        learners=[m for m in people if m.role == ClassRole.LEARNER],
    )


GRADEBOOK_HEADER = ("Username", "Name", "Email", "Joined (UTC)", "Reviews since joining", "Mock exams finished since joining")


def gradebook_rows(classroom: Classroom) -> Iterator[tuple[object, ...]]:
    """The header, then one row per active learner, by username (one query). Assignment columns
    join these once assignments exist."""
    learners = classroom.memberships.active().learners()
    reviews = (
        ReviewLog.objects.filter(user=OuterRef("user"), reviewed_at__gte=OuterRef("joined_at"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mocks = (
        Attempt.objects.filter(user=OuterRef("user"), mode=Mode.MOCK, finished_at__isnull=False, started_at__gte=OuterRef("joined_at"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        learners.annotate(reviews=Coalesce(Subquery(reviews), 0), mocks=Coalesce(Subquery(mocks), 0))
        .order_by("user__username")
        .values_list("user__username", "user__first_name", "user__last_name", "user__email", "joined_at", "reviews", "mocks")
    )
    yield GRADEBOOK_HEADER
    for username, first, last, email, joined_at, reviews_count, mocks_count in rows:
        yield (username, f"{first} {last}".strip(), email, joined_at.strftime("%Y-%m-%d %H:%M"), reviews_count, mocks_count)


def learner_count(classroom: Classroom) -> int:
    return classroom.memberships.active().learners().count()
