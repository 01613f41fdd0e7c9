from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "studyapp.questions"
    label = "questions"
    verbose_name = "Question bank"
