"""ASGI entry point: HTTP through Django; WebSockets (the live quiz) through Channels."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
django.setup(set_prefix=False)  # what django.core.asgi.get_asgi_application does before its handler

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from studyapp.core.health import static_problem  # noqa: E402

# A production server without its static files manifest would answer every page with a 500: refuse
# to start instead, saying what to run (the same test as the studyapp.E001 check and /healthz/).
if (problem := static_problem()) is not None:
    raise ImproperlyConfigured(problem)

from channels.auth import AuthMiddlewareStack  # noqa: E402  (after Django is set up)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from studyapp.core.concurrency import PooledHandler  # noqa: E402
from studyapp.live.routing import websocket_urlpatterns  # noqa: E402

# WebSockets (the live quiz): only from pages of this site (Origin checked against ALLOWED_HOSTS), with
# the session's user and cookies in the scope (the host is signed in; a player has a seat cookie).
application = ProtocolTypeRouter(
    {
        "http": PooledHandler(),  # Django, each request one call on a fixed pool of threads
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# What start-up made (settings, apps, models, URL patterns, templates' loaders) lives as long as the
# process: out of the collector's sight, a full collection no longer walks it each time (about 3 %
# of a learner's request in process, docs/performance.md).
gc.freeze()
