from django import forms

from studyapp.content.models import Course

from .models import Classroom


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
