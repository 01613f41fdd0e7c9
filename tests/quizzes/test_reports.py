"""Reads shaped for the quiz pages: the parts that need no database."""

from datetime import timedelta

import pytest

from studyapp.quizzes.reports import duration_text


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(seconds=62.241460), "1 min 2 s"),
        (timedelta(0), "0 s"),
        (timedelta(seconds=59.999), "59 s"),
        (timedelta(minutes=5), "5 min"),
        (timedelta(minutes=90), "1 h 30 min"),
        (timedelta(hours=2, seconds=3), "2 h 0 min 3 s"),
    ],
)
def test_duration_text_reads_as_hours_minutes_and_seconds(duration, text):
    assert duration_text(duration) == text


def test_a_negative_duration_is_refused():
    with pytest.raises(ValueError):
        duration_text(timedelta(seconds=-1))
