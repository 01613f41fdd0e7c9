"""Quizzes: practice with instant explanations, the timed mock exam, attempts and results."""
