"""Class notifications: the one writer of :class:`~.models.Notification` rows.

Three events make a line in a person's list: a new assignment (each active learner of the class), an
assignment due within a day (each active learner who still has it to do), and a quiz attempt graded
(the learner). Each writer is one transaction and idempotent: the ``(user, assignment, kind)``
constraint lets a second call for the same event write nothing, so the daily ``send_digests`` command
can run twice, and a learner never gets two "due tomorrow" lines for one assignment. Marking read is
the person's own: it starts from ``Notification.objects.for_user(user)``.

Texts name the class and the assignment, and are written once, when the event happens. A graded
line gives the mark only when the quiz shows marks once submitted (or after each answer): a mark the
quiz hides until later, or never, is not leaked through a notification.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import Q

from studyapp.accounts.models import User
from studyapp.quizzes.models import Attempt, Quiz, Shown

from .models import Assignment, AssignmentKind, AssignmentOverride, MailPreference, Membership, Notification, NotificationKind

DUE_SOON = timedelta(hours=24)
MARKS_SHOWN_ONCE_SUBMITTED = {Shown.IMMEDIATELY, Shown.AFTER_SUBMIT}


def _create(rows: Iterable[Notification]) -> int:
    """Insert the rows that are new; an event already notified is skipped by the constraint."""
    rows = list(rows)
    if not rows:
        return 0
    existing = set(
        Notification.objects.filter(assignment__in={row.assignment_id for row in rows}).values_list("user_id", "assignment_id", "kind")
    )
    new = [row for row in rows if (row.user_id, row.assignment_id, row.kind) not in existing]
    # ignore_conflicts: a concurrent run that inserted the same event first wins, without an error.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _active_learner_ids(classroom_id: int) -> list[int]:
    return list(Membership.objects.filter(classroom_id=classroom_id).active().learners().values_list("user_id", flat=True))


def _when(moment: datetime, user: User) -> str:
    """A date and time in the person's own time zone (UTC when they set none)."""
    try:
        zone = ZoneInfo(user.time_zone) if user.time_zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({zone.key})"


def _new_assignment_rows(assignment: Assignment, *, now: datetime) -> list[Notification]:
    classroom = assignment.classroom
    return [
        Notification(
            user=user,
            assignment=assignment,
            kind=NotificationKind.NEW_ASSIGNMENT,
            text=f"{classroom.name}: new assignment “{assignment.title}”, due {_when(assignment.due_at, user)}.",
            created_at=now,
        )
        for user in User.objects.filter(pk__in=_active_learner_ids(classroom.pk))
    ]


@transaction.atomic
def notify_new_assignment(assignment: Assignment, *, now: datetime) -> int:
    """Tell each active learner of the class about ``assignment``; returns how many were told now
    (0 when they all were already). Instructors and removed learners are not told."""
    return _create(_new_assignment_rows(assignment, now=now))


@transaction.atomic
def notify_opened(*, now: datetime) -> int:
    """Tell of the assignments that are open and not due yet, in classes not archived, each active
    learner not told yet: those set to open later (``create_assignment`` tells only of work open at
    once), and learners who joined since. Run daily by ``send_digests``; returns how many were told."""
    assignments = Assignment.objects.filter(classroom__archived_at__isnull=True, opens_at__lte=now, due_at__gt=now).select_related(
        "classroom"
    )
    return _create(row for assignment in assignments for row in _new_assignment_rows(assignment, now=now))


@transaction.atomic
def notify_due_tomorrow(*, now: datetime) -> int:
    """Tell each learner who still has an open assignment to do that it is due within the next 24
    hours, ``(now, now + 24 h]``, by their own due date (an extension moves it); returns how many were
    told now. Not told: removed learners, the excused, learners of an archived class, and for a quiz
    those who have finished an attempt at it. Run daily (``manage.py send_digests``); a second run
    tells nobody twice."""
    window = Q(due_at__gt=now, due_at__lte=now + DUE_SOON)
    extended = AssignmentOverride.objects.filter(window).values("assignment_id")
    assignments = (
        Assignment.objects.filter(classroom__archived_at__isnull=True, opens_at__lte=now)
        .filter(window | Q(pk__in=extended))
        .select_related("classroom", "quiz")
        .prefetch_related("overrides")
    )
    rows: list[Notification] = []
    for assignment in assignments:
        overrides = {o.user_id: o for o in assignment.overrides.all()}
        done: set[int] = set()
        if assignment.kind == AssignmentKind.QUIZ:
            done = set(Attempt.objects.filter(quiz=assignment.quiz, finished_at__isnull=False).values_list("user_id", flat=True))
        for user in User.objects.filter(pk__in=_active_learner_ids(assignment.classroom_id)):
            override = overrides.get(user.pk)
            if (override is not None and override.excused) or user.pk in done:
                continue
            due = assignment.due_for(override)
            if not now < due <= now + DUE_SOON:
                continue
            rows.append(
                Notification(
                    user=user,
                    assignment=assignment,
                    kind=NotificationKind.DUE_TOMORROW,
                    text=f"{assignment.classroom.name}: “{assignment.title}” is due {_when(due, user)}.",
                    created_at=now,
                )
            )
    return _create(rows)


def _percent(attempt: Attempt) -> int:
    """The attempt's mark as the results page shows it: the marks over the questions, rounded."""
    fractions = [slot.fraction or Decimal(0) for slot in attempt.slots.all()]
    return round(100 * sum(fractions, Decimal(0)) / len(fractions)) if fractions else 0


@transaction.atomic
def notify_graded(attempt: Attempt, *, now: datetime) -> bool:
    """Tell the learner their attempt at an assignment's quiz was graded; False when the attempt is
    not an assignment's, or they were told already (a first graded attempt notifies; later ones do
    not add a second line)."""
    quiz = attempt.quiz
    if quiz is None:  # a practice session
        return False
    try:
        assignment = quiz.assignment
    except Quiz.assignment.RelatedObjectDoesNotExist:  # the mock exam, a live game's quiz
        return False
    name = f"{assignment.classroom.name}: “{assignment.title}”"
    if quiz.show_marks in MARKS_SHOWN_ONCE_SUBMITTED:
        text = f"{name} was graded: {_percent(attempt)} %."
    else:
        text = f"{name}: your attempt was submitted."
    _, created = Notification.objects.get_or_create(
        user_id=attempt.user_id, assignment=assignment, kind=NotificationKind.GRADED, defaults={"text": text, "created_at": now}
    )
    return created


def on_attempt_submitted(sender: type[Attempt], *, attempt: Attempt, **kwargs: Any) -> None:
    """Receiver of ``quizzes.signals.attempt_submitted`` (connected in ``ClassroomsConfig.ready``):
    runs inside the submitting transaction, so the line commits or rolls back with the grade."""
    notify_graded(attempt, now=attempt.finished_at or attempt.started_at)


@transaction.atomic
def mark_all_read(user: User, *, now: datetime) -> int:
    """Mark every unread line of ``user``'s read; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=now)


@transaction.atomic
def set_digest(user: User, *, digest: bool) -> MailPreference:
    """Turn ``user``'s email digest on or off."""
    preference, _ = MailPreference.objects.update_or_create(user=user, defaults={"digest": digest})
    return preference


def wants_digest(user: User) -> bool:
    """Mail is on unless the person turned it off (no row: on)."""
    return not MailPreference.objects.filter(user=user, digest=False).exists()
