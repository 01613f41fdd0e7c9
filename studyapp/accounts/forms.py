import zoneinfo

from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional. Only used to reset a forgotten password.")
    time_zone = forms.ChoiceField(choices=time_zone_choices, initial="UTC", help_text="Your study day starts at 4 a.m. here.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "time_zone")


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = User
        fields = ("email", "time_zone")
