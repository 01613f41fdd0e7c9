"""Writes to accounts: creating one."""

from django.db import IntegrityError, transaction

from .models import User


class UsernameTaken(Exception):
    """Another sign-up took the username after the form checked it was free."""


def create_account(*, user: User) -> User:
    """Insert ``user`` (built by the sign-up form, password already hashed). Two identical sign-ups
    at once (a double click, a retry) both pass the form's check that the username is free; the
    database's unique constraint lets one in, and the other raises :class:`UsernameTaken` instead of
    an ``IntegrityError``, rolled back to a savepoint so the caller's transaction stays usable."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        if User.objects.filter(username=user.username).exists():
            raise UsernameTaken(user.username) from None
        raise
    return user
