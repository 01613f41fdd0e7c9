"""Questions in the flashcard queue link back to where they sit in the notes."""

import pytest

from studyapp.srs import services
from studyapp.srs.models import ReviewState
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_a_leech_question_links_to_its_note(client, learner, question):
    services.enqueue_question(user=learner, question=question, now=NOW)
    ReviewState.objects.filter(user=learner, question=question).update(leech=True, lapses=8)
    client.force_login(learner)
    page = client.get("/study/leeches/").content.decode()
    assert f'href="{question.placement.get_absolute_url()}">Reread' in page
    assert question.placement.get_absolute_url().endswith(f"#q-{question.source_key}")
