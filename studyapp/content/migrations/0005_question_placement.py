"""Where each question sits in the course moves to a table of its own (content.QuestionPlacement),
before the question itself moves to the questions app (0006, 0007)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_placements(apps, schema_editor):
    Question = apps.get_model("content", "Question")
    Placement = apps.get_model("content", "QuestionPlacement")
    Placement.objects.bulk_create(
        Placement(
            question_id=q.pk, course_id=q.course_id, topic_id=q.topic_id, note_id=q.note_id,
            section_anchor=q.section_anchor, position=q.position,
        )
        for q in Question.objects.all().iterator()
    )


def copy_back(apps, schema_editor):
    Question = apps.get_model("content", "Question")
    for placement in apps.get_model("content", "QuestionPlacement").objects.all().iterator():
        Question.objects.filter(pk=placement.question_id).update(
            course_id=placement.course_id, topic_id=placement.topic_id, note_id=placement.note_id,
            section_anchor=placement.section_anchor, position=placement.position,
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0004_question_option_count")]

    operations = [
        migrations.CreateModel(
            name="QuestionPlacement",
            fields=[
                ("question", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="placement", serialize=False, to="content.question")),
                ("section_anchor", models.CharField(blank=True, max_length=200)),
                ("position", models.PositiveIntegerField(default=0, help_text="Order within the course (reading order for the notes' questions).")),
                ("course", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="question_placements", to="content.course")),
                ("note", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="question_placements", to="content.note")),
                ("topic", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="question_placements", to="content.topic")),
            ],
            options={"ordering": ["course", "position"], "indexes": [models.Index(fields=["topic"], name="content_placement_topic")]},
        ),
        migrations.RunPython(copy_placements, copy_back),
    ]
