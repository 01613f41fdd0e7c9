from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django import forms

from studyapp.content.models import Course, Note, Topic
from studyapp.content.parsing.types import DOMAINS
from studyapp.quizzes.grading import GradeMethod
from studyapp.quizzes.models import Shown

from .models import AssignmentKind, Classroom, GoalKind, LatePolicy
from .roster_csv import MAX_BYTES
from .services import FlashcardGoal, QuizSetup, QuizSource, Schedule


class ClassroomForm(forms.ModelForm):
    course = forms.ModelChoiceField(queryset=Course.objects.live(), empty_label=None, help_text="The course the class studies.")

    class Meta:
        model = Classroom
        fields = ["name", "course", "description"]
        labels = {"name": "Class name", "description": "Description (optional)"}
        help_texts = {"name": "As learners will see it, e.g. “CLF-C02 evening group, spring 2027”."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class InstructorForm(forms.Form):
    identifier = forms.CharField(label="Username or email", max_length=254, help_text="They must already have an account.")


# --- roster import (issue 14, point 2) --------------------------------------------------------


class RosterUploadForm(forms.Form):
    """A roster as a CSV file or as pasted text (the file wins when both are given)."""

    file = forms.FileField(
        label="CSV file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
        help_text="One learner a row: email, then name. A header row (email, name) is optional; commas or semicolons; save from Excel as “CSV UTF-8”.",
    )
    text = forms.CharField(
        label="Or paste the rows",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "placeholder": "ada@example.com, Ada Lovelace"}),
        max_length=MAX_BYTES,
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError("Choose a CSV file or paste its rows.")
        return cleaned

    def roster_bytes(self) -> bytes:
        """The file's bytes (at most one more than the parser's limit, which it then reports) or the text's."""
        upload = self.cleaned_data.get("file")
        if upload:
            return bytes(upload.read(MAX_BYTES + 1))
        return str(self.cleaned_data["text"]).encode("utf-8")


# --- assignments ------------------------------------------------------------------------------


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]
SHOWN_CHOICES = [(value, label) for value, label in Shown.choices if value != Shown.IMMEDIATELY]


class AssignmentForm(forms.Form):
    """Set work: the fields every assignment has, then those of its kind (``kind`` is fixed by the
    page: the form shows and checks only that kind's part). Dates are in the instructor's time zone."""

    title = forms.CharField(max_length=200)
    instructions = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = forms.DateTimeField(label="Opens", widget=DateTimeLocalInput(), input_formats=DATETIME_FORMATS)
    due_at = forms.DateTimeField(label="Due", widget=DateTimeLocalInput(), input_formats=DATETIME_FORMATS)
    late_policy = forms.ChoiceField(label="Late work", choices=LatePolicy.choices, initial=LatePolicy.ACCEPT)
    late_penalty_percent = forms.IntegerField(
        label="Late penalty (%)",
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
        help_text="Taken off late work under “with a penalty”.",
    )
    # A quiz.
    source = forms.ChoiceField(
        label="Questions",
        choices=[
            ("topics", "Drawn from chosen topics"),
            ("domains", "Drawn from chosen exam domains"),
            ("questions", "A fixed list of questions"),
            ("mock", "The mock exam (65 questions by the exam's weights, 90 minutes)"),
        ],
        initial="topics",
        widget=forms.RadioSelect,
    )
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)
    domains = forms.MultipleChoiceField(choices=list(DOMAINS.items()), required=False, widget=forms.CheckboxSelectMultiple)
    question_ids = forms.CharField(
        label="Question ids",
        required=False,
        max_length=2000,
        help_text="For a fixed list: the questions' ids, separated by commas or spaces.",
    )
    question_count = forms.IntegerField(label="How many questions", min_value=1, max_value=100, initial=10, required=False)
    include_beyond_exam = forms.BooleanField(label="Include beyond-exam questions", required=False)
    attempts_allowed = forms.IntegerField(
        label="Attempts allowed", min_value=1, max_value=50, initial=1, required=False, help_text="Empty: unlimited."
    )
    grade_method = forms.ChoiceField(
        label="Grade from", choices=[(m.value, m.value.title()) for m in GradeMethod], initial=GradeMethod.HIGHEST
    )
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)",
        min_value=1,
        max_value=600,
        required=False,
        help_text="Empty: untimed (the mock keeps its 90 minutes).",
    )
    shuffle_questions = forms.BooleanField(label="Shuffle the questions", required=False, initial=True)
    shuffle_options = forms.BooleanField(label="Shuffle the options", required=False, initial=True)
    show_marks = forms.ChoiceField(label="Learners see their marks", choices=SHOWN_CHOICES, initial=Shown.AFTER_SUBMIT)
    show_right_answers = forms.ChoiceField(label="…the right answers", choices=SHOWN_CHOICES, initial=Shown.AFTER_SUBMIT)
    show_explanations = forms.ChoiceField(label="…the explanations", choices=SHOWN_CHOICES, initial=Shown.AFTER_SUBMIT)
    # A flashcard goal.
    goal_kind = forms.ChoiceField(label="Goal", choices=GoalKind.choices, initial=GoalKind.REVIEWS, widget=forms.RadioSelect)
    goal_reviews = forms.IntegerField(label="Reviews to do", min_value=1, max_value=100000, required=False)
    goal_recall_percent = forms.IntegerField(label="Predicted recall to reach (%)", min_value=1, max_value=100, required=False)
    goal_topics = forms.ModelMultipleChoiceField(
        label="On these topics",
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None: the whole course.",
    )
    # Notes to read.
    notes = forms.ModelMultipleChoiceField(queryset=Note.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    KIND_FIELDS = {
        AssignmentKind.QUIZ: [
            "source", "topics", "domains", "question_ids", "question_count", "include_beyond_exam", "attempts_allowed",
            "grade_method", "time_limit_minutes", "shuffle_questions", "shuffle_options", "show_marks", "show_right_answers",
            "show_explanations",
        ],
        AssignmentKind.FLASHCARDS: ["goal_kind", "goal_reviews", "goal_recall_percent", "goal_topics"],
        AssignmentKind.NOTES: ["notes"],
    }  # fmt: skip

    def __init__(self, *args: object, kind: str, course: Course, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.kind = AssignmentKind(kind)
        topics = Topic.objects.filter(course=course).order_by("position", "pk")
        notes = Note.objects.filter(course=course, retired_at__isnull=True).order_by("topic__position", "order", "pk")
        for name, choices in (("topics", topics), ("goal_topics", topics), ("notes", notes)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = choices
        mine = set(self.KIND_FIELDS[self.kind])
        for other in {name for names in self.KIND_FIELDS.values() for name in names} - mine:
            del self.fields[other]
        if self.kind == AssignmentKind.NOTES:
            self.fields["notes"].required = True

    def clean_question_ids(self) -> tuple[int, ...]:
        raw = self.cleaned_data.get("question_ids") or ""
        parts = raw.replace(",", " ").split()
        if any(not part.isdigit() or len(part) > 9 for part in parts):
            raise forms.ValidationError("Question ids are whole numbers, separated by commas or spaces.")
        return tuple(dict.fromkeys(int(part) for part in parts))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        opens, due = data.get("opens_at"), data.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", "The due date must come after the date it opens.")
        if data.get("late_policy") == LatePolicy.PENALTY and not data.get("late_penalty_percent"):
            self.add_error("late_penalty_percent", "Give the penalty for late work, or accept it without one.")
        if self.kind == AssignmentKind.QUIZ:
            needed = {"topics": "topics", "domains": "domains", "questions": "question_ids"}.get(str(data.get("source")))
            if needed and not data.get(needed):
                self.add_error(needed, "Choose at least one for this kind of quiz.")
        if self.kind == AssignmentKind.FLASHCARDS:
            needed = "goal_reviews" if data.get("goal_kind") == GoalKind.REVIEWS else "goal_recall_percent"
            if not data.get(needed):
                self.add_error(needed, "Give the goal's number.")
        return data

    def schedule(self) -> Schedule:
        data = self.cleaned_data
        return Schedule(
            opens_at=data["opens_at"],
            due_at=data["due_at"],
            late_policy=data["late_policy"],
            late_penalty_percent=data["late_penalty_percent"] or 0,
        )

    def quiz_setup(self) -> QuizSetup | None:
        if self.kind != AssignmentKind.QUIZ:
            return None
        data = self.cleaned_data
        minutes = data.get("time_limit_minutes")
        return QuizSetup(
            source=QuizSource(data["source"]),
            topic_ids=tuple(topic.pk for topic in data["topics"]),
            domains=tuple(data["domains"]),
            question_ids=data["question_ids"],
            question_count=data.get("question_count") or 10,
            include_beyond_exam=data["include_beyond_exam"],
            attempts_allowed=data.get("attempts_allowed"),
            grade_method=data["grade_method"],
            time_limit=timedelta(minutes=minutes) if minutes else None,
            shuffle_questions=data["shuffle_questions"],
            shuffle_options=data["shuffle_options"],
            show_marks=data["show_marks"],
            show_right_answers=data["show_right_answers"],
            show_explanations=data["show_explanations"],
        )

    def goal(self) -> FlashcardGoal | None:
        if self.kind != AssignmentKind.FLASHCARDS:
            return None
        data = self.cleaned_data
        return FlashcardGoal(
            kind=data["goal_kind"],
            reviews=data.get("goal_reviews"),
            recall_percent=data.get("goal_recall_percent"),
            topic_ids=tuple(topic.pk for topic in data["goal_topics"]),
        )

    def note_ids(self) -> list[int]:
        return [note.pk for note in self.cleaned_data["notes"]] if self.kind == AssignmentKind.NOTES else []


class OverrideForm(forms.Form):
    """One learner's extension or excusal."""

    user = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    due_at = forms.DateTimeField(label="Extended to", required=False, widget=DateTimeLocalInput(), input_formats=DATETIME_FORMATS)
    excused = forms.BooleanField(label="Excused", required=False)


# --- notifications (issue 14, point 7) --------------------------------------------------------


class StrictCheckboxInput(forms.CheckboxInput):
    """A checkbox whose raw value reaches the field, so a value no browser sends is an error."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        return data.get(name)


class MailPreferenceForm(forms.Form):
    """The email digest on or off: a ticked box sends "on" (or "true"/"1"), an empty one nothing."""

    digest = forms.CharField(
        label="Email me a digest",
        required=False,
        widget=StrictCheckboxInput,
        help_text="One mail with your new class notifications (new assignments, work due tomorrow, grades), at most once a day.",
    )

    def clean_digest(self) -> bool:
        value = (self.cleaned_data.get("digest") or "").strip().lower()
        if value in {"", "off", "false", "0"}:
            return False
        if value in {"on", "true", "1"}:
            return True
        raise forms.ValidationError("Tick the box to get the digest, or leave it empty to turn it off.")
