"""Quiz attempts. An attempt keeps, for each question, the version it showed and the order its
options were shown in, so content reloads and edits never change what a learner answered."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from studyapp.content.models import Question, QuestionVersion

from .grading import Policy


class Mode(models.TextChoices):
    PRACTICE = "practice", "Practice"
    MOCK = "mock", "Mock exam"


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user: models.Model) -> "AttemptQuerySet":
        return self.filter(user=user)


class Attempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    policy = models.CharField(max_length=20, choices=[(p.value, p.value) for p in Policy], default=Policy.ALL_OR_NOTHING)
    options = models.JSONField(default=dict, help_text="What the learner chose: topics, domains, number, filter.")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "-started_at"], name="quiz_attempt_user_started")]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.pk} by {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:question", args=[self.pk, 1])


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField(help_text="1-based place in the attempt.")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_slots")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="attempt_slots")
    option_order = models.JSONField(help_text="Stored option indexes in the order shown.")
    selected = models.JSONField(null=True, blank=True, help_text="Stored option indexes chosen; null: unanswered.")
    fraction = models.DecimalField(max_digits=8, decimal_places=7, null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="quiz_slot_unique_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="quiz_slot_unique_question"),
            models.CheckConstraint(condition=Q(fraction__gte=0, fraction__lte=1) | Q(fraction__isnull=True), name="quiz_slot_fraction_range"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"

    @property
    def correct(self) -> bool:
        return self.fraction == 1
