"""The channel layer the live quiz will use: in memory by default, Redis when REDIS_URL is set."""

import os

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings


def test_channel_layer_matches_the_environment():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "channels_redis.core.RedisChannelLayer"
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"


def test_a_group_message_reaches_its_member():
    layer = get_channel_layer()

    async def round_trip() -> dict:
        channel = await layer.new_channel()
        await layer.group_add("classroom-test", channel)
        await layer.group_send("classroom-test", {"type": "quiz.question", "number": 3})
        message = await layer.receive(channel)
        await layer.group_discard("classroom-test", channel)
        return message

    assert async_to_sync(round_trip)() == {"type": "quiz.question", "number": 3}
