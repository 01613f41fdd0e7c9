"""Classes: a group of learners taking the course with one or more instructors.

Rights come from a class's own memberships: being an instructor of one class gives nothing in
another, and the global instructor role only allows creating classes. Nothing here is deleted: a
learner who is removed keeps their membership row (status ``removed``) and all their work, and an
archived class is read-only but still exportable.
"""

import secrets

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
