"""Money and input shapes shared by every calculator."""

import pytest

from studyapp.pricing.money import Field, Message, worded

INSTANCES = Field(name="instances", label="Instances", kind="int")


@pytest.mark.parametrize(
    ("message", "page"),
    [
        ("required", "Instances is needed"),
        ("must be at least 1", "Instances must be at least 1"),
        ("no price for x1 in us-east-1", "No price for x1 in us-east-1"),
        (
            Message("required when compute is spot", page="Spot price per hour is needed for Spot instances"),
            "Spot price per hour is needed for Spot instances",
        ),
    ],
)
def test_worded_uses_the_label_a_learner_sees(message, page):
    assert worded(INSTANCES, message) == page


def test_a_message_is_still_the_text_the_command_and_the_endpoint_print():
    message = Message("required when compute is spot", page="Spot price per hour is needed for Spot instances")
    assert message == "required when compute is spot" and f"spot_hourly: {message}" == "spot_hourly: required when compute is spot"


def test_choices_show_readable_labels_and_keep_their_values():
    arch = Field(
        name="architecture", label="Architecture", kind="choice", choices=("x86_64", "arm64"), choice_labels=("x86", "Arm (Graviton)")
    )
    assert arch.options() == (("x86_64", "x86"), ("arm64", "Arm (Graviton)"))
    plain = Field(name="bundle", label="Bundle", kind="choice", choices=("nano", "micro"))
    assert plain.options() == (("nano", "nano"), ("micro", "micro"))
