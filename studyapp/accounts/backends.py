"""Authentication backend: Django's ModelBackend, loading the learner's review settings with the
user, and keeping the two in the cache between requests until either row is written.

Every signed-in request needs the user; reading them was the largest single part of a study
request's CPU (docs/performance.md). :func:`forget_user` drops the kept copy: the ``post_save`` and
``post_delete`` signals of ``User`` (here) and of the review settings (``srs.apps``) call it, so
every write goes through ``save()`` or ``delete()`` (``grant_role`` too). It drops it at once and again
after the commit, as ``core.versions.bump_learner`` does, so a copy read during the write is not
kept. A change made outside Django altogether is seen within :data:`TIMEOUT`. The copy is pickled
(the cache's own format), so each request gets its own and nothing one request sets on it (a
permission cache) reaches another.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from studyapp.core import pagecache

from .models import User

TIMEOUT = 300  # seconds


def _key(user_id: object) -> str:
    return pagecache.fixed_key(f"signed-in-user:{user_id}")


def forget_user(user_id: object) -> None:
    """The user's row or their review settings changed: the next request reads them again."""
    key = _key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def user_written(sender: type, instance: User, **kwargs: Any) -> None:
    """``post_save`` / ``post_delete`` of ``User``."""
    forget_user(instance.pk)


class UserBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        key = _key(user_id)
        user: User | None = cache.get(key)
        if user is None:
            # One query for request.user and its review settings: every study request needs both.
            # get(), not first(): a primary key needs no ORDER BY, whose compiling was a third of this call.
            try:
                user = User.objects.select_related("review_settings").get(pk=user_id)
            except User.DoesNotExist:
                return None
            cache.set(key, user, TIMEOUT)
        return user if self.user_can_authenticate(user) else None
