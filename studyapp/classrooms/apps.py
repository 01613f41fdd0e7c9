from django.apps import AppConfig


class ClassroomsConfig(AppConfig):
    name = "studyapp.classrooms"
    label = "classrooms"
    verbose_name = "Classes"

    def ready(self) -> None:
        # The attempt door stays in quizzes; who teaches whom is ours to say.
        from studyapp.quizzes.access import register_instructor_rule

        from .access import teaches_attempt_owner

        register_instructor_rule(teaches_attempt_owner)

        # A graded attempt at an assignment's quiz makes a line in the learner's notifications.
        from studyapp.quizzes.signals import attempt_submitted

        from .notifications import on_attempt_submitted

        attempt_submitted.connect(on_attempt_submitted, dispatch_uid="classrooms.notify_graded")
