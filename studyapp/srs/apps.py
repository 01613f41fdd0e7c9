from django.apps import AppConfig


class SrsConfig(AppConfig):
    name = "studyapp.srs"
    label = "srs"
    verbose_name = "Flashcards and spaced repetition"
