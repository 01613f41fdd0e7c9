"""Two server processes sharing Redis play one game: players on either process receive every
question, and restarting a process mid-game loses no stored answer; the game goes on from the
question it was on. Real processes (tests.live.servers), real sockets (the websockets library),
40 players."""

import asyncio
import json
import os
import random
from typing import Any

import pytest
import websockets
from asgiref.sync import async_to_sync
from django.conf import settings
from django.test import Client
from django.utils import timezone

from studyapp.accounts.models import User
from studyapp.live import seats, services
from studyapp.live.models import Game, LiveAnswer, Phase
from studyapp.quizzes.models import Quiz
from tests.servers import Server, running

pytestmark = pytest.mark.django_db(transaction=True)
PLAYERS = 40
REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


class Phone:
    """A player's socket: its cookie, the screens it received."""

    def __init__(self, base: str, game: Game, cookie: str) -> None:
        self.url = base.replace("http://", "ws://") + f"/ws/live/{game.pk}/play/"
        self.origin = base
        self.cookie = cookie
        self.socket: Any = None
        self.screens: list[str] = []

    async def connect(self) -> None:
        self.socket = await websockets.connect(self.url, origin=self.origin, additional_headers={"Cookie": self.cookie}, open_timeout=10)  # type: ignore[arg-type]
        self.screens.append(json.loads(await asyncio.wait_for(self.socket.recv(), 10))["screen"])

    async def screen_with(self, text: str, timeout: float = 15) -> str:
        """Wait for a pushed screen containing ``text`` (earlier ones are kept in ``screens``)."""
        async with asyncio.timeout(timeout):
            while True:
                message = json.loads(await self.socket.recv())
                if "screen" in message:
                    self.screens.append(message["screen"])
                    if text in message["screen"]:
                        return str(message["screen"])

    async def answer(self, position: int, button: int) -> None:
        await self.socket.send(json.dumps({"position": position, "answer": [button]}))


def host_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_two_processes_sharing_redis_play_one_game_and_a_restart_loses_nothing(host: User, quiz: Quiz) -> None:
    # a long limit, so a loaded machine's restart never outlasts the question
    game = services.create_game(host=host, quiz=quiz, now=timezone.now(), rng=random.Random(1), time_limit_seconds=240)
    cookies = []
    for n in range(PLAYERS):
        player = services.join_game(pin=game.pin, nickname=f"player{n}", user=None, now=timezone.now())
        cookies.append(f"{seats.cookie_name(game.pk)}={seats.seat_value(player)}")
    host_cookies = host_cookie(host)
    a, b = Server(redis_url=REDIS), Server(redis_url=REDIS)

    async def play() -> dict[str, Any]:
        phones = [Phone(a.base if n % 2 else b.base, game, cookie) for n, cookie in enumerate(cookies)]
        await asyncio.gather(*(phone.connect() for phone in phones))
        assert all("You’re in" in phone.screens[0] for phone in phones)
        host_url = a.base.replace("http://", "ws://") + f"/ws/live/{game.pk}/host/"
        async with websockets.connect(host_url, origin=a.base, additional_headers={"Cookie": host_cookies}) as host_socket:  # type: ignore[arg-type]
            await host_socket.recv()
            await host_socket.send(json.dumps({"action": "next", "position": 0, "phase": "lobby"}))
            await asyncio.gather(*(phone.screen_with("Question 1 of 3") for phone in phones))  # both processes
        # the host's screen is off (so nothing closes the question early); every phone answers
        await asyncio.gather(*(phone.answer(1, 0) for phone in phones))
        await asyncio.gather(*(phone.screen_with("Answer locked in") for phone in phones))
        stored_before = await asyncio.to_thread(LiveAnswer.objects.count)
        # the process holding the host and half the phones goes down mid-game, and comes back
        for phone in phones:
            await phone.socket.close()
        await asyncio.to_thread(a.restart)
        phones = [Phone(a.base if n % 2 else b.base, game, cookie) for n, cookie in enumerate(cookies)]
        await asyncio.gather(*(phone.connect() for phone in phones))
        resumed = [phone.screens[0] for phone in phones]
        async with websockets.connect(host_url, origin=a.base, additional_headers={"Cookie": host_cookies}) as host_socket:  # type: ignore[arg-type]
            host_screen = json.loads(await host_socket.recv())["screen"]
            # everyone has answered: the host's screen closes the question by itself within a second
            await asyncio.gather(*(phone.screen_with("Right!") for phone in phones))
            await host_socket.send(json.dumps({"action": "next", "position": 1, "phase": "reveal"}))
            await asyncio.gather(*(phone.screen_with("Question 2 of 3") for phone in phones))
        for phone in phones:
            await phone.socket.close()
        return {"stored_before": stored_before, "resumed": resumed, "host_screen": host_screen}

    with running(a), running(b):
        result = async_to_sync(play)()
    assert result["stored_before"] == PLAYERS
    assert LiveAnswer.objects.count() == PLAYERS and LiveAnswer.objects.filter(correct=True).count() == PLAYERS
    assert all("Answer locked in" in screen for screen in result["resumed"])  # the same seats, their answers kept
    assert "Question 1 of 3" in result["host_screen"] and f"{PLAYERS}</strong> of" in result["host_screen"]
    game.refresh_from_db()
    assert (game.phase, game.position) == (Phase.QUESTION, 2)
