"""What a server needs before it can answer pages: the database, and in production the static files
manifest. Read by ``/healthz/`` (every call), by the ``studyapp.E001`` system check and at ASGI start.

Each function returns a plain-text reason when something is wrong, ``None`` when all is well.
"""

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import DatabaseError, connections

# The stylesheets templates/base.html links on every page: a manifest without them means every page is a 500.
BASE_STYLESHEETS = ("css/app.css", "css/pygments.css")
COLLECT = "run `python manage.py collectstatic --noinput`"


def database_problem(alias: str = "default") -> str | None:
    """The database answers a trivial query."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"database unavailable: {error}".strip()
    return None


def static_problem() -> str | None:
    """With a manifest storage (production's), the manifest exists and this process loaded the names
    the base template asks for; with any other storage (development), nothing to check. The storage
    reads its manifest once per process, so a collectstatic run after start needs a restart too."""
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return None
    if not storage.manifest_storage.exists(storage.manifest_name):
        return f"static files manifest missing ({storage.manifest_name} in STATIC_ROOT): {COLLECT}"
    for name in BASE_STYLESHEETS:
        try:
            storage.stored_name(name)
        except ValueError:
            return f"static files manifest names no {name}: {COLLECT}, then restart the server"
    return None
