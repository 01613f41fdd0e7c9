from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "studyapp.core"
    label = "core"
