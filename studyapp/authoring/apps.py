from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "studyapp.authoring"
    label = "authoring"
    verbose_name = "Question authoring"
