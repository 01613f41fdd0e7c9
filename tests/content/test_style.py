"""The course's rule for a scenario-style question (pure)."""

import pytest

from studyapp.content.parsing.style import is_scenario, scenario_stem, sentences

SCENARIO = "A retail company runs its web shop in containers on AWS and wants to keep its images private. Which service should it use?"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        (SCENARIO, True),
        (
            "A startup's developers push code several times a day and want each change built and tested. What should they use to run it?",
            True,
        ),
        ("Your team must run a nightly report that takes two hours to finish on one machine. Which option suits this best on AWS?", True),
        # who is named only in the second sentence: a definition with a story after it
        (
            "What is AWS Fargate used for in practice, as far as containers go? A company asks for it often when it moves to the cloud.",
            False,
        ),
        ("A company runs containers on AWS. Which service stores its images?", False),  # under 100 characters
        (
            "A company runs its web shop in containers on AWS and wants to keep its images private and close to its services",
            False,
        ),  # one sentence
        ("Which TWO services let a company run code without provisioning or managing servers of its own at all? (Select TWO.)", False),
        ("Which service stores images? (Select TWO.) " + "x" * 120, False),  # the cue is not a sentence of its own
        (
            "The registry stores container images for ECS, EKS and Fargate and bills by the gigabyte-month. Which registry is it, then?",
            False,
        ),
    ],
)
def test_is_scenario(stem, expected):
    assert is_scenario(stem) is expected


def test_the_stem_loses_its_title_and_its_cue():
    assert scenario_stem("::Pick two:: Which TWO are serverless? (Select TWO.)") == "Which TWO are serverless?"


def test_sentences_split_after_their_end():
    assert sentences("One. Two? Three! Four") == ["One.", "Two?", "Three!", "Four"]
    assert sentences("Version 1.5 of it. Next") == ["Version 1.5 of it.", "Next"]
