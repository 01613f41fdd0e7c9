"""What quizzes tell the apps above them, without importing them.

``attempt_submitted`` is sent once per attempt, when it is graded and closed (by the learner, or
by the clock), inside the submitting transaction: a receiver's writes commit or roll back with it.
Receivers get ``attempt`` (an :class:`~studyapp.quizzes.models.Attempt` with ``quiz`` loaded).
"""

from django.dispatch import Signal

attempt_submitted = Signal()
