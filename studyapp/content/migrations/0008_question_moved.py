"""Question and QuestionVersion now belong to the questions app (questions 0001): content lets go
of them in its state. No table, row or column changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_question_bank_cleanup"),
        ("questions", "0001_initial"),
        ("srs", "0002_question_moved"),
        ("quizzes", "0002_question_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="questionplacement",
                    name="question",
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="placement", serialize=False, to="questions.question"),
                ),
                migrations.AlterField(
                    model_name="searchentry",
                    name="question",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="questions.question"),
                ),
                migrations.RemoveField(model_name="question", name="current_version"),
                migrations.DeleteModel(name="QuestionVersion"),
                migrations.DeleteModel(name="Question"),
            ],
            database_operations=[],
        ),
    ]
