"""Questions gain what the bank needs: a status, an author, a category path, and who wrote each
version. Existing questions are published (retired ones retired) and filed under their course and
topic. (Data last, and the schema changes that follow in 0007, in a transaction of their own:
PostgreSQL refuses to alter a table with pending trigger events.)"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ROOT = "$course$/top"


def fill_bank_fields(apps, schema_editor):
    Question = apps.get_model("content", "Question")
    for question in Question.objects.select_related("course", "topic").iterator():
        question.status = "retired" if question.retired_at else "published"
        question.category = f"{ROOT}/{question.course.slug}/{question.topic.slug}"
        question.save(update_fields=["status", "category"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_question_placement"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField("question", "status", models.CharField(choices=[("draft", "Draft"), ("published", "Published"), ("retired", "Retired")], default="draft", max_length=10)),
        migrations.AddField("question", "category", models.CharField(default=ROOT, help_text="Moodle's category path, $course$/top/...", max_length=500)),
        migrations.AddField("question", "author", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="questions", to=settings.AUTH_USER_MODEL)),
        migrations.AddField("questionversion", "created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
        migrations.RunPython(fill_bank_fields, migrations.RunPython.noop),
    ]
