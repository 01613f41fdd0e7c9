"""ASGI entry point: HTTP through Django; WebSockets (the live quiz) through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
django_asgi_app = get_asgi_application()

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from studyapp.core.health import static_problem  # noqa: E402

# A production server without its static files manifest would answer every page with a 500: refuse
# to start instead, saying what to run (the same test as the studyapp.E001 check and /healthz/).
if (problem := static_problem()) is not None:
    raise ImproperlyConfigured(problem)

from channels.auth import AuthMiddlewareStack  # noqa: E402  (after Django is set up)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from studyapp.core.concurrency import LimitConcurrency  # noqa: E402
from studyapp.live.routing import websocket_urlpatterns  # noqa: E402

# WebSockets (the live quiz): only from pages of this site (Origin checked against ALLOWED_HOSTS), with
# the session's user and cookies in the scope (the host is signed in; a player has a seat cookie).
application = ProtocolTypeRouter(
    {
        "http": LimitConcurrency(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
