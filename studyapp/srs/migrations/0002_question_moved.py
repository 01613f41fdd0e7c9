"""Reviews of questions point at questions.Question: the same table, so state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("srs", "0001_initial"), ("questions", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reviewstate",
                    name="question",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="review_states", to="questions.question"),
                ),
            ],
            database_operations=[],
        ),
    ]
