"""The question bank's rows. Only :mod:`studyapp.questions.services` writes them.

A question's wording lives in versions that are never changed once written; attempts and reviews
keep the version they showed. A question is a draft, published or retired: only published ones
reach learners (``Question.objects.published()``); retired ones keep their history.

The tables keep the names they had when these models lived in ``content`` (``content_question``,
``content_questionversion``): the move was a change of Django's state only, so no row moved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .content import QuestionContent

CATEGORY_ROOT = "$course$/top"
"""Moodle's root of a course's question bank; every category path starts with it."""


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class QuestionQuerySet(models.QuerySet["Question"]):
    def published(self) -> "QuestionQuerySet":
        """What learners may see: published, with a version to show."""
        return self.filter(status=Status.PUBLISHED, current_version__isnull=False)


class Question(models.Model):
    """A question of the bank. ``source_key`` is its stable id (GIFT's ``[id:...]``, Moodle's
    idnumber), unique within its category when given.

    ``kind``, ``domain`` and ``option_count`` repeat what the current version says, so that a mock
    exam can be drawn from a large bank without reading every version.
    """

    source_key = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=500, default=CATEGORY_ROOT, help_text="Moodle's category path, $course$/top/...")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions")
    kind = models.CharField(max_length=12)
    domain = models.CharField(max_length=10, blank=True)
    tags = models.JSONField(default=list)
    option_count = models.PositiveSmallIntegerField(default=0, help_text="Options in the current version (what an exam blueprint checks).")
    current_version = models.ForeignKey("QuestionVersion", on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        db_table = "content_question"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "source_key"], condition=~Q(source_key=""), name="questions_question_unique_key"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="questions_question_status"),
        ]
        indexes = [
            models.Index(fields=["status", "domain"], name="questions_question_domain"),
            # The bank's tree counts by category, and its filter reads one (the unique index is partial).
            models.Index(fields=["category"], name="questions_question_category"),
        ]

    def __str__(self) -> str:
        return self.source_key or f"question {self.pk}"

    @property
    def content(self) -> QuestionContent:
        """The current version's content (the question must have one)."""
        assert self.current_version is not None, "a question without a version has no content"
        return self.current_version.content


class QuestionVersion(models.Model):
    """One wording of a question, never changed once written. ``data`` is
    :meth:`QuestionContent.to_json`; ``number`` counts from 1 per question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    checksum = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "content_questionversion"
        ordering = ["question", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="content_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"

    @property
    def content(self) -> QuestionContent:
        cached: QuestionContent | None = self.__dict__.get("_content")
        if cached is None:
            cached = self.__dict__["_content"] = QuestionContent.from_json(self.data)
        return cached
