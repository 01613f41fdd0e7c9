from collections.abc import Sequence
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict

from studyapp.content.models import Topic
from studyapp.core.forms import IdField, ticked_ids

from .browser import Filters
from .models import EXAM_DATE_DEFAULT, ItemState, ReviewSettings, latest_exam_date, parse_steps


class ReviewSettingsForm(forms.ModelForm):
    class Meta:
        model = ReviewSettings
        fields = (
            "desired_retention",
            "new_per_day",
            "learning_steps",
            "relearning_steps",
            "fuzz",
            "bury_siblings",
            "include_beyond_exam_cards",
            "exam_date",
        )
        widgets = {
            "desired_retention": forms.NumberInput(attrs={"step": "0.01", "min": "0.70", "max": "0.97"}),
            "exam_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
        labels = {
            "exam_date": "Exam date",
            "desired_retention": "Desired retention",
            "new_per_day": "New cards per day",
            "fuzz": "Spread review dates",
            "bury_siblings": "Bury related cards",
            "include_beyond_exam_cards": "Include beyond-exam cards",
        }

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        """``today``: the learner's local date; an unset exam date is shown as two weeks from it."""
        super().__init__(*args, **kwargs)
        self.today = today
        if self.instance.exam_date is None or self.instance.exam_date < today:  # unset, or a date gone by
            self.initial["exam_date"] = today + EXAM_DATE_DEFAULT
        self.fields["exam_date"].widget.attrs.update(min=f"{today:%Y-%m-%d}", max=f"{latest_exam_date(today):%Y-%m-%d}")

    def clean_exam_date(self) -> date | None:
        value: date | None = self.cleaned_data["exam_date"]
        if value is not None and value < self.today:
            raise forms.ValidationError("The exam date cannot be in the past.")
        if value is not None and value > latest_exam_date(self.today):
            raise forms.ValidationError(f"Choose an exam date at most two years ahead (by {latest_exam_date(self.today):%d %B %Y}).")
        return value

    def _clean_steps(self, name: str) -> str:
        value = self.cleaned_data[name]
        try:
            parse_steps(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return " ".join(value.split())

    def clean_learning_steps(self) -> str:
        return self._clean_steps("learning_steps")

    def clean_relearning_steps(self) -> str:
        return self._clean_steps("relearning_steps")


class GradeForm(forms.Form):
    """The rating buttons' form. Any field out of shape is a 400: nothing is recorded."""

    kind = forms.ChoiceField(choices=[("card", "card"), ("question", "question")])
    item = IdField()
    revision = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    rating = forms.TypedChoiceField(choices=[(str(n), str(n)) for n in range(1, 5)], coerce=int)
    shown = forms.FloatField(required=False)
    topic = forms.SlugField(required=False)


class CardFilterForm(forms.Form):
    """The card browser's search and filters (a GET form; the bulk form repeats them hidden).
    ``topics`` are the live topics the select offers, passed in so the page reads them once."""

    q = forms.CharField(required=False, max_length=200, label="Search your cards", strip=True)
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *ItemState.choices], label="State")
    topic = forms.ChoiceField(required=False, label="Topic")
    suspended = forms.BooleanField(required=False, label="Suspended")
    flagged = forms.BooleanField(required=False, label="Flagged")
    buried = forms.BooleanField(required=False, label="Buried")
    leech = forms.BooleanField(required=False, label="Leeches")
    beyond_exam = forms.BooleanField(required=False, label="Beyond-exam cards")

    def __init__(self, data: QueryDict | None, *, topics: Sequence[Topic]) -> None:
        super().__init__(data)
        self.topics = {topic.slug: topic for topic in topics}
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", "All topics"), *((t.slug, t.title) for t in topics)]

    def filters(self) -> Filters:
        data = self.cleaned_data
        topic = self.topics.get(data["topic"]) if data["topic"] else None
        return Filters(
            query=data["q"],
            state=data["state"],
            topic_id=topic.pk if topic else None,
            suspended=data["suspended"],
            flagged=data["flagged"],
            buried=data["buried"],
            leech=data["leech"],
            beyond_exam=data["beyond_exam"],
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The valid filters set, as (name, value): the bulk form's hidden copy of them."""
        return [(name, "1" if value is True else str(value)) for name, value in self.cleaned_data.items() if value]

    def query_string(self) -> str:
        """The valid filters as a URL query (no page), for the pager and the redirect after a bulk change."""
        return urlencode(self.pairs())


MAX_BULK = 500
BULK_CHOICES = [("unsuspend", "Unsuspend"), ("unflag", "Remove flag"), ("unbury", "Unbury"), ("reset", "Reset to new")]


class BulkForm(forms.Form):
    """The card browser's bulk action on the ticked rows (``ids``: the learner's state ids)."""

    action = forms.ChoiceField(
        choices=BULK_CHOICES,
        error_messages={"required": "Choose an action.", "invalid_choice": "Choose unsuspend, remove flag, unbury or reset."},
    )

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        self.raw_ids = data.getlist("ids")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        cleaned["ids"] = ticked_ids(self.raw_ids, most=MAX_BULK, noun="card")
        return cleaned


class UndoForm(forms.Form):
    """The Undo button's form: ``change`` is the undo token it was shown with (a repeat of it undoes
    nothing more); without one (an older page), the latest change is undone. Out of shape: a 400."""

    change = forms.RegexField(regex=r"^[0-9]{1,18}-[0-9]{1,18}$", required=False)
    topic = forms.SlugField(required=False)
