from django import forms
from django.http import QueryDict

from studyapp.accounts.models import User
from studyapp.content.models import Topic
from studyapp.content.parsing.types import DOMAINS
from studyapp.core.forms import IdsChoiceField

from .services import FILTERS, MAX_QUESTIONS, MIN_QUESTIONS, PracticeChoice

SOURCES = {"course": "The course's questions", "mine": "Questions I wrote (published ones)"}


class PracticeForm(forms.Form):
    source = forms.ChoiceField(choices=list(SOURCES.items()), initial="course", widget=forms.RadioSelect, label="Questions from")
    topics = IdsChoiceField(
        queryset=Topic.objects.live().order_by("course", "position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every topic.",
    )
    domains = forms.MultipleChoiceField(
        choices=[(code, f"Domain {code[-1]}: {name}") for code, name in DOMAINS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every exam domain.",
    )
    count = forms.IntegerField(min_value=MIN_QUESTIONS, max_value=MAX_QUESTIONS, initial=10, label="Number of questions")
    only = forms.ChoiceField(choices=list(FILTERS.items()), initial="all", widget=forms.RadioSelect, label="Which questions")
    include_beyond_exam = forms.BooleanField(
        required=False,
        label="Include beyond-exam questions",
        help_text="Questions on price arithmetic and configuration details the exam does not ask.",
    )
    pricing_problems = forms.BooleanField(
        required=False,
        label="Pricing problems instead",
        help_text="Work out monthly bills for Lambda, Fargate, API Gateway, ECR, Batch and Lightsail, answered in dollars and checked to the cent.",
    )

    def __init__(self, data: QueryDict | None = None, *, user: User | None = None) -> None:
        super().__init__(data)
        if user is None or not user.is_author:  # only authors write questions: learners choose no source
            del self.fields["source"]

    def choice(self) -> PracticeChoice:
        data = self.cleaned_data
        return PracticeChoice(
            topic_ids=[t.pk for t in data["topics"]],
            domains=list(data["domains"]),
            count=data["count"],
            only=data["only"],
            include_beyond_exam=data["include_beyond_exam"],
            mine=data.get("source") == "mine",
        )
