"""Quiz definitions; attempts point at the quiz they are an attempt at. Existing mock attempts
belong to the built-in mock exam (created here with CLF-C02's format), practice ones to none."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attach_mocks(apps, schema_editor):
    Quiz = apps.get_model("quizzes", "Quiz")
    Attempt = apps.get_model("quizzes", "Attempt")
    if not Attempt.objects.filter(mode="mock").exists():
        return  # mock_quiz() creates the row on first use
    quiz, _ = Quiz.objects.get_or_create(
        key="mock",
        defaults={"title": "Mock exam", "selection": "blueprint", "question_count": 65, "time_limit": datetime.timedelta(minutes=90), "grace_seconds": 10},
    )
    Attempt.objects.filter(mode="mock").update(quiz=quiz)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_question_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Quiz",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.SlugField(blank=True, help_text="A built-in quiz's name (mock); empty for the others.")),
                ("title", models.CharField(max_length=200)),
                ("selection", models.CharField(choices=[("fixed", "A fixed list of questions"), ("rules", "Drawn by rules (topics, domains, how many)"), ("blueprint", "Drawn by exam-domain weights")], default="rules", max_length=10)),
                ("question_ids", models.JSONField(blank=True, default=list, help_text="The fixed list, in order.")),
                ("topic_ids", models.JSONField(blank=True, default=list, help_text="Rules: these topics (empty: every topic).")),
                ("domains", models.JSONField(blank=True, default=list, help_text="Rules: these exam domains (empty: every domain).")),
                ("question_count", models.PositiveSmallIntegerField(default=65)),
                ("include_beyond_exam", models.BooleanField(default=False)),
                ("weights", models.JSONField(blank=True, default=dict, help_text="Blueprint: share of each exam domain (empty: CLF-C02's).")),
                ("time_limit", models.DurationField(blank=True, help_text="Empty: untimed.", null=True)),
                ("grace_seconds", models.PositiveIntegerField(default=10, help_text="Answers still accepted this long after the time limit.")),
                ("attempts_allowed", models.PositiveSmallIntegerField(blank=True, help_text="Empty: unlimited.", null=True)),
                ("grade_method", models.CharField(choices=[("highest", "Highest"), ("average", "Average"), ("first", "First"), ("last", "Last")], default="highest", max_length=10)),
                ("policy", models.CharField(choices=[("all_or_nothing", "all_or_nothing"), ("partial", "partial")], default="all_or_nothing", max_length=20)),
                ("shuffle_questions", models.BooleanField(default=True)),
                ("shuffle_options", models.BooleanField(default=True)),
                ("feedback", models.CharField(choices=[("immediate", "Immediate: right or wrong after each answer"), ("deferred", "Deferred: graded when submitted")], default="deferred", max_length=10)),
                ("show_marks", models.CharField(choices=[("immediately", "After each answer"), ("after_submit", "Once submitted"), ("never", "Never")], default="after_submit", max_length=12)),
                ("show_right_answers", models.CharField(choices=[("immediately", "After each answer"), ("after_submit", "Once submitted"), ("never", "Never")], default="after_submit", max_length=12)),
                ("show_explanations", models.CharField(choices=[("immediately", "After each answer"), ("after_submit", "Once submitted"), ("never", "Never")], default="after_submit", max_length=12)),
                ("owner", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="quizzes", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name_plural": "quizzes",
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("key", ""), _negated=True), fields=("key",), name="quiz_unique_key"),
                    models.CheckConstraint(condition=models.Q(("question_count__gte", 1)), name="quiz_question_count_positive"),
                ],
            },
        ),
        migrations.AddField(
            model_name="attempt",
            name="quiz",
            field=models.ForeignKey(blank=True, help_text="Empty: a practice session.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="attempts", to="quizzes.quiz"),
        ),
        migrations.AlterField(
            model_name="attempt",
            name="options",
            field=models.JSONField(default=dict, help_text="Practice: what the learner chose (topics, domains, number, filter); mock: the draw's counts."),
        ),
        migrations.RunPython(attach_mocks, migrations.RunPython.noop),
    ]
