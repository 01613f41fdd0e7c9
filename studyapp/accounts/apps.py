from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "studyapp.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from .backends import user_written
        from .models import User

        post_save.connect(user_written, sender=User, dispatch_uid="accounts-user-written")
        post_delete.connect(user_written, sender=User, dispatch_uid="accounts-user-deleted")
