"""Question and QuestionVersion move here from content: a change of Django's state only. The tables
keep their names (content_question, content_questionversion) and every row, id and foreign key
stays as it was; content 0005-0007 already gave them their final columns."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Permissions and admin history follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("question", "questionversion"):
        if not ContentType.objects.filter(app_label="questions", model=model).exists():
            ContentType.objects.filter(app_label="content", model=model).update(app_label="questions")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="questions", model__in=["question", "questionversion"]).update(app_label="content")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("content", "0007_question_bank_cleanup"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Question",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("source_key", models.CharField(blank=True, max_length=200)),
                        ("category", models.CharField(default="$course$/top", help_text="Moodle's category path, $course$/top/...", max_length=500)),
                        ("status", models.CharField(choices=[("draft", "Draft"), ("published", "Published"), ("retired", "Retired")], default="draft", max_length=10)),
                        ("kind", models.CharField(max_length=12)),
                        ("domain", models.CharField(blank=True, max_length=10)),
                        ("tags", models.JSONField(default=list)),
                        ("option_count", models.PositiveSmallIntegerField(default=0, help_text="Options in the current version (what an exam blueprint checks).")),
                        ("author", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="questions", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "content_question", "ordering": ["id"]},
                ),
                migrations.CreateModel(
                    name="QuestionVersion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("number", models.PositiveIntegerField()),
                        ("data", models.JSONField()),
                        ("checksum", models.CharField(max_length=64)),
                        ("created_at", models.DateTimeField()),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("question", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="questions.question")),
                    ],
                    options={
                        "db_table": "content_questionversion",
                        "ordering": ["question", "number"],
                        "constraints": [models.UniqueConstraint(fields=("question", "number"), name="content_version_unique_number")],
                    },
                ),
                migrations.AddField(
                    model_name="question",
                    name="current_version",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="questions.questionversion"),
                ),
                migrations.AddConstraint("question", models.UniqueConstraint(condition=models.Q(("source_key", ""), _negated=True), fields=("category", "source_key"), name="questions_question_unique_key")),
                migrations.AddConstraint("question", models.CheckConstraint(condition=models.Q(("status__in", ["draft", "published", "retired"])), name="questions_question_status")),
                migrations.AddIndex("question", models.Index(fields=["status", "domain"], name="questions_question_domain")),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
