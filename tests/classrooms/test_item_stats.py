"""The pure arithmetic around Moodle's indexes: why an index is missing, the answers per option, the
grades' summary. No database."""

from decimal import Decimal

import pytest

from studyapp.classrooms.item_stats import Summary, Tally, needs_review, no_index_reason, summarise, tally

D = Decimal


@pytest.mark.parametrize(
    ("marks", "rests", "reason"),
    [
        ([], [], "Needs at least 2 attempts with this question, has 0."),
        ([D(1)], [D(2)], "Needs at least 2 attempts with this question, has 1."),
        ([D(1), D(1), D(1)], [D(0), D(1), D(2)], "Everyone scored the same on this question"),
        ([D(1), D(0)], [D(2), D(2)], "Everyone scored the same on the rest of the quiz"),
        ([D(1), D(0)], [D(2), D(1)], ""),
    ],
)
def test_no_index_reason(marks, rests, reason):
    got = no_index_reason(marks, rests)
    assert got.startswith(reason) and bool(got) == bool(reason)


def test_no_index_reason_refuses_unequal_lengths():
    with pytest.raises(ValueError, match="2 marks for 1 rests"):
        no_index_reason([D(1), D(0)], [D(1)])


@pytest.mark.parametrize(("value", "flagged"), [(None, False), (0.0, False), (34.3, False), (-0.01, True), (-100.0, True)])
def test_needs_review_is_a_negative_index(value, flagged):
    assert needs_review(value) is flagged


@pytest.mark.parametrize(
    ("selections", "count", "expected"),
    [
        ([], 3, Tally(counts=(0, 0, 0), unanswered=0, attempts=0)),
        ([[0], [1], [0], None, []], 3, Tally(counts=(2, 1, 0), unanswered=2, attempts=5)),
        ([[0, 1], [1, 1], [2]], 3, Tally(counts=(1, 2, 1), unanswered=0, attempts=3)),  # an option chosen twice counts once
        ([[5], [-1], [True]], 2, Tally(counts=(0, 0), unanswered=3, attempts=3)),  # not an option: as if nothing was chosen
    ],
)
def test_tally(selections, count, expected):
    assert tally(selections, count) == expected


def test_tally_refuses_a_negative_option_count():
    with pytest.raises(ValueError):
        tally([], -1)


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        ([], Summary(count=0, mean=None, median=None)),
        ([D(40)], Summary(count=1, mean=D(40), median=D(40))),
        ([D(40), D(80), D(60)], Summary(count=3, mean=D(60), median=D(60))),
        ([D(0), D(100), D(50), D(60)], Summary(count=4, mean=D("52.5"), median=D(55))),
    ],
)
def test_summarise(grades, expected):
    assert summarise(grades) == expected
