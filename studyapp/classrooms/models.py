"""Classes: a group of learners taking the course with one or more instructors.

Rights come from a class's own memberships: being an instructor of one class gives nothing in
another, and the global instructor role only allows creating classes. Nothing here is deleted: a
learner who is removed keeps their membership row (status ``removed``) and all their work, and an
archived class is read-only but still exportable.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from studyapp.content.models import Course

# Join codes: no 0/O, 1/I/L, so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Classroom(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="classrooms")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    join_code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_join_code)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classrooms:detail", args=[self.pk])

    def join_url(self) -> str:
        return reverse("classrooms:join", args=[self.join_code])

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class ClassRole(models.TextChoices):
    INSTRUCTOR = "instructor", "Instructor"
    LEARNER = "learner", "Learner"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    REMOVED = "removed", "Removed"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(status=MembershipStatus.ACTIVE)

    def learners(self) -> "MembershipQuerySet":
        return self.filter(role=ClassRole.LEARNER)

    def instructors(self) -> "MembershipQuerySet":
        return self.filter(role=ClassRole.INSTRUCTOR)


class Membership(models.Model):
    """One person in one class, as its instructor or as a learner; one row per (class, person)."""

    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=ClassRole.choices)
    status = models.CharField(max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["classroom", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "user"], name="classrooms_one_membership_per_person"),
            models.CheckConstraint(condition=Q(role__in=ClassRole.values), name="classrooms_membership_role_valid"),
            models.CheckConstraint(condition=Q(status__in=MembershipStatus.values), name="classrooms_membership_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.classroom} ({self.role}, {self.status})"

    @property
    def active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


# --- assignments ------------------------------------------------------------------------------


class AssignmentKind(models.TextChoices):
    QUIZ = "quiz", "Quiz"
    FLASHCARDS = "flashcards", "Flashcard goal"
    NOTES = "notes", "Notes to read"


class LatePolicy(models.TextChoices):
    ACCEPT = "accept", "Accept late work"
    PENALTY = "penalty", "Accept late work with a penalty"
    REFUSE = "refuse", "Refuse late work"


class GoalKind(models.TextChoices):
    REVIEWS = "reviews", "A number of reviews"
    RECALL = "recall", "A predicted recall"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible(self, *, now: datetime) -> "AssignmentQuerySet":
        """What learners see: opened already."""
        return self.filter(opens_at__lte=now)


class Assignment(models.Model):
    """Work set for a class, with open and due dates and a late policy. A quiz assignment owns its
    own :class:`~studyapp.quizzes.models.Quiz` row (attempts point at it); a flashcard goal counts
    the review log; notes to read count the notes read to the end."""

    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(max_length=12, choices=AssignmentKind.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True, max_length=4000)
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    late_policy = models.CharField(max_length=10, choices=LatePolicy.choices, default=LatePolicy.ACCEPT)
    late_penalty_percent = models.PositiveSmallIntegerField(default=0, help_text="Taken off work done late, when the policy is 'penalty'.")
    # A quiz.
    quiz = models.OneToOneField("quizzes.Quiz", on_delete=models.PROTECT, null=True, blank=True, related_name="assignment")
    # A flashcard goal, on these topics (empty: the whole course).
    goal_kind = models.CharField(max_length=10, choices=GoalKind.choices, blank=True)
    goal_reviews = models.PositiveIntegerField(null=True, blank=True)
    goal_recall_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    topic_ids = models.JSONField(default=list, blank=True)
    # Notes to read.
    note_ids = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AssignmentKind.values), name="classrooms_assignment_kind_valid"),
            models.CheckConstraint(condition=Q(late_policy__in=LatePolicy.values), name="classrooms_assignment_late_policy_valid"),
            models.CheckConstraint(condition=Q(due_at__gt=models.F("opens_at")), name="classrooms_assignment_due_after_open"),
            models.CheckConstraint(condition=Q(late_penalty_percent__lte=100), name="classrooms_assignment_penalty_percent"),
            models.CheckConstraint(condition=~Q(kind="quiz") | Q(quiz__isnull=False), name="classrooms_assignment_quiz_has_quiz"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("classrooms:assignment", args=[self.classroom_id, self.pk])

    def due_for(self, override: "AssignmentOverride | None") -> datetime:
        """A learner's due date: their extension's (``override``, theirs or None), else this one's."""
        return override.due_at if override is not None and override.due_at is not None else self.due_at


class AssignmentOverride(models.Model):
    """One learner's exception to an assignment: a later due date (an extension), or excused."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignment_overrides")
    due_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the assignment's own due date.")
    excused = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "user"], name="classrooms_one_override_per_learner")]

    def __str__(self) -> str:
        return f"{self.user} on {self.assignment}"


# --- roster invitations -----------------------------------------------------------------------


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An address on an imported roster with no account yet: the mail's sign-up link carries the
    token, and signing up through it enrols the new account in the class."""

    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["classroom", "email"]
        constraints = [models.UniqueConstraint(fields=["classroom", "email"], name="classrooms_one_invitation_per_address")]

    def __str__(self) -> str:
        return f"{self.email} to {self.classroom}"


# --- notifications ----------------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    NEW_ASSIGNMENT = "new_assignment", "New assignment"
    DUE_TOMORROW = "due_tomorrow", "Due tomorrow"
    GRADED = "graded", "Graded"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: models.Model) -> "NotificationQuerySet":
        return self.filter(user=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One line in a person's in-app list; the email digest sends the ones not mailed yet. One per
    (person, assignment, kind): a second request that would notify again changes nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "assignment", "kind"], name="classrooms_one_notification_per_event")]
        indexes = [models.Index(fields=["user", "-created_at"], name="classrooms_notification_user")]

    def __str__(self) -> str:
        return self.text


class MailPreference(models.Model):
    """Whether a person gets the email digest (no row: yes)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference")
    digest = models.BooleanField(default=True, help_text="Send me an email digest of my class notifications.")

    def __str__(self) -> str:
        return f"{self.user}: digest {'on' if self.digest else 'off'}"
