"""What a game tells its screens, through the channel layer (in memory in one process, Redis across
several). Players' sockets are in ``players_group``; the host's in both groups, and only it hears
``host_group`` news (joins, answers), so thousands of joins are not sent to thousands of phones.

An event carries no screen, only what changed (phase, position, a stamp): each process renders the
shared screen once for all its sockets (:mod:`studyapp.live.consumers`).
"""

import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from .models import Game


def players_group(game_id: int) -> str:
    return f"live.{game_id}"


def host_group(game_id: int) -> str:
    return f"live.{game_id}.host"


def changed_event(game: Game) -> dict[str, Any]:
    closes_at = game.closes_at()
    return {
        "type": "live.changed",
        "phase": game.phase,
        "position": game.position,
        "paused": game.paused_at is not None,
        "closes_at": closes_at.timestamp() if closes_at else None,
        "stamp": time.time_ns(),
    }


async def announce_changed(game: Game) -> None:
    layer = get_channel_layer()
    assert layer is not None
    await layer.group_send(players_group(game.pk), changed_event(game))


async def announce_to_host(game_id: int, kind: str, **data: Any) -> None:
    layer = get_channel_layer()
    assert layer is not None
    await layer.group_send(host_group(game_id), {"type": "live.host_news", "kind": kind, **data})


async def announce_removed(game_id: int, player_id: int) -> None:
    layer = get_channel_layer()
    assert layer is not None
    await layer.group_send(players_group(game_id), {"type": "live.removed", "player": player_id})


def changed(game: Game) -> None:
    """From sync code (views, services' callers): tell every screen of the game that it moved."""
    async_to_sync(announce_changed)(game)


def to_host(game_id: int, kind: str, **data: Any) -> None:
    async_to_sync(announce_to_host)(game_id, kind, **data)


def removed(game_id: int, player_id: int) -> None:
    async_to_sync(announce_removed)(game_id, player_id)
