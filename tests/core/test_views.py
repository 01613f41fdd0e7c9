"""/healthz/: "ok" only when this process can serve pages; a 503 with the reason otherwise."""

import json

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db
MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def production_static(settings, root) -> None:
    settings.STATIC_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}


def write_manifest(root, names) -> None:
    paths = {name: name.replace(".css", ".0123456789ab.css") for name in names}
    (root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "0123456789ab"}))


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_ok_with_a_collected_manifest(client, settings, tmp_path):
    production_static(settings, tmp_path)
    write_manifest(tmp_path, ["css/app.css", "css/pygments.css"])
    assert client.get("/healthz/").content == b"ok"


def test_healthz_says_the_database_is_down(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.content.decode() == "database unavailable: connection refused\n"


def test_healthz_says_the_static_manifest_is_missing(client, settings, tmp_path):
    production_static(settings, tmp_path)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert "static files manifest missing" in response.content.decode()
    assert "run `python manage.py collectstatic --noinput`" in response.content.decode()


def test_healthz_says_the_manifest_lacks_the_stylesheet(client, settings, tmp_path):
    production_static(settings, tmp_path)
    write_manifest(tmp_path, ["css/pygments.css"])
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert "static files manifest names no css/app.css" in response.content.decode()


def test_healthz_answers_head(client):
    response = client.head("/healthz/")
    assert response.status_code == 200 and response.content == b""
