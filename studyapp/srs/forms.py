from django import forms

from .models import ReviewSettings, parse_steps


class ReviewSettingsForm(forms.ModelForm):
    class Meta:
        model = ReviewSettings
        fields = ("desired_retention", "new_per_day", "learning_steps", "relearning_steps", "fuzz")
        widgets = {"desired_retention": forms.NumberInput(attrs={"step": "0.01", "min": "0.70", "max": "0.97"})}
        labels = {"desired_retention": "Desired retention", "new_per_day": "New cards per day", "fuzz": "Spread review dates"}

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
    item = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    revision = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    rating = forms.TypedChoiceField(choices=[(str(n), str(n)) for n in range(1, 5)], coerce=int)
    shown = forms.FloatField(required=False)
    topic = forms.SlugField(required=False)
