"""Authentication backend: Django's ModelBackend, loading the learner's review settings with the user."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        # One query for request.user and its review settings: every study request needs both.
        user = User.objects.select_related("review_settings").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
