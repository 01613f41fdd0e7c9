from datetime import timedelta

import pytest

from studyapp.content.models import Card
from studyapp.questions.models import Question
from studyapp.srs import services
from tests.conftest import NOW
from tests.factories import UserFactory


@pytest.fixture
def learner(db):
    return UserFactory(time_zone="UTC")


@pytest.fixture
def cards(demo_course):
    return list(Card.objects.live().order_by("position"))


@pytest.fixture
def question(demo_course):
    return Question.objects.published().order_by("placement__position").first()


def rate(user, card, rating, *, at=NOW, revision=None):
    """Review ``card`` at ``at`` with the revision currently stored (or the one given)."""
    from studyapp.srs.models import ReviewState

    if revision is None:
        state = ReviewState.objects.filter(user=user, card=card).first()
        revision = state.revision if state else 0
    return services.record_review(user=user, kind="card", item_id=card.pk, revision=revision, rating=rating, now=at)


def later(**kwargs):
    return NOW + timedelta(**kwargs)
