"""Who may edit which part of the bank, and the audit of regrades.

A category is a Moodle path (``$course$/top/...``) that ``Question.category`` names. Its owner (the
author who made it) and the authors it was given to may edit the questions in it and in every
category below it. Questions loaded from ``content/`` are read-only to everyone: the notes are their
source, and an author duplicates one to edit it.
"""

from django.conf import settings
from django.db import models


class Category(models.Model):
    path = models.CharField(max_length=500, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_categories")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.path


class CategoryGrant(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "user"], name="authoring_grant_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.category}"


class Regrade(models.Model):
    """An applied regrade: the key of ``question`` changed from ``from_version`` to ``to_version``, and
    ``changes`` lists each attempt whose mark moved (``{"attempt", "user", "old", "new"}``, marks as
    strings of Decimal fractions)."""

    question = models.ForeignKey("questions.Question", on_delete=models.PROTECT, related_name="regrades")
    from_version = models.ForeignKey("questions.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    to_version = models.ForeignKey("questions.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"regrade of {self.question} at {self.at:%Y-%m-%d %H:%M}"
