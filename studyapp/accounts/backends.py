"""Authentication backend: Django's ModelBackend, loading the learner's review settings with the user."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        # One query for request.user and its review settings: every study request needs both. get(),
        # not first(): a primary key needs no ORDER BY, whose compiling was a third of this call.
        try:
            user = User.objects.select_related("review_settings").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
