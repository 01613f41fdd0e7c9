"""Ids in forms are range-checked before the database sees them: a form error, never an overflow."""

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from studyapp.content.models import Topic
from studyapp.core.forms import MAX_ID, IdField, IdsChoiceField
from studyapp.quizzes.models import Attempt
from tests.factories import UserFactory

BAD_IDS = [str(2**63), str(2**64), "9" * 5000, "-1", "0", "abc", "1e309", "1.5", "\x00", "1\x00", " ", "٣"]


class OneId(forms.Form):
    id = IdField()


@pytest.mark.parametrize("value", BAD_IDS)
def test_an_id_out_of_range_or_shape_is_a_form_error(value):
    form = OneId({"id": value})
    assert not form.is_valid() and "id" in form.errors


@given(st.integers(min_value=1, max_value=MAX_ID))
def test_every_id_in_range_is_taken(value):
    form = OneId({"id": str(value)})
    assert form.is_valid() and form.cleaned_data["id"] == value


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_ID + 1)))
def test_every_id_out_of_range_is_refused(value):
    assert not OneId({"id": str(value)}).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize("value", BAD_IDS)
def test_a_list_of_ids_is_checked_before_the_query(demo_course, value):
    class Topics(forms.Form):
        topics = IdsChoiceField(queryset=Topic.objects.all())

    good = str(Topic.objects.first().pk)
    form = Topics({"topics": [good, value]})
    assert not form.is_valid() and "topics" in form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("value", BAD_IDS)
def test_the_practice_form_answers_a_bad_topic_id_with_a_form_error(client, demo_course, value):
    client.force_login(UserFactory())
    response = client.post("/quiz/practice/", {"count": "5", "only": "all", "topics": [value]})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Attempt.objects.exists()
