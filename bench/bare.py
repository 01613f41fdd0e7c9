"""The benchmarks' baseline: a bare Django app, one view returning "hello", no middleware, no
database, no templates. Served by the same ASGI server as studyapp (see ``common.serve``)::

    .venv/bin/uvicorn bench.bare:application

Every page's requests per second is reported as a share of this app's, measured in the same run.
"""

import django
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-app-not-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("", hello)]

django.setup()
application = get_asgi_application()
