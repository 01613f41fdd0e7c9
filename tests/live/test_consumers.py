"""The game's WebSockets, through studyapp.asgi's real routing (origin check, session, cookies), with
Channels' WebsocketCommunicator: joining, answering, reconnecting to the same seat, one answer per
question, and the host's controls."""

import asyncio
import json
import random
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from studyapp.accounts.models import User
from studyapp.asgi import application
from studyapp.live import screens, seats, services
from studyapp.live.models import Game, LiveAnswer, Phase, Player
from studyapp.quizzes.models import Quiz

from .conftest import right_button

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def game(host: User, quiz: Quiz) -> Game:
    """A game created now: the sockets run on the real clock (a game idle for 30 minutes ends)."""
    return services.create_game(host=host, quiz=quiz, now=timezone.now(), rng=random.Random(1))


def join(game: Game, nickname: str) -> Player:
    return services.join_game(pin=game.pin, nickname=nickname, user=None, now=timezone.now())


ORIGIN = (b"origin", b"http://testserver")


def cookie_header(**cookies: str) -> tuple[bytes, bytes]:
    return (b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode())


def player_socket(game: Game, player: Player) -> WebsocketCommunicator:
    headers = [ORIGIN, (b"host", b"testserver"), cookie_header(**{seats.cookie_name(game.pk): seats.seat_value(player)})]
    return WebsocketCommunicator(application, f"/ws/live/{game.pk}/play/", headers=headers)


def host_socket(game: Game) -> WebsocketCommunicator:
    client = Client()
    client.force_login(game.host)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    headers = [ORIGIN, (b"host", b"testserver"), cookie_header(**{settings.SESSION_COOKIE_NAME: session})]
    return WebsocketCommunicator(application, f"/ws/live/{game.pk}/host/", headers=headers)


async def screen(socket: WebsocketCommunicator, timeout: float = 5) -> str:
    """The next screen the server pushes (other messages, such as the host's counts, are skipped)."""
    while True:
        message = json.loads(await socket.receive_from(timeout=timeout))
        if "screen" in message:
            return str(message["screen"])


def run(test: Callable[[], Awaitable[Any]]) -> Any:
    return async_to_sync(test)()


def test_a_player_without_a_seat_is_turned_away(game: Game) -> None:
    async def go() -> tuple[bool, int | str | None]:
        socket = WebsocketCommunicator(application, f"/ws/live/{game.pk}/play/", headers=[ORIGIN])
        connected, code = await socket.connect()
        return connected, code

    connected, code = run(go)
    assert not connected and code == 4403


def test_a_socket_from_another_site_is_refused(game: Game) -> None:
    player = join(game, "Sam")

    async def go() -> bool:
        socket = WebsocketCommunicator(
            application,
            f"/ws/live/{game.pk}/play/",
            headers=[(b"origin", b"http://evil.example"), cookie_header(**{seats.cookie_name(game.pk): seats.seat_value(player)})],
        )
        connected, _code = await socket.connect()
        return connected

    assert not run(go)


def test_a_player_plays_a_question_over_the_socket(game: Game) -> None:
    player = join(game, "Sam")

    host, phone = host_socket(game), player_socket(game, player)

    async def go() -> list[str]:
        assert (await host.connect())[0] and (await phone.connect())[0]
        seen = [await screen(phone)]  # the lobby
        assert "Sam" in await screen(host)
        await host.send_json_to({"action": "next", "position": 0, "phase": "lobby"})
        seen.append(await screen(phone))  # question 1
        await phone.send_json_to({"position": 1, "answer": [right_button_async]})
        seen.append(await screen(phone))  # locked in
        await phone.send_json_to({"position": 1, "answer": [0]})  # a second answer: ignored
        await host.send_json_to({"action": "next", "position": 1, "phase": "question"})
        seen.append(await screen(phone))  # the result
        await phone.disconnect()
        await host.disconnect()
        return seen

    right_button_async = right_button(game, 1)
    lobby, question, locked, result = run(go)
    assert "You’re in, Sam" in lobby
    assert "Question 1 of 3" in question and "AWS Lambda" in question and "fraction" not in question
    assert "Answer locked in" in locked
    assert "Right!" in result and "rank 1 of 1" in result
    assert LiveAnswer.objects.count() == 1 and LiveAnswer.objects.get().correct
    assert Player.objects.get(pk=player.pk).score > 900


def test_a_player_who_reconnects_gets_the_same_seat_and_screen(game: Game) -> None:
    player = join(game, "Sam")
    services.advance(game_id=game.pk, from_position=0, now=timezone.now())

    async def go() -> tuple[str, str]:
        first = player_socket(game, player)
        await first.connect()
        before = await screen(first)
        await first.send_json_to({"position": 1, "answer": [0]})
        await screen(first)
        await first.disconnect()
        again = player_socket(game, player)
        await again.connect()
        after = await screen(again)
        await again.disconnect()
        return before, after

    before, after = run(go)
    assert "Question 1 of 3" in before
    assert "Answer locked in" in after  # the same seat: its answer is there
    assert Player.objects.count() == 1


def test_a_refused_answer_is_explained_and_not_stored(game: Game) -> None:
    player = join(game, "Sam")

    async def go() -> dict[str, Any]:
        phone = player_socket(game, player)
        await phone.connect()
        await screen(phone)
        await phone.send_json_to({"position": 1, "answer": [0]})  # still in the lobby
        message = json.loads(await phone.receive_from(timeout=5))
        await phone.send_to(text_data="not json")
        garbled = json.loads(await phone.receive_from(timeout=5))
        await phone.disconnect()
        return {"refused": message, "garbled": garbled}

    messages = run(go)
    assert messages["refused"] == {"notice": "This question is closed."}
    assert "not understood" in messages["garbled"]["notice"]
    assert not LiveAnswer.objects.exists()


def test_only_the_host_opens_the_host_socket(game: Game) -> None:
    from tests.factories import UserFactory

    intruder = UserFactory(username="intruder", role="instructor")
    client = Client()
    client.force_login(intruder)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    async def go() -> tuple[bool, int | str | None, bool, int | str | None]:
        anonymous = WebsocketCommunicator(application, f"/ws/live/{game.pk}/host/", headers=[ORIGIN])
        a = await anonymous.connect()
        other = WebsocketCommunicator(
            application, f"/ws/live/{game.pk}/host/", headers=[ORIGIN, cookie_header(**{settings.SESSION_COOKIE_NAME: session})]
        )
        b = await other.connect()
        return a[0], a[1], b[0], b[1]

    assert run(go) == (False, 4401, False, 4404)


def test_the_host_removes_a_nickname_and_that_phone_is_told(game: Game) -> None:
    rude = join(game, "rude")

    host, phone = host_socket(game), player_socket(game, rude)

    async def go() -> str:
        await host.connect()
        await phone.connect()
        await screen(host)
        await screen(phone)
        await host.send_json_to({"action": "remove", "player": rude.pk, "position": 0})
        told = await screen(phone)
        await host.disconnect()
        return told

    assert "removed" in run(go)
    assert Player.objects.get(pk=rude.pk).removed_at is not None


def test_pause_resume_skip_and_end_from_the_host_socket(game: Game) -> None:
    join(game, "Sam")

    host = host_socket(game)

    async def go() -> list[str]:
        await host.connect()
        await screen(host)
        phases = []
        for action, position, phase in (("next", 0, "lobby"), ("pause", 1, None), ("resume", 1, None), ("skip", 1, None), ("end", 2, None)):
            await host.send_json_to({"action": action, "position": position, "phase": phase})
            phases.append(await screen(host))
        await host.disconnect()
        return phases

    opened, paused, resumed, skipped, ended = run(go)
    assert "Question 1 of 3" in opened and "paused" in paused and "paused" not in resumed
    assert "Question 2 of 3" in skipped
    assert "podium" in ended
    game.refresh_from_db()
    assert game.phase == Phase.FINISHED


def test_a_player_who_answered_then_reconnected_is_not_shown_the_question_again(game: Game) -> None:
    player = join(game, "Sam")
    services.advance(game_id=game.pk, from_position=0, now=timezone.now())
    first, host = player_socket(game, player), host_socket(game)

    async def go() -> str:
        await first.connect()
        await screen(first)
        await first.send_json_to({"position": 1, "answer": [0]})
        await screen(first)
        await first.disconnect()
        again = player_socket(game, player)
        await again.connect()
        await screen(again)  # "Answer locked in"
        await host.connect()
        await screen(host)
        await host.send_json_to({"action": "pause", "position": 1})
        await screen(host)
        await host.send_json_to({"action": "resume", "position": 1})
        await screen(host)
        after = await screen(again)
        while "Paused" in after:
            after = await screen(again)
        await again.disconnect()
        await host.disconnect()
        return after

    assert 'name="choice"' not in run(go)


def test_a_message_the_server_cannot_read_is_answered_not_fatal(game: Game) -> None:
    player = join(game, "Sam")
    phone = player_socket(game, player)

    async def go() -> list[dict[str, Any]]:
        await phone.connect()
        await screen(phone)
        replies = []
        for text in ('{"position": Infinity, "answer": [0]}', '{"position": 1, "answer": [1e400]}', "[]", '{"position": 1}'):
            await phone.send_to(text_data=text)
            replies.append(json.loads(await phone.receive_from(timeout=5)))
        await phone.disconnect()
        return replies

    assert all("not understood" in reply["notice"] for reply in run(go))


def test_a_removed_players_socket_is_closed_and_stays_closed(game: Game) -> None:
    player = join(game, "rude")
    services.remove_player(game_id=game.pk, player_id=player.pk, now=timezone.now())

    async def go() -> tuple[bool, int | str | None]:
        phone = player_socket(game, player)
        return await phone.connect()

    assert run(go) == (False, 4403)


@pytest.mark.parametrize("wrapper", ["channels", "ours"])
def test_the_sockets_database_thread_keeps_its_connection_until_the_last_socket_goes(wrapper: str, monkeypatch) -> None:
    """Channels' ``database_sync_to_async`` connects again for every call (CONN_MAX_AGE is 0): a
    fan-out to thousands of sockets then spends its time connecting. The sockets' wrapper keeps the
    connection between calls, closes it after a call that failed, and when the last socket goes."""
    from channels.db import database_sync_to_async

    from studyapp.live import consumers

    wrap = database_sync_to_async if wrapper == "channels" else consumers._database
    monkeypatch.setattr(consumers, "_open_sockets", set())  # this process's sockets: none but the one below
    # Channels' wrapper as deployed on PostgreSQL (CONN_MAX_AGE 0, the pool); SQLite keeps connections
    # (CONN_MAX_AGE None, for the HTTP threads), and the sockets' wrapper must close them all the same.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0 if wrapper == "channels" else None)

    def opened_before() -> bool:
        had = connection.connection is not None
        connection.ensure_connection()
        return had

    def fail() -> None:
        connection.ensure_connection()
        raise ValueError("a call that fails")

    async def go() -> list[bool]:
        await sync_to_async(connections.close_all, thread_sensitive=True)()  # the database thread starts unconnected
        consumers._open_sockets.add("socket")
        seen = [await wrap(opened_before)(), await wrap(opened_before)()]
        with pytest.raises(ValueError):
            await wrap(fail)()
        seen.append(await wrap(opened_before)())
        await consumers._release("socket")
        seen.append(await wrap(opened_before)())
        await consumers._release("socket")
        return seen

    results: list[list[bool]] = []
    worker = threading.Thread(target=lambda: results.append(asyncio.run(go())))  # not the main thread: a database thread of its own
    worker.start()
    worker.join()
    if wrapper == "channels":
        assert results == [[False, False, False, False]]
    else:
        assert results == [[False, True, False, False]]


def test_every_phone_that_answered_gets_the_same_locked_in_screen_its_own_would_be(game: Game) -> None:
    """The "locked in" screen is built once per question and process; it must be exactly what the
    player's own screen is then (the polling fallback compares its key)."""
    players = [join(game, f"player {number}") for number in range(3)]
    host, phones = host_socket(game), [player_socket(game, player) for player in players]

    async def go() -> list[str]:
        assert (await host.connect())[0]
        for phone in phones:
            assert (await phone.connect())[0]
            await screen(phone)  # the lobby
        await host.send_json_to({"action": "next", "position": 0, "phase": "lobby"})
        locked = []
        for number, phone in enumerate(phones):
            await screen(phone)  # question 1
            await phone.send_json_to({"position": 1, "answer": [number % 2]})
            locked.append(await screen(phone))
        for socket in [*phones, host]:
            await socket.disconnect()
        return locked

    locked = run(go)
    assert LiveAnswer.objects.filter(player__game=game).count() == 3
    own = [screens.render_player(Player.objects.select_related("game").get(pk=player.pk), now=timezone.now()) for player in players]
    assert locked == own and "Answer locked in" in own[0]


def test_an_answer_is_timed_when_it_arrives_not_when_the_busy_database_thread_gets_to_it(game: Game) -> None:
    """2,000 answers in a few seconds queue for the process's database thread; one that arrived
    in time must not be refused as late because its turn came after the limit."""
    from studyapp.live import consumers

    player = join(game, "Sam")
    Game.objects.filter(pk=game.pk).update(time_limit_seconds=5)  # the shortest a game allows
    host, phone = host_socket(game), player_socket(game, player)

    async def go() -> str:
        assert (await host.connect())[0] and (await phone.connect())[0]
        await screen(phone)  # the lobby
        await host.send_json_to({"action": "next", "position": 0, "phase": "lobby"})
        await screen(phone)  # question 1
        busy = asyncio.ensure_future(consumers._database(time.sleep)(5.5))  # the thread is busy past the limit
        await asyncio.sleep(0.05)
        await phone.send_json_to({"position": 1, "answer": [right]})
        shown = await screen(phone, timeout=10)
        await busy
        await phone.disconnect()
        await host.disconnect()
        return shown

    right = right_button(game, 1)
    shown = run(go)
    answer = LiveAnswer.objects.get(player=player)
    assert answer.correct and answer.response_ms < 2500 and answer.points > 700
    assert "Time is up" not in shown
