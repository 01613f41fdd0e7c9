"""A bench-only Channels app for WebSocket fan-out (``bench/asgi_servers.py`` serves it with each server)::

    .venv/bin/uvicorn bench.asgi_fanout:application

- ``ws://…/ws/``: a consumer that joins the group "fanout" and passes on what the group is sent.
- ``GET /trigger/?seq=N``: sends the group one ~2 KB text message (JSON: ``seq`` and padding); it
  answers once ``group_send`` has queued the message for every member.
- ``GET /``: "ok", for readiness checks.

No middleware, no database; the in-memory channel layer (one process, as every server here runs).
"""

import json

import django
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-fanout-app-not-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
    # capacity: a client a little behind still gets every message of a run (the default is 100).
    CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}},
)
django.setup()
django_asgi_app = get_asgi_application()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402  (after Django is set up)
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

GROUP = "fanout"
PAD = "x" * 2000  # with the JSON around it, a message is about 2 KB


class FanoutConsumer(AsyncWebsocketConsumer):
    groups = [GROUP]  # joined in websocket_connect, before accept

    async def fanout_message(self, event: dict[str, str]) -> None:
        await self.send(text_data=event["text"])


async def trigger(request: HttpRequest) -> HttpResponse:
    layer = get_channel_layer()
    assert layer is not None
    seq = int(request.GET.get("seq", "0"))
    await layer.group_send(GROUP, {"type": "fanout.message", "text": json.dumps({"seq": seq, "pad": PAD})})
    return HttpResponse("sent", content_type="text/plain")


def ready(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ready), path("trigger/", trigger)]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # django-stubs types path() for views only; Channels routes ASGI apps with it too.
        "websocket": URLRouter([path("ws/", FanoutConsumer.as_asgi())]),  # type: ignore[list-item, arg-type]
    }
)
