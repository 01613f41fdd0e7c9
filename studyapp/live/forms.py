from django import forms

from studyapp.accounts.models import User
from studyapp.classrooms.models import Assignment, AssignmentKind, Classroom, Membership
from studyapp.content.models import Topic

from .models import NICKNAME_MAX, PIN_LENGTH
from .services import GameSetup


class JoinForm(forms.Form):
    pin = forms.CharField(
        label="Game PIN", max_length=PIN_LENGTH + 4, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )
    nickname = forms.CharField(label="Nickname", max_length=NICKNAME_MAX * 2, widget=forms.TextInput(attrs={"autocomplete": "nickname"}))

    def clean_pin(self) -> str:
        pin = "".join(self.cleaned_data["pin"].split())
        if not (pin.isdigit() and len(pin) == PIN_LENGTH):
            raise forms.ValidationError(f"A game PIN is {PIN_LENGTH} digits, as shown on the host's screen.")
        return pin


class Source:
    ASSIGNMENT = "assignment"
    TOPICS = "topics"
    QUESTIONS = "questions"
    CHOICES = [
        (ASSIGNMENT, "An assignment's quiz (the game counts as an attempt in the gradebook)"),
        (TOPICS, "Questions drawn from topics"),
        (QUESTIONS, "Questions I pick (their numbers)"),
    ]


class NewGameForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Shown on the screens; the quiz's title when empty.")
    source = forms.ChoiceField(choices=Source.CHOICES, widget=forms.RadioSelect, initial=Source.TOPICS)
    assignment = forms.ModelChoiceField(
        queryset=Assignment.objects.none(), required=False, help_text="A quiz assignment of a class you teach."
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, help_text="None chosen: every topic."
    )
    question_count = forms.IntegerField(min_value=1, max_value=50, initial=10, label="Questions to draw")
    question_ids = forms.CharField(
        required=False, label="Question numbers", help_text="Separated by commas or spaces, in the order to ask them."
    )
    classroom = forms.ModelChoiceField(
        queryset=Classroom.objects.none(), required=False, label="Class", help_text="Its signed-in learners are linked to their accounts."
    )
    time_limit_seconds = forms.IntegerField(min_value=5, max_value=240, initial=20, label="Seconds per question")

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        taught = Membership.objects.active().instructors().filter(user=user).values("classroom")
        classes = Classroom.objects.all() if user.is_superuser else Classroom.objects.filter(pk__in=taught)
        self.fields["classroom"].queryset = classes  # type: ignore[attr-defined]
        self.fields["assignment"].queryset = Assignment.objects.filter(  # type: ignore[attr-defined]
            classroom__in=classes, kind=AssignmentKind.QUIZ, quiz__isnull=False
        ).select_related("classroom")
        self.fields["topics"].queryset = Topic.objects.live().order_by("course", "position")  # type: ignore[attr-defined]

    def clean_question_ids(self) -> list[int]:
        raw = self.cleaned_data["question_ids"].replace(",", " ").split()
        try:
            ids = [int(part) for part in raw]
        except ValueError:
            raise forms.ValidationError("Write question numbers only, such as 12, 15, 31.") from None
        if any(not 0 < qid < 2**31 for qid in ids):
            raise forms.ValidationError("Question numbers are positive whole numbers.")
        return list(dict.fromkeys(ids))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        source = data.get("source")
        if source == Source.ASSIGNMENT and not data.get("assignment"):
            self.add_error("assignment", "Choose the assignment to play.")
        if source == Source.QUESTIONS and not data.get("question_ids"):
            self.add_error("question_ids", "Give at least one question number.")
        return data

    def choice(self) -> GameSetup:
        data = self.cleaned_data
        common = {"title": data["title"], "time_limit_seconds": data["time_limit_seconds"]}
        if data["source"] == Source.ASSIGNMENT:
            return GameSetup(assignment_id=data["assignment"].pk, **common)
        classroom = data["classroom"].pk if data.get("classroom") else None
        if data["source"] == Source.QUESTIONS:
            return GameSetup(question_ids=tuple(data["question_ids"]), classroom_id=classroom, **common)
        return GameSetup(
            topic_ids=tuple(t.pk for t in data["topics"]), question_count=data["question_count"], classroom_id=classroom, **common
        )
