"""The live game's WebSocket routes (studyapp.asgi mounts them)."""

from typing import Any, cast

from django.urls import path

from .consumers import HostConsumer, PlayerConsumer

# Channels' URLRouter takes Django's path() with an ASGI app where a view would be; the stubs know
# only views, hence the casts.
websocket_urlpatterns: list[Any] = [
    path("ws/live/<int:game_id>/play/", cast(Any, PlayerConsumer.as_asgi())),
    path("ws/live/<int:game_id>/host/", cast(Any, HostConsumer.as_asgi())),
]
