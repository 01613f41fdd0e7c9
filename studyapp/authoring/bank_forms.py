"""The bank page's forms: the list's filters (a GET form; the bulk form repeats them hidden), the bulk
action on the ticked rows, and the category forms."""

from collections.abc import Sequence
from typing import cast
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict

from studyapp.content.models import Topic
from studyapp.content.parsing.types import DOMAINS
from studyapp.core.forms import IdField, ticked_ids
from studyapp.questions.models import CATEGORY_ROOT, Status

from .bank import MAX_BULK, Filters, valid_path
from .forms import KIND_LABELS

USED_CHOICES = [
    ("", "Anywhere or nowhere"),
    ("practice", "In practice (published)"),
    ("assigned", "In an assignment"),
    ("live", "In a live game"),
]


class BankFilterForm(forms.Form):
    """What the list shows. ``topics`` are the live topics the select offers (read once per content
    version by the view)."""

    q = forms.CharField(required=False, max_length=200, strip=True, label="Search")
    category = forms.CharField(required=False, max_length=500, strip=False, label="Category")
    tag = forms.CharField(required=False, max_length=100, strip=True, label="Tag")
    kind = forms.ChoiceField(required=False, choices=[("", "Any type"), *KIND_LABELS.items()], label="Type")
    domain = forms.ChoiceField(required=False, choices=[("", "Any domain"), *DOMAINS.items()], label="Exam domain")
    topic = forms.ChoiceField(required=False, label="Topic")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices], label="Status")
    used = forms.ChoiceField(required=False, choices=USED_CHOICES, label="Where used")
    assignment = IdField(required=False, widget=forms.HiddenInput)
    game = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: QueryDict, *, topics: Sequence[Topic]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", "Any topic"), *((str(t.pk), t.title) for t in topics)]

    def clean_category(self) -> str:
        path: str = self.cleaned_data["category"]
        if path and path != CATEGORY_ROOT and not valid_path(path):
            raise forms.ValidationError(f"A category is a path such as {CATEGORY_ROOT}/Containers.")
        return path

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            query=data["q"],
            category=data["category"],
            tag=data["tag"],
            kind=data["kind"],
            domain=data["domain"],
            topic_id=int(data["topic"]) if data["topic"] else None,
            status=data["status"],
            used=data["used"],
            assignment_id=data["assignment"],
            game_id=data["game"],
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The filters set, as (name, value): the bulk form's hidden copy of them."""
        return [(name, str(value)) for name, value in self.cleaned_data.items() if value not in ("", None)]

    def query_string(self) -> str:
        return urlencode(self.pairs())


BULK_ACTIONS = [("tag", "Add tag"), ("move", "Move"), ("publish", "Publish"), ("retire", "Retire"), ("export", "Export")]
DONE = {"tag": "Tagged", "move": "Moved", "publish": "Published", "retire": "Retired"}
"""What the message after a bulk action says it did."""


class BulkForm(forms.Form):
    """A bulk action on the ticked rows: ``tag`` needs the tag, ``move`` the target category."""

    action = forms.ChoiceField(
        choices=BULK_ACTIONS, error_messages={"required": "Choose an action.", "invalid_choice": "Choose an action."}
    )
    # Named apart from the filters' fields, whose hidden copies ride in the same form.
    new_tag = forms.CharField(required=False, max_length=100, label="Tag to add")
    move_to = forms.CharField(required=False, max_length=500, strip=False, label="Move to")

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        self.raw_ids = data.getlist("ids")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        cleaned["ids"] = ticked_ids(self.raw_ids, most=MAX_BULK, noun="question")
        if cleaned.get("action") == "tag" and not cleaned.get("new_tag"):
            self.add_error("new_tag", "Type the tag to add.")
        if cleaned.get("action") == "move" and not cleaned.get("move_to") and "move_to" not in self.errors:
            self.add_error("move_to", "Choose the category to move them to.")
        return cleaned


class CategoryForm(forms.Form):
    parent = forms.CharField(max_length=500, strip=False, label="Under")
    name = forms.CharField(max_length=100, label="Name")


class GrantForm(forms.Form):
    grant_category = forms.CharField(max_length=500, strip=False, label="Category")  # "category" is the filter's
    username = forms.CharField(max_length=150, label="Author's username")
