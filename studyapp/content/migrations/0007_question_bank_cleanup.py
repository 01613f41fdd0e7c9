"""Questions lose what moved to QuestionPlacement (0005) and what the bank replaces (origin,
retired_at: now the status; the metadata checksum: sync compares the fields themselves). Search
entries may point at a question and need no note. Still in content's state: 0008 hands the two
models to the questions app without touching a row."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

_search_index = importlib.import_module("studyapp.content.migrations.0002_search_index")


def _on_sqlite(step):
    """SQLite rebuilds content_searchentry when it is altered, which drops the full-text triggers
    (see 0002): take the index down before and build it again after. PostgreSQL keeps them."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            step(apps, schema_editor)

    return run


def index_question_entries(apps, schema_editor):
    """Search entries of kind question learn which question they show (their URL ends #q-<key>)."""
    SearchEntry = apps.get_model("content", "SearchEntry")
    Placement = apps.get_model("content", "QuestionPlacement")
    keys = {(p.note_id, p.question.source_key): p.question_id for p in Placement.objects.select_related("question")}
    for entry in SearchEntry.objects.filter(kind="question").iterator():
        question_id = keys.get((entry.note_id, entry.url.rpartition("#q-")[2]))
        if question_id is not None:
            entry.question_id = question_id
            entry.save(update_fields=["question"])


class Migration(migrations.Migration):
    dependencies = [("content", "0006_question_bank_fields")]

    operations = [
        migrations.RemoveConstraint("question", "content_question_unique_key"),
        migrations.RemoveIndex("question", "content_question_domain"),
        migrations.RemoveField("question", "origin"),
        migrations.RemoveField("question", "course"),
        migrations.RemoveField("question", "note"),
        migrations.RemoveField("question", "topic"),
        migrations.RemoveField("question", "section_anchor"),
        migrations.RemoveField("question", "position"),
        migrations.RemoveField("question", "retired_at"),
        migrations.RemoveField("question", "checksum"),
        migrations.AlterField("question", "kind", models.CharField(max_length=12)),
        migrations.AlterField("question", "domain", models.CharField(blank=True, max_length=10)),
        migrations.AlterModelOptions("question", {"ordering": ["id"]}),
        migrations.AddConstraint("question", models.UniqueConstraint(condition=models.Q(("source_key", ""), _negated=True), fields=("category", "source_key"), name="questions_question_unique_key")),
        migrations.AddConstraint("question", models.CheckConstraint(condition=models.Q(("status__in", ["draft", "published", "retired"])), name="questions_question_status")),
        migrations.AddIndex("question", models.Index(fields=["status", "domain"], name="questions_question_domain")),
        migrations.RunPython(_on_sqlite(_search_index.drop), _on_sqlite(_search_index.create), elidable=False),
        migrations.AlterField("searchentry", "note", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="search_entries", to="content.note")),
        migrations.AddField("searchentry", "question", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="content.question")),
        migrations.RunPython(_on_sqlite(_search_index.create), _on_sqlite(_search_index.drop), elidable=False),
        migrations.RunPython(index_question_entries, migrations.RunPython.noop),
    ]
