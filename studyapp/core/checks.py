"""System checks: a production server without its static files manifest serves nothing but 500s."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Tags, register

from .health import static_problem


@register(Tags.staticfiles, deploy=True)
def static_manifest(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:
    """``studyapp.E001`` on ``manage.py check --deploy`` (and at ASGI start, see studyapp.asgi)."""
    problem = static_problem()
    if problem is None:
        return []
    return [Error(problem, hint="Every page links the stylesheets through the manifest and fails without it.", id="studyapp.E001")]
