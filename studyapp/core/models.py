"""Rows with no domain: named versions that caches are keyed by (see :mod:`studyapp.core.versions`)."""

from django.db import models


class Stamp(models.Model):
    """The current version of something many pages are built from, e.g. ``content`` (the course).

    ``value`` is a fresh random token each time the thing changes, never a counter: a counter rolled
    back with a transaction (or a database restored from a backup) would hand out a number again, and
    a cache would serve what was stored under it the first time."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
