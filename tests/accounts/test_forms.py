"""The accounts forms: canonical time zones grouped by region, the browser's zone as the default."""

import pytest
from django import forms

from studyapp.accounts.forms import ProfileForm, SignupForm, time_zone_choices
from tests.factories import UserFactory


def flat(choices) -> dict[str, str]:
    """Zone name -> the group it is listed under ("" for the top level)."""
    found: dict[str, str] = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            found.update({name: value for name, _ in label})
        else:
            found[value] = ""
    return found


def test_time_zones_are_canonical_and_grouped_by_region():
    zones = flat(time_zone_choices())
    assert zones["UTC"] == "" and zones["Europe/Paris"] == "Europe" and zones["America/Argentina/Buenos_Aires"] == "America"
    for alias in ["localtime", "Factory", "US/Eastern", "Europe/Kiev", "GMT", "Etc/GMT+5", "Asia/Calcutta", "posixrules", "Zulu"]:
        assert alias not in zones, alias
    groups = [value for value, label in time_zone_choices() if isinstance(label, list | tuple)]
    assert groups == sorted(groups) and "Europe" in groups and "Pacific" in groups


def test_labels_read_as_places():
    labels = {name: label for _, group in time_zone_choices() if isinstance(group, list | tuple) for name, label in group}
    assert labels["America/Argentina/Buenos_Aires"] == "Argentina / Buenos Aires"
    assert labels["Europe/Paris"] == "Paris"


def test_the_sign_up_zone_asks_the_browser_and_falls_back_to_utc():
    field = SignupForm().fields["time_zone"]
    assert field.initial == "UTC"
    assert SignupForm()["time_zone"].as_widget().count('data-browser-zone="fill"') == 1


@pytest.mark.django_db
def test_a_saved_old_alias_stays_selectable_on_the_profile():
    user = UserFactory(time_zone="US/Eastern")
    form = ProfileForm(instance=user)
    field = form.fields["time_zone"]
    assert isinstance(field, forms.ChoiceField)
    assert "US/Eastern" in flat(field.choices)
    assert 'data-browser-zone="fill"' not in form["time_zone"].as_widget()  # a saved choice is kept
    assert 'data-browser-zone="fill"' in ProfileForm(instance=UserFactory(time_zone="UTC"))["time_zone"].as_widget()
