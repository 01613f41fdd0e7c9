"""Syncing cards' tags (issue 13, point 2): stored on the card, updated in place by a reload, and a
learner's reviews of the card untouched."""

from datetime import timedelta
from pathlib import Path

import pytest

from studyapp.content.loader import load
from studyapp.content.models import Card
from studyapp.content.sync import sync_content
from studyapp.srs import services
from studyapp.srs.models import ReviewLog, ReviewState
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reload(root: Path, *, later: int = 1):
    result = load(root)
    assert result.ok, [str(p) for p in result.problems]
    return sync_content(result, now=NOW + timedelta(hours=later))


def tag(root: Path, card_id: str, tags: str) -> None:
    note = root / "demo" / "01-containers.md"
    note.write_text(note.read_text().replace(f"// [id:{card_id}]\n", f"// [id:{card_id}] {tags}\n"))


def test_a_cards_tags_are_stored_and_a_cloze_cards_on_each_of_its_cards(demo_course, demo_root):
    assert all(t == [] for t in Card.objects.values_list("tags", flat=True))
    tag(demo_root, "demo-image", "[tag:beyond-exam]")
    tag(demo_root, "demo-registry", "[tag:beyond-exam] [tag:ecr]")

    report = reload(demo_root)

    tags = dict(Card.objects.values_list("source_key", "tags"))
    assert tags == {
        "demo-image": ["beyond-exam"],
        "demo-registry/c1": ["beyond-exam", "ecr"],
        "demo-registry/c2": ["beyond-exam", "ecr"],
        "demo-lambda-price": [],
    }
    assert report.changes["cards updated"] == 3 and "cards added" not in report.changes


def test_retagging_updates_the_card_in_place_and_keeps_its_reviews(demo_course, demo_root):
    learner = UserFactory()
    card = Card.objects.get(source_key="demo-image")
    services.record_review(user=learner, kind="card", item_id=card.pk, revision=0, rating=3, now=NOW)
    state = ReviewState.objects.get(user=learner, card=card)

    tag(demo_root, "demo-image", "[tag:beyond-exam]")
    reload(demo_root)
    assert Card.objects.get(pk=card.pk).tags == ["beyond-exam"]

    (demo_root / "demo" / "01-containers.md").write_text(
        (demo_root / "demo" / "01-containers.md").read_text().replace("[id:demo-image] [tag:beyond-exam]", "[id:demo-image] [tag:docker]")
    )
    reload(demo_root, later=2)

    card.refresh_from_db()
    assert card.tags == ["docker"] and card.retired_at is None
    after = ReviewState.objects.get(pk=state.pk)
    assert (after.card_id, after.reps, after.due, after.revision) == (card.pk, state.reps, state.due, state.revision)
    assert ReviewLog.objects.filter(review_state=state).count() == 1


def test_a_malformed_card_tag_stops_the_load_with_path_and_line(demo_course, demo_root):
    tag(demo_root, "demo-image", "[tag:]")
    result = load(demo_root)
    assert not result.ok
    line = (demo_root / "demo" / "01-containers.md").read_text().splitlines().index("// [id:demo-image] [tag:]") + 1
    assert [str(p) for p in result.problems] == [f"demo/01-containers.md:{line}: card 'demo-image' has an empty tag: write [tag:some-tag]"]
    assert Card.objects.get(source_key="demo-image").tags == []  # nothing written
