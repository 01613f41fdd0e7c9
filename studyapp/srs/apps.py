from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _settings_written(sender: type, instance: Any, **kwargs: Any) -> None:
    """The signed-in user is kept with their review settings (accounts.backends): read both again."""
    from studyapp.accounts.backends import forget_user

    forget_user(instance.user_id)


class SrsConfig(AppConfig):
    name = "studyapp.srs"
    label = "srs"
    verbose_name = "Flashcards and spaced repetition"

    def ready(self) -> None:
        from .models import ReviewSettings

        post_save.connect(_settings_written, sender=ReviewSettings, dispatch_uid="srs-settings-written")
        post_delete.connect(_settings_written, sender=ReviewSettings, dispatch_uid="srs-settings-deleted")
