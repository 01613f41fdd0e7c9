"""Attempt slots point at questions.Question and questions.QuestionVersion: the same tables, so
state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0001_initial"), ("questions", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attemptquestion",
                    name="question",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="attempt_slots", to="questions.question"),
                ),
                migrations.AlterField(
                    model_name="attemptquestion",
                    name="version",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="attempt_slots", to="questions.questionversion"),
                ),
            ],
            database_operations=[],
        ),
    ]
