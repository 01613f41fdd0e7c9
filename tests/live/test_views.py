"""The live game over plain HTTP: what a phone or a projector without WebSockets (or without
JavaScript) does, and who may open what."""

import random
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from studyapp.accounts.models import Role, User
from studyapp.classrooms import services as class_services
from studyapp.live import seats, services
from studyapp.live.models import Game, LiveAnswer, Phase, Player
from studyapp.quizzes.models import Quiz
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import right_button

pytestmark = pytest.mark.django_db


@pytest.fixture
def game(host: User, quiz: Quiz) -> Game:
    return services.create_game(host=host, quiz=quiz, now=timezone.now(), rng=random.Random(1))


def host_client(game: Game) -> Client:
    client = Client()
    client.force_login(game.host)
    return client


def joined(client: Client, game: Game, nickname: str = "Sam") -> Player:
    response = client.post(reverse("live:join"), {"pin": game.pin, "nickname": nickname})
    assert response.status_code == 302 and response["Location"] == reverse("live:play", args=[game.pk])
    return Player.objects.get(game=game, nickname=nickname)


def test_the_join_page_needs_no_account(client: Client, game: Game) -> None:
    response = client.get(reverse("live:join") + f"?pin={game.pin}")
    assert response.status_code == 200
    assert 'name="pin"' in response.text and 'name="nickname"' in response.text and game.pin in response.text


@pytest.mark.parametrize(
    ("pin", "nickname", "message"),
    [
        ("999999", "Sam", "No game is running with that PIN"),
        ("12ab", "Sam", "A game PIN is 6 digits"),
        ("", "Sam", "This field is required"),
        (None, "", "This field is required"),
        (None, "taken", "is taken in this game"),
        (None, "x" * 30, "at most 20 characters"),
    ],
)
def test_bad_joins_get_a_clear_message_and_no_seat(client: Client, game: Game, pin: str | None, nickname: str, message: str) -> None:
    services.join_game(pin=game.pin, nickname="taken", user=None, now=timezone.now())
    response = client.post(reverse("live:join"), {"pin": game.pin if pin is None else pin, "nickname": nickname})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Player.objects.count() == 1
    assert not any(name.startswith("live_seat_") for name in response.cookies)


def test_a_finished_game_and_a_full_game_are_clear_pages(client: Client, game: Game) -> None:
    Game.objects.filter(pk=game.pk).update(max_players=0)
    assert "This game is full" in client.post(reverse("live:join"), {"pin": game.pin, "nickname": "a"}).content.decode()
    services.end_game(game_id=game.pk, now=timezone.now())
    assert "No game is running" in client.post(reverse("live:join"), {"pin": game.pin, "nickname": "a"}).content.decode()


def test_joining_sets_a_seat_cookie_that_a_reload_keeps(client: Client, game: Game) -> None:
    player = joined(client, game)
    cookie = client.cookies[seats.cookie_name(game.pk)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get(reverse("live:play", args=[game.pk]))
    assert page.status_code == 200 and "You’re in, Sam" in page.text
    assert page["Cache-Control"] == "private, no-store"
    assert Player.objects.get().pk == player.pk


def test_a_forged_seat_cookie_is_no_seat(client: Client, game: Game) -> None:
    joined(Client(), game)
    client.cookies[seats.cookie_name(game.pk)] = "forged:value"
    assert client.get(reverse("live:play", args=[game.pk]))["Location"] == reverse("live:join")
    assert client.get(reverse("live:play_screen", args=[game.pk])).status_code == 404


def test_a_whole_question_over_http_without_javascript(client: Client, game: Game) -> None:
    player = joined(client, game)
    host = host_client(game)
    assert host.post(reverse("live:host_control", args=[game.pk]), {"action": "next", "position": 0, "phase": "lobby"}).status_code == 302
    question = client.get(reverse("live:play", args=[game.pk])).text
    assert "Question 1 of 3" in question and 'name="choice"' in question
    assert 'http-equiv="refresh"' not in question  # a question waiting for an answer does not reload itself
    button = right_button(game, 1)
    response = client.post(reverse("live:answer", args=[game.pk]), {"position": 1, "choice": button})
    assert response.status_code == 302
    locked = client.get(reverse("live:play", args=[game.pk])).text
    assert "Answer locked in" in locked and 'http-equiv="refresh"' in locked
    client.post(reverse("live:answer", args=[game.pk]), {"position": 1, "choice": 0})  # a second answer: ignored
    assert LiveAnswer.objects.filter(player=player).count() == 1
    # the host's screen closes the question once everyone has answered, polled over HTTP
    revealed = host.get(reverse("live:host_screen", args=[game.pk])).text
    assert "✓ right" in revealed and "Lambda runs functions on demand." in revealed and "Top 1" in revealed
    result = client.get(reverse("live:play_screen", args=[game.pk])).text
    assert "Right!" in result and "rank 1 of 1" in result


def test_an_answer_with_htmx_gets_the_screen_back(client: Client, game: Game) -> None:
    joined(client, game)
    services.advance(game_id=game.pk, from_position=0, now=timezone.now())
    response = client.post(reverse("live:answer", args=[game.pk]), {"position": 1, "choice": 0}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="screen"') and "Answer locked in" in response.text


@pytest.mark.parametrize("data", [{"position": "x", "choice": 0}, {"position": 1, "choice": "abc"}])
def test_a_garbled_answer_is_a_400(client: Client, game: Game, data: dict[str, object]) -> None:
    joined(client, game)
    assert client.post(reverse("live:answer", args=[game.pk]), data).status_code == 400
    assert not LiveAnswer.objects.exists()


def test_a_late_answer_over_http_is_refused_with_a_message(client: Client, game: Game) -> None:
    joined(client, game)
    services.advance(game_id=game.pk, from_position=0, now=timezone.now() - timedelta(seconds=60))
    response = client.post(reverse("live:answer", args=[game.pk]), {"position": 1, "choice": 0}, follow=True)
    assert "This question is closed" in response.text or "Time is up" in response.text
    assert not LiveAnswer.objects.exists()


def test_the_host_screen_shows_pin_join_link_qr_code_and_lobby(game: Game) -> None:
    Client().post(reverse("live:join"), {"pin": game.pin, "nickname": "<b>Bold</b>"})
    page = host_client(game).get(reverse("live:host", args=[game.pk])).text
    assert game.pin in page and "http://testserver/live/join/" in page
    assert "<svg" in page and 'class="segno"' in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page and "<b>Bold</b>" not in page


def test_a_host_reload_keeps_the_game_where_it_is(game: Game) -> None:
    host = host_client(game)
    host.post(reverse("live:host_control", args=[game.pk]), {"action": "next", "position": 0, "phase": "lobby"})
    host.post(reverse("live:host_control", args=[game.pk]), {"action": "next", "position": 0, "phase": "lobby"})  # a double click
    assert "Question 1 of 3" in host.get(reverse("live:host", args=[game.pk])).text
    game.refresh_from_db()
    assert (game.phase, game.position) == (Phase.QUESTION, 1)


def test_the_host_removes_a_nickname_over_http(client: Client, game: Game) -> None:
    player = joined(client, game, "rude")
    host_client(game).post(reverse("live:host_control", args=[game.pk]), {"action": "remove", "player": player.pk, "position": 0})
    assert "removed" in client.get(reverse("live:play", args=[game.pk])).text


@pytest.mark.parametrize(
    "data", [{"action": "explode"}, {"action": "next", "position": "x"}, {"action": "remove", "player": "99999999999"}]
)
def test_bad_host_controls_are_400s(game: Game, data: dict[str, object]) -> None:
    assert host_client(game).post(reverse("live:host_control", args=[game.pk]), data).status_code == 400


def test_the_host_plays_to_the_podium_and_reads_the_report(client: Client, game: Game) -> None:
    joined(client, game, "Sam")
    host = host_client(game)
    control = reverse("live:host_control", args=[game.pk])
    host.post(control, {"action": "next", "position": 0, "phase": "lobby"})
    for position in (1, 2, 3):
        client.post(reverse("live:answer", args=[game.pk]), {"position": position, "choice": right_button(game, position)})
        host.post(control, {"action": "next", "position": position, "phase": "question"})
        host.post(control, {"action": "next", "position": position, "phase": "reveal"})
    podium = host.get(reverse("live:host", args=[game.pk])).text
    assert "podium" in podium and "Sam" in podium
    report = host.get(reverse("live:report", args=[game.pk])).text
    assert "Sam" in report and "100.0 %" in report
    csv = host.get(reverse("live:report_csv", args=[game.pk]))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("rank,nickname,account,score,right,answered,mean seconds,Q1,Q2,Q3")
    assert lines[1].startswith("1,Sam,,") and lines[1].endswith("right,right,right")


def test_a_new_game_from_topics_opens_its_lobby(host: User, quiz: Quiz) -> None:
    client = Client()
    client.force_login(host)
    response = client.post(
        reverse("live:new"),
        {
            "source": "questions",
            "question_ids": ", ".join(str(q) for q in quiz.question_ids),
            "question_count": 10,
            "time_limit_seconds": 20,
        },
    )
    game = Game.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("live:host", args=[game.pk])
    assert game.question_count == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": "questions", "question_ids": "1, x"}, "Write question numbers only"),
        ({"source": "questions", "question_ids": ""}, "Give at least one question number"),
        ({"source": "assignment"}, "Choose the assignment to play"),
        ({"source": "questions", "question_ids": "999999"}, "None of this quiz"),
    ],
)
def test_a_bad_new_game_is_a_form_error(host: User, quiz: Quiz, data: dict[str, object], message: str) -> None:
    client = Client()
    client.force_login(host)
    response = client.post(reverse("live:new"), {"question_count": 10, "time_limit_seconds": 20, **data})
    assert response.status_code == 200 and message in response.text
    assert not Game.objects.exists()


def test_who_may_open_what(game: Game, demo_course) -> None:
    learner = UserFactory(username="learner")
    other = UserFactory(username="other_teacher", role=Role.INSTRUCTOR)
    urls_for_host = [
        reverse("live:host", args=[game.pk]),
        reverse("live:host_screen", args=[game.pk]),
        reverse("live:report", args=[game.pk]),
    ]
    anonymous = Client()
    for url in [*urls_for_host, reverse("live:index"), reverse("live:new")]:
        assert anonymous.get(url)["Location"].startswith("/accounts/login/")
    for user, expected in ((learner, 404), (other, 404)):
        client = Client()
        client.force_login(user)
        for url in urls_for_host:
            assert client.get(url).status_code == expected, (user, url)
        assert client.post(reverse("live:host_control", args=[game.pk]), {"action": "end"}).status_code == 404
    learner_client = Client()
    learner_client.force_login(learner)
    assert learner_client.get(reverse("live:new")).status_code == 403
    assert learner_client.post(reverse("live:new"), {"source": "topics"}).status_code == 403
    game.refresh_from_db()
    assert game.phase == Phase.LOBBY


def test_a_class_instructor_reads_the_report_of_a_game_played_in_the_class(host: User, quiz: Quiz, demo_course) -> None:
    classroom = class_services.create_classroom(by=host, name="Group", course=demo_course, now=NOW)
    co = UserFactory(username="co", role=Role.INSTRUCTOR)
    from studyapp.classrooms.access import access_classroom

    class_services.add_instructor(access_classroom(host, classroom.pk, as_instructor=True), identifier="co", now=NOW)
    game = services.create_game(host=host, quiz=quiz, now=timezone.now(), rng=random.Random(1), classroom_id=classroom.pk)
    client = Client()
    client.force_login(co)
    assert client.get(reverse("live:report", args=[game.pk])).status_code == 200
    assert client.get(reverse("live:host", args=[game.pk])).status_code == 404


def test_a_class_page_lists_its_live_games_from_the_live_apps_own_url(host: User, quiz: Quiz, demo_course) -> None:
    classroom = class_services.create_classroom(by=host, name="Group", course=demo_course, now=NOW)
    game = services.create_game(host=host, quiz=quiz, now=timezone.now(), rng=random.Random(1), classroom_id=classroom.pk)
    services.join_game(pin=game.pin, nickname="Sam", user=None, now=timezone.now())
    client = Client()
    client.force_login(host)
    page = client.get(reverse("classrooms:detail", args=[classroom.pk])).text
    assert reverse("live:class_games", args=[classroom.pk]) in page
    fragment = client.get(reverse("live:class_games", args=[classroom.pk]), headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="class-live-games"') and "1 player" in fragment.text
    assert reverse("live:report", args=[game.pk]) in fragment.text
    learner = UserFactory(username="lea")
    class_services.join_classroom(user=learner, classroom=classroom, now=NOW)
    client.force_login(learner)
    assert client.get(reverse("live:class_games", args=[classroom.pk])).status_code == 403


def test_a_host_control_from_the_polling_page_gets_the_new_screen(game: Game) -> None:
    joined(Client(), game)
    response = host_client(game).post(
        reverse("live:host_control", args=[game.pk]), {"action": "next", "position": 0, "phase": "lobby"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Question 1 of 3" in response.text


def test_a_refusal_over_the_polling_page_is_shown_on_the_screen(client: Client, game: Game) -> None:
    joined(client, game)
    response = client.post(reverse("live:answer", args=[game.pk]), {"position": 1, "choice": 0}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "This question is closed." in response.text


def test_an_empty_join_says_what_is_missing(client: Client, game: Game) -> None:
    response = client.post(reverse("live:join"), {})
    assert response.status_code == 400 and "This field is required" in response.text


def test_the_join_link_on_the_projector_names_an_allowed_host_only(game: Game, settings) -> None:
    from studyapp.live import screens

    settings.STUDYAPP_SITE_URL = "https://study.example.edu"
    assert screens.join_url("testserver") == "https://testserver/live/join/"
    assert screens.join_url("evil.example") == "https://study.example.edu/live/join/"
    assert screens.join_url(None) == "https://study.example.edu/live/join/"
