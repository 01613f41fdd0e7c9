"""The game's WebSockets: one consumer per player's phone, one per host screen.

Messages from the server are JSON objects: ``{"screen": html}`` replaces the screen (the same HTML
the HTTP fallback renders), ``{"answered": n, "players": m}`` updates the host's count, ``{"notice":
text}`` tells a player why an answer was refused. From a player: ``{"answer": [button, ...],
"position": n}``. From the host: ``{"action": "next|pause|resume|skip|end|remove", "position": n,
"phase": ..., "player": id}``.

A fan-out to thousands of sockets must not cost thousands of renders or queries: each process builds
what all its sockets share once per change (the open question's screen; the table of results after
a question) and keeps it briefly in :class:`_Shared`. The question's clock runs in every process
that has a socket of the game (:class:`_Clock`); whichever fires first closes the question, the
others find it closed (``services.close_question`` is idempotent under the game's row lock).

A socket joins its game's group before it reads the game, so no change falls between the two.

The database work of every socket in a process queues on one thread (asgiref's thread-sensitive
executor). :func:`_database` keeps that thread's connection open while the process has sockets of a
game, instead of opening one per call as Channels does, and :class:`_GameSocket` skips Channels'
extra trip to that thread before every message: a fan-out to 2,000 sockets would otherwise be 2,000
jobs queued behind the answers (docs/performance.md, "Live quiz: fan-out").
"""

import asyncio
import json
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from asgiref.sync import SyncToAsync
from asgiref.typing import WebSocketDisconnectEvent
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import connections
from django.template.loader import render_to_string
from django.utils import timezone

from . import broadcast, screens, seats, services
from .models import Game, Phase, Player

log = logging.getLogger(__name__)

REFUSED = 4403  # no seat, or removed by the host: the page reloads and says why
NOT_THE_HOST = 4404
SIGNED_OUT = 4401
MESSAGES_PER_10_S = 20
"""What one socket may send; past that its messages are dropped (a flooding phone must not stall
the process's database thread for everyone)."""


class _Shared:
    """Per process: one build of each shared thing per change, awaited by every socket that needs
    it. The build runs as a task of its own, so a socket that goes away does not cancel it for the
    others; a build that fails is forgotten (the sockets then render their own screen)."""

    def __init__(self, size: int = 512) -> None:
        self._tasks: OrderedDict[tuple[Any, ...], asyncio.Task[Any]] = OrderedDict()
        self._size = size

    async def get(self, key: tuple[Any, ...], build: Callable[[], Awaitable[Any]]) -> Any:
        task = self._tasks.get(key)
        if task is None:
            task = self._tasks[key] = asyncio.ensure_future(build())
            while len(self._tasks) > self._size:
                self._tasks.popitem(last=False)
        try:
            return await asyncio.shield(task)
        except Exception:
            self._tasks.pop(key, None)
            raise


_shared = _Shared()


class _Database(SyncToAsync):
    """``sync_to_async`` on the process's database thread, keeping its connection between calls
    (Channels' ``database_sync_to_async`` closes it after each, so every call would connect again).
    A call that fails closes it, so a broken connection is never reused; :func:`_release` closes it
    when the last socket of the process has gone."""

    def thread_handler(self, loop: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().thread_handler(loop, *args, **kwargs)
        except BaseException:
            connections.close_all()  # this thread's: whatever CONN_MAX_AGE says, never reused after a failure
            raise


def _database[**P, R](function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    return _Database(function, thread_sensitive=True)


_open_sockets: set[str] = set()


async def _release(channel_name: str) -> None:
    _open_sockets.discard(channel_name)
    if not _open_sockets:
        await _database(connections.close_all)()


class _GameSocket(AsyncWebsocketConsumer):
    """What both sockets share: no trip to the database thread before each message (every handler
    here reaches the database through :func:`_database` only), the connection kept while sockets are
    open, and leaving a group that fails (a Redis pool exhausted when thousands of sockets close at
    once) logged, not raised: the membership then expires with the layer's ``group_expiry``."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def accept(self, subprotocol: str | None = None, headers: list[tuple[str, str]] | None = None) -> None:
        _open_sockets.add(self.channel_name)  # a socket refused before this holds nothing to release
        await super().accept(subprotocol, headers)

    async def websocket_disconnect(self, message: WebSocketDisconnectEvent) -> None:
        try:
            await super().websocket_disconnect(message)
        finally:
            await _release(self.channel_name)

    async def leave(self, *groups: str) -> None:
        for group in groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception as error:
                log.info("leaving %s failed (%s): the membership expires by itself", group, error)


class _Clock:
    """Per process: a timer per open question, closing it when its time is up."""

    def __init__(self) -> None:
        self._timers: dict[int, tuple[int, float, asyncio.Task[None]]] = {}

    def watch(self, game_id: int, position: int, closes_at: float | None) -> None:
        current = self._timers.get(game_id)
        if current is not None and current[:2] == (position, closes_at):
            return
        if current is not None:
            current[2].cancel()
            del self._timers[game_id]
        if closes_at is None:
            return
        task = asyncio.get_running_loop().create_task(self._close_at(game_id, position, closes_at))
        self._timers[game_id] = (position, closes_at, task)

    async def _close_at(self, game_id: int, position: int, closes_at: float) -> None:
        await asyncio.sleep(max(0.0, closes_at - time.time()) + 0.05)
        try:
            moved = await _database(services.close_question)(game_id=game_id, position=position, now=timezone.now())
            if moved.changed:
                await broadcast.announce_changed(moved.game)
        except Exception:  # a lost timer must not kill the loop: another process, or the host, closes it
            log.exception("closing question %s of game %s", position, game_id)
        finally:
            entry = self._timers.get(game_id)
            if entry is not None and entry[:2] == (position, closes_at):
                del self._timers[game_id]


clock = _Clock()


def _closes_at(game: Game) -> float | None:
    closes_at = game.closes_at()
    return closes_at.timestamp() if closes_at else None


class _Throttle:
    def __init__(self) -> None:
        self.window, self.count = 0.0, 0

    def allows(self) -> bool:
        now = time.monotonic()
        if now - self.window > 10:
            self.window, self.count = now, 0
        self.count += 1
        return self.count <= MESSAGES_PER_10_S


# --- players --------------------------------------------------------------------------------------


def _seat_now(cookies: dict[str, str], game_id: int) -> tuple[Player, str, int, services.Moved | None] | None:
    """The seat, its screen, the position it already answered (0: none) and any change the clock
    made (an idle game ended, a question's time up) for the caller to announce."""
    player = seats.player_from(cookies, game_id)
    if player is None:
        return None
    now = timezone.now()
    moved = services.settle(player.game, now=now)
    context = screens.player_context(player, now=now)
    answered = player.game.position if context.get("answered") else 0
    return player, render_to_string("live/play.html#screen", context), answered, moved


def _answer(player_id: int, position: int, shown: list[int], arrived: datetime) -> str | None:
    """Store one answer, timed from when it ``arrived`` (it may have waited its turn for the
    database thread behind thousands of others); the player's screen after it when it is their own
    (an on-time answer that arrived after the close), None while the question is open: the screen is
    then the question's shared "locked in" one. Raises ``services.Refused``."""
    now = arrived
    answered = services.submit_answer(player_id=player_id, position=position, shown=shown, now=now)
    if answered.phase == Phase.QUESTION:
        return None
    player = Player.objects.select_related("game").get(pk=player_id)
    return screens.render_player(player, now=now)


def _player_screen(player_id: int) -> tuple[Player, str]:
    player = Player.objects.select_related("game").get(pk=player_id)
    return player, screens.render_player(player, now=timezone.now())


class PlayerConsumer(_GameSocket):
    """A player's phone: ``/ws/live/<game_id>/play/``, with the seat cookie the join page set."""

    game_id: int
    player_id: int
    answered: int  # the last position this seat answered (0: none)
    throttle: _Throttle

    async def connect(self) -> None:
        self.game_id = int(self.scope["url_route"]["kwargs"]["game_id"])
        group = broadcast.players_group(self.game_id)
        await self.channel_layer.group_add(group, self.channel_name)
        loaded = await _database(_seat_now)(self.scope.get("cookies", {}), self.game_id)
        if loaded is None or loaded[0].removed_at is not None:
            await self.leave(group)
            await self.close(code=REFUSED)
            return
        player, html, self.answered, moved = loaded
        self.player_id, self.throttle = player.pk, _Throttle()
        await self.accept()
        await self.send(text_data=json.dumps({"screen": html}))
        if moved is not None:
            await broadcast.announce_changed(moved.game)
        clock.watch(self.game_id, player.game.position, _closes_at(player.game))

    async def disconnect(self, code: int) -> None:
        await self.leave(broadcast.players_group(self.game_id))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        arrived = timezone.now()
        if not hasattr(self, "player_id") or not self.throttle.allows():
            return
        try:
            message = json.loads(text_data or "")
            position = int(message["position"])
            shown = [int(index) for index in message["answer"]][:10]
        except (ValueError, TypeError, KeyError, OverflowError):
            await self.send(text_data=json.dumps({"notice": "That message was not understood."}))
            return
        if position == self.answered:
            return  # answered already: the first answer stands, nothing to do
        try:
            html = await _database(_answer)(self.player_id, position, shown, arrived)
        except services.Refused as refusal:
            await self.send(text_data=json.dumps({"notice": str(refusal)}))
            return
        self.answered = position
        if html is None:
            await self.send(text_data=await _shared.get(("locked in", self.game_id, position), lambda: _locked_in(self.game_id, position)))
        else:
            await self.send(text_data=json.dumps({"screen": html}))

    async def live_changed(self, event: dict[str, Any]) -> None:
        phase, position = event["phase"], event["position"]
        clock.watch(self.game_id, position, event["closes_at"] if phase == Phase.QUESTION else None)
        try:
            if phase == Phase.QUESTION and self.answered != position:
                text = await _shared.get(("question", self.game_id, event["stamp"]), lambda: _shared_question(self.game_id))
                await self.send(text_data=text)
                return
            if phase in (Phase.REVEAL, Phase.FINISHED):
                table = await _shared.get(("table", self.game_id, event["stamp"]), lambda: _database(screens.reveal_table)(self.game_id))
                await self.send(text_data=json.dumps({"screen": screens.render_result(table, self.player_id)}))
                return
        except Exception:
            log.exception("shared screen of game %s", self.game_id)  # then this socket renders its own
        _player, html = await _database(_player_screen)(self.player_id)
        await self.send(text_data=json.dumps({"screen": html}))

    async def live_removed(self, event: dict[str, Any]) -> None:
        if event["player"] == self.player_id:
            _player, html = await _database(_player_screen)(self.player_id)
            await self.send(text_data=json.dumps({"screen": html}))
            await self.close(code=REFUSED)


async def _shared_question(game_id: int) -> str:
    html = await _database(screens.render_shared_question)(game_id)
    return json.dumps({"screen": html})


async def _locked_in(game_id: int, position: int) -> str:
    return json.dumps({"screen": screens.render_locked_in(game_id, position)})


# --- the host -------------------------------------------------------------------------------------


def _host_screen(user_id: int, is_superuser: bool, game_id: int, join_url: str) -> tuple[Game, str, services.Moved | None] | None:
    game = Game.objects.filter(pk=game_id).first()
    if game is None or not (is_superuser or game.host_id == user_id):
        return None
    now = timezone.now()
    moved = services.settle(game, now=now)
    return game, screens.render_host(game, now=now, join_url=join_url), moved


def _tick(game_id: int) -> tuple[Game, int, int]:
    game = Game.objects.get(pk=game_id)
    answered, players = services.answered_counts(game)
    return game, answered, players


class HostConsumer(_GameSocket):
    """The host's screen: ``/ws/live/<game_id>/host/``, signed in as the game's host."""

    game_id: int
    join_url: str
    ticker: asyncio.Task[None] | None = None
    lobby_refresh: asyncio.TimerHandle | None = None

    async def connect(self) -> None:
        self.game_id = int(self.scope["url_route"]["kwargs"]["game_id"])
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=SIGNED_OUT)
            return
        self.user_id, self.is_superuser = user.pk, user.is_superuser
        headers = dict(self.scope.get("headers", []))
        self.join_url = screens.join_url(headers.get(b"host", b"").decode("latin-1"), secure=self.scope.get("scheme") == "wss")
        groups = (broadcast.players_group(self.game_id), broadcast.host_group(self.game_id))
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        shown = await _database(_host_screen)(self.user_id, self.is_superuser, self.game_id, self.join_url)
        if shown is None:
            await self.leave(*groups)
            await self.close(code=NOT_THE_HOST)
            return
        game, html, moved = shown
        await self.accept()
        await self.send(text_data=json.dumps({"screen": html}))
        if moved is not None:
            await broadcast.announce_changed(moved.game)
        clock.watch(self.game_id, game.position, _closes_at(game))
        self.ticker = asyncio.get_running_loop().create_task(self._tick())

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None:
            self.ticker.cancel()
        if self.lobby_refresh is not None:
            self.lobby_refresh.cancel()
        await self.leave(broadcast.players_group(self.game_id), broadcast.host_group(self.game_id))

    async def _tick(self) -> None:
        """Once a second while a question is open: how many have answered, and close it early when
        everyone has."""
        last: tuple[int, int] | None = None
        while True:
            await asyncio.sleep(1)
            try:
                game, answered, players = await _database(_tick)(self.game_id)
                if game.phase != Phase.QUESTION:
                    last = None
                    continue
                if (answered, players) != last:
                    last = (answered, players)
                    await self.send(text_data=json.dumps({"answered": answered, "players": players}))
                if players and answered >= players:
                    moved = await _database(services.close_question)(game_id=self.game_id, position=game.position, now=timezone.now())
                    if moved.changed:
                        await broadcast.announce_changed(moved.game)
            except asyncio.CancelledError:
                raise
            except RuntimeError as error:  # the server closed the socket (shutting down) before its disconnect came
                log.info("host ticker of game %s stopped: %s", self.game_id, error)
                return
            except Exception:
                log.exception("host ticker of game %s", self.game_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            message = json.loads(text_data or "")
            action = str(message["action"])
            position = int(message.get("position") or 0)
            player = message.get("player")
            player_id = None if player is None else int(player)
            phase = None if message.get("phase") is None else str(message["phase"])
        except (ValueError, TypeError, KeyError, OverflowError):
            return
        moved = await _database(services.control)(
            game_id=self.game_id, action=action, position=position, phase=phase, player_id=player_id, now=timezone.now()
        )
        if moved is not None and moved.changed:
            if action == "remove":
                assert player_id is not None
                await broadcast.announce_removed(self.game_id, player_id)
            else:
                await broadcast.announce_changed(moved.game)
                return  # the screen comes back with the change
        await self._send_screen()  # a control that did nothing (a stale screen): show where the game is

    async def _send_screen(self) -> None:
        shown = await _database(_host_screen)(self.user_id, self.is_superuser, self.game_id, self.join_url)
        if shown is not None:
            await self.send(text_data=json.dumps({"screen": shown[1]}))

    async def live_changed(self, event: dict[str, Any]) -> None:
        clock.watch(self.game_id, event["position"], event["closes_at"] if event["phase"] == Phase.QUESTION else None)
        await self._send_screen()

    async def live_removed(self, event: dict[str, Any]) -> None:
        await self._send_screen()

    async def live_host_news(self, event: dict[str, Any]) -> None:
        """A player joined: refresh the lobby, at most twice a second however fast they come."""
        if event["kind"] == "joined" and self.lobby_refresh is None:
            loop = asyncio.get_running_loop()
            self.lobby_refresh = loop.call_later(0.5 + random.random() * 0.1, lambda: loop.create_task(self._refresh_lobby()))

    async def _refresh_lobby(self) -> None:
        self.lobby_refresh = None
        await self._send_screen()
