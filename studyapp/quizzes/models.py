"""Quiz definitions and attempts. A quiz says how its questions are chosen and the policy it runs
under; an attempt keeps, for each question, the version it showed and the order its options were
shown in, so content reloads and edits never change what a learner answered."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from studyapp.questions.content import Policy
from studyapp.questions.models import Question, QuestionVersion

from . import blueprint
from .grading import GradeMethod


class Mode(models.TextChoices):
    PRACTICE = "practice", "Practice"
    MOCK = "mock", "Mock exam"
    ASSIGNED = "assigned", "Assigned quiz"


EXAM_MODES = (Mode.MOCK, Mode.ASSIGNED)
"""Attempts that run in the exam pages: answers saved without feedback, a question map, a clock
when the quiz has one, graded when submitted."""


class Selection(models.TextChoices):
    FIXED = "fixed", "A fixed list of questions"
    RULES = "rules", "Drawn by rules (topics, domains, how many)"
    BLUEPRINT = "blueprint", "Drawn by exam-domain weights"


class Feedback(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate: right or wrong after each answer"
    DEFERRED = "deferred", "Deferred: graded when submitted"


class Shown(models.TextChoices):
    """When a part of the review (marks, right answers, explanations) is shown. A page that honours
    it must leave hidden parts out of the HTML altogether, not hide them with CSS."""

    IMMEDIATELY = "immediately", "After each answer"
    AFTER_SUBMIT = "after_submit", "Once submitted"
    AFTER_CLOSE = "after_close", "After the quiz closes (its due date)"
    NEVER = "never", "Never"


class Quiz(models.Model):
    """What an attempt is an attempt at: how questions are chosen, and the policy it runs under.

    The mock exam is a built-in quiz (``key="mock"``, see :func:`studyapp.quizzes.services.mock_quiz`);
    a practice session is an unsaved one; each classroom assignment owns one (``Mode.ASSIGNED``
    attempts, started by :func:`studyapp.quizzes.services.start_assigned`).

    In force: the selection rules (``questions_for``, ``draw_for``), ``time_limit``, ``grace_seconds``,
    ``policy``, the shuffles, and for assigned quizzes the review options (``reports.review_shown``,
    with ``closes_at``); ``attempts_allowed`` and ``grade_method`` are applied by the classroom that
    assigns the quiz. ``feedback`` is descriptive: practice gives it after each answer, the exam pages
    (mock and assigned quizzes) once submitted.
    """

    key = models.SlugField(blank=True, help_text="A built-in quiz's name (mock); empty for the others.")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="quizzes")
    # How questions are chosen.
    selection = models.CharField(max_length=10, choices=Selection.choices, default=Selection.RULES)
    question_ids = models.JSONField(default=list, blank=True, help_text="The fixed list, in order.")
    topic_ids = models.JSONField(default=list, blank=True, help_text="Rules: these topics (empty: every topic).")
    domains = models.JSONField(default=list, blank=True, help_text="Rules: these exam domains (empty: every domain).")
    question_count = models.PositiveSmallIntegerField(default=65)
    include_beyond_exam = models.BooleanField(default=False)
    weights = models.JSONField(default=dict, blank=True, help_text="Blueprint: share of each exam domain (empty: CLF-C02's).")
    # Its policy.
    time_limit = models.DurationField(null=True, blank=True, help_text="Empty: untimed.")
    grace_seconds = models.PositiveIntegerField(default=10, help_text="Answers still accepted this long after the time limit.")
    attempts_allowed = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: unlimited.")
    grade_method = models.CharField(max_length=10, choices=[(m.value, m.value.title()) for m in GradeMethod], default=GradeMethod.HIGHEST)
    policy = models.CharField(max_length=20, choices=[(p.value, p.value) for p in Policy], default=Policy.ALL_OR_NOTHING)
    shuffle_questions = models.BooleanField(default=True)
    shuffle_options = models.BooleanField(default=True)
    feedback = models.CharField(max_length=10, choices=Feedback.choices, default=Feedback.DEFERRED)
    show_marks = models.CharField(max_length=12, choices=Shown.choices, default=Shown.AFTER_SUBMIT)
    show_right_answers = models.CharField(max_length=12, choices=Shown.choices, default=Shown.AFTER_SUBMIT)
    show_explanations = models.CharField(max_length=12, choices=Shown.choices, default=Shown.AFTER_SUBMIT)
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="When the quiz closes (an assignment's due date): what is shown 'after it closes' waits for it."
    )

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="quiz_unique_key"),
            models.CheckConstraint(condition=Q(question_count__gte=1), name="quiz_question_count_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=self.grace_seconds)

    def blueprint(self) -> blueprint.Blueprint:
        weights = {domain: Decimal(str(share)) for domain, share in self.weights.items()} or blueprint.CLF_C02_WEIGHTS
        return blueprint.Blueprint(total=self.question_count, weights=weights)


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user: models.Model) -> "AttemptQuerySet":
        return self.filter(user=user)


class Attempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, null=True, blank=True, related_name="attempts", help_text="Empty: a practice session."
    )
    mode = models.CharField(max_length=10, choices=Mode.choices)
    policy = models.CharField(max_length=20, choices=[(p.value, p.value) for p in Policy], default=Policy.ALL_OR_NOTHING)
    options = models.JSONField(
        default=dict, help_text="Practice: what the learner chose (topics, domains, number, filter); mock: the draw's counts."
    )
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

    @property
    def exam(self) -> bool:
        """Runs in the exam pages (a mock, an assigned quiz), not as practice."""
        return self.mode in EXAM_MODES


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
            models.CheckConstraint(
                condition=Q(fraction__gte=0, fraction__lte=1) | Q(fraction__isnull=True), name="quiz_slot_fraction_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"

    @property
    def correct(self) -> bool:
        return self.fraction == 1
