"""Authored text on the live screens: a hostile question (typed in the editor, or imported as GIFT
[html]) and a hostile nickname never come back as markup on the host's projector or a phone."""

import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from studyapp.accounts.models import Role, User
from studyapp.authoring.models import Category
from studyapp.live import services
from studyapp.live.models import Game
from studyapp.quizzes.models import Quiz, Selection
from tests.authoring.conftest import MINE
from tests.authoring.test_xss import PAYLOADS, WRITERS, assert_safe, markup_problems
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db) -> User:
    user = UserFactory(username="author", role=Role.AUTHOR)
    Category.objects.create(path=MINE, owner=user, created_at=NOW)
    return user


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_never_markup_on_the_live_screens(host: User, author: User, writer: str, payload: str) -> None:
    question = WRITERS[writer](author, payload)
    quiz = Quiz.objects.create(title="XSS", owner=host, selection=Selection.FIXED, question_ids=[question.pk], question_count=1)
    game = services.create_game(host=host, quiz=quiz, now=timezone.now(), rng=random.Random(1))
    phone = Client()
    phone.post(reverse("live:join"), {"pin": game.pin, "nickname": payload[:20]})
    host_client = Client()
    host_client.force_login(host)
    lobby = host_client.get(reverse("live:host_screen", args=[game.pk])).text
    assert payload[:20] not in lobby or "<" not in payload[:20]
    services.advance(game_id=game.pk, from_position=0, now=timezone.now())
    screens = [
        host_client.get(reverse("live:host_screen", args=[game.pk])).text,
        phone.get(reverse("live:play_screen", args=[game.pk])).text,
    ]
    services.advance(game_id=game.pk, from_position=1, now=timezone.now())
    screens += [
        host_client.get(reverse("live:host_screen", args=[game.pk])).text,
        phone.get(reverse("live:play_screen", args=[game.pk])).text,
    ]
    services.end_game(game_id=game.pk, now=timezone.now())
    screens += [
        host_client.get(reverse("live:report", args=[game.pk])).text,
        host_client.get(reverse("live:report_csv", args=[game.pk])).text,
    ]
    host_question, phone_question, host_reveal, phone_result, report, _csv = screens
    for body in (host_question, phone_question, host_reveal, report):
        assert_safe(body, payload)
    assert not list(markup_problems(phone_result, payload))  # a phone's result holds no authored text
    assert Game.objects.get().phase == "finished"
