from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "studyapp.live"
    label = "live"
    verbose_name = "Live quiz"
