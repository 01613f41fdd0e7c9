"""Flashcard blocks: tags on a card's id line (issue 13, point 2), parsed with the questions' rules,
and a malformed one reported as ``path:line: message``."""

import pytest

from studyapp.content.parsing.note import parse_note
from tests.content.test_note_parsing import TOPICS, note_text

# The body starts on line 9 (7 front matter lines + two '---'); the fence is line 9, a first card's id line 10.


def cards_of(block: str):
    note, problems = parse_note(note_text(f"```cards\n{block}```\n"), path="compute/n.md", topics=TOPICS)
    assert problems == [], [str(p) for p in problems]
    return note.cards


def test_tags_after_the_id_are_kept_on_a_basic_card():
    (card,) = cards_of("// [id:fargate-sizes] [tag:beyond-exam] [tag:pricing]\nQ: front\nA: back\n")
    assert card.key == "fargate-sizes"
    assert card.tags == ("beyond-exam", "pricing")


def test_a_cloze_cards_tags_apply_to_each_of_its_cards():
    cards = cards_of("// [id:ecr-pair] [tag:beyond-exam]\nC: {{c1::ECR}} stores {{c2::images}}.\n")
    assert [(c.key, c.tags) for c in cards] == [("ecr-pair/c1", ("beyond-exam",)), ("ecr-pair/c2", ("beyond-exam",))]


def test_a_card_without_tags_has_none_and_tags_follow_gifts_spelling():
    untagged, spelled = cards_of("// [id:one]\nQ: f\nA: b\n\n//[id:two][tag: spaced ] [tag:with\\]bracket] [tag:spaced]\nQ: f\nA: b\n")
    assert untagged.tags == ()
    assert spelled.tags == ("spaced", "with]bracket")  # trimmed as GIFT trims, `\]` is `]`, a repeat counted once


def test_tags_do_not_change_what_the_learner_sees():
    (plain,) = cards_of("// [id:one]\nQ: f\nA: b\n")
    (tagged,) = cards_of("// [id:one] [tag:beyond-exam]\nQ: f\nA: b\n")
    assert plain.checksum == tagged.checksum and plain.front_html == tagged.front_html


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        ("// [id:one] [tag:]\nQ: f\nA: b\n", 10, "card 'one' has an empty tag: write [tag:some-tag]"),
        ("// [id:one] [tag:a<b>]\nQ: f\nA: b\n", 10, "card 'one': the tag 'a<b>' cannot hold '<', '>' or control characters"),
        (
            "// [id:one] [tag:beyond-exam\nQ: f\nA: b\n",
            10,
            "card 'one': only [tag:...] may follow the id on its line, got '[tag:beyond-exam'",
        ),
        (
            "// [id:one] tag:beyond-exam\nQ: f\nA: b\n",
            10,
            "card 'one': only [tag:...] may follow the id on its line, got 'tag:beyond-exam'",
        ),
        (
            "// [id:one]\nQ: f\nA: b\n\n// [id:two] [tag:ok] and more\nQ: f\nA: b\n",
            14,
            "card 'two': only [tag:...] may follow the id on its line, got 'and more'",
        ),
    ],
)
def test_a_malformed_tag_is_reported_with_path_and_line(block, line, message):
    note, problems = parse_note(note_text(f"```cards\n{block}```\n"), path="compute/n.md", topics=TOPICS)
    assert note is None
    assert f"compute/n.md:{line}: {message}" in [str(p) for p in problems]
