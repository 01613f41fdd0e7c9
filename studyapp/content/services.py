"""Writes of learner state about content."""

from datetime import datetime

from django.db import IntegrityError, transaction

from studyapp.accounts.models import User

from .models import Note, NoteRead


def record_note_read(*, user: User, note: Note, now: datetime) -> bool:
    """Remember that ``user`` opened ``note``; True the first time. Safe against double requests."""
    if NoteRead.objects.filter(user=user, note=note).exists():
        return False
    try:
        with transaction.atomic():
            NoteRead.objects.create(user=user, note=note, first_read_at=now)
    except IntegrityError:  # a concurrent request recorded it first
        return False
    return True
