"""Security settings a visitor's browser or an operator would notice."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import get_resolver

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/search/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()  # htmx's script tag carries it


def test_htmx_is_served_locally(client):
    body = client.get("/").content.decode()
    assert 'src="/static/django_htmx/htmx-2.min.js' in body or "/static/django_htmx/htmx" in body
    assert "unpkg.com" not in body and "cdn" not in body


def test_forms_have_csrf_tokens_and_htmx_sends_one(client):
    body = client.get("/accounts/signup/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in body
    assert '"X-CSRFToken":' in body


def test_a_post_without_csrf_token_is_refused():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/signup/", {"username": "x"})
    assert response.status_code == 403


def test_every_view_says_who_may_use_it():
    """Views without @login_not_required need a login (LoginRequiredMiddleware); list the public ones."""
    public = set()
    for pattern in get_resolver().url_patterns:
        stack = [(pattern, "")]
        while stack:
            item, prefix = stack.pop()
            if hasattr(item, "url_patterns"):
                stack.extend((p, prefix + str(item.pattern)) for p in item.url_patterns)
            elif getattr(item.callback, "login_required", True) is False:
                public.add(prefix + str(item.pattern))
    assert {
        "",
        "search/",
        "courses/<slug:course_slug>/",
        "courses/<slug:course_slug>/<slug:note_slug>/",
        "accounts/signup/",
        "accounts/login/",
    } <= public
    assert "accounts/profile/" not in public


def production_env(static_root: Path) -> dict[str, str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "study.example.com",
        "DJANGO_STATIC_ROOT": str(static_root),
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    # What collectstatic leaves for the stylesheets every page links (the studyapp.E001 check reads it).
    paths = {"css/app.css": "css/app.0123456789ab.css", "css/pygments.css": "css/pygments.0123456789ab.css"}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "0123456789ab"}))
    env = production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_says_to_collect_static_files_when_the_manifest_is_missing(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "studyapp.E001" in result.stderr and "run `python manage.py collectstatic --noinput`" in result.stderr


def test_the_asgi_application_refuses_to_start_without_the_manifest(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import studyapp.asgi"], cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: static files manifest missing" in result.stderr
    assert "run `python manage.py collectstatic --noinput`" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"} | {"DJANGO_DEBUG": "0"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr
