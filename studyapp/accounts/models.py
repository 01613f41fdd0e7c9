import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone, such as Europe/Paris or UTC.")


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    INSTRUCTOR = "instructor", "Instructor"
    AUTHOR = "author", "Author"


class User(AbstractUser):
    """A person using studyapp. Everyone is a learner; instructors and authors have more rights."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LEARNER)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Used for your study day and the dates you see.",
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(role__in=Role.values), name="accounts_user_role_valid")]

    def __str__(self) -> str:
        return self.username

    @property
    def is_instructor(self) -> bool:
        return self.role == Role.INSTRUCTOR or self.is_superuser

    @property
    def is_author(self) -> bool:
        """May open the question bank's editor (authoring); what they may edit there is per category."""
        return self.role == Role.AUTHOR or self.is_superuser
