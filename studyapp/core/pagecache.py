"""Pages that are the same for every visitor, served from the cache until the content changes.

:func:`public_page` wraps a public view. A visitor's (not signed in, no message waiting) GET or HEAD
is answered from the cache (Django's ``default`` cache: local memory, Redis when ``REDIS_URL`` is
set), keyed by the content's version (:mod:`studyapp.core.versions`), this release's code, the URL
and the htmx headers that pick a fragment. Signed-in learners never get a cached page: their pages
show their name, their progress and a CSRF token of their own.

A page holds two values that must never be shared between responses: the CSP nonce (``<script
nonce>``) and the CSRF token (``hx-headers``, forms). While a page is rendered for the cache, the
:func:`markers` context processor hands the templates markers instead of those values; the stored
page keeps the markers, and every response, the first one included, gets a fresh nonce (which the
CSP middleware then sends in its header) and this visitor's own token put in their place. A render
that reached the real values some other way (a tag reading the request) is served but not stored.

:func:`remember` caches any value under the same version, for the parts of signed-in pages that are
the same for everyone (a course's outline, search results).
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from . import versions

VERSION = "content"  # the version every public page is built from
TIMEOUT = 24 * 3600  # seconds; a new version makes old entries unreachable well before that
# Private-use characters: autoescaping leaves them alone, and no course text holds them.
NONCE_MARK = "\ue000csp-nonce\ue001"
CSRF_MARK = "\ue000csrf-token\ue001"
_NONCE, _CSRF = NONCE_MARK.encode(), CSRF_MARK.encode()
_RENDERING = "_studyapp_pagecache_rendering"

type View = Callable[..., HttpResponse]


def _release() -> str:
    """A digest of this release's templates and code: a deploy that changes them starts afresh,
    even on a Redis cache that outlives the processes."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for path in sorted([*(base / "templates").rglob("*.html"), *(base / "studyapp").rglob("*.py")]):
        stat = path.stat()
        digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


_release_digest = ""


def _prefix(version: str = VERSION) -> str:
    global _release_digest
    if not _release_digest:
        _release_digest = _release()
    return f"studyapp:{_release_digest}:{versions.current(version)}"


def key(*parts: object) -> str:
    """A cache key under the content's version: for ``{% cache %}`` fragments of signed-in pages
    that hold nothing of one request (no form, no nonce), varying on whatever else they show."""
    return ":".join((_prefix(), *(str(p) for p in parts)))


def remember[T](key: str, build: Callable[[], T], *, version: str = VERSION) -> T:
    """``build()``, kept in the cache under ``key`` until the content's version changes (or the
    ``version`` named, e.g. the question bank's: :data:`studyapp.questions.services.VERSION`)."""
    full = f"{_prefix(version)}:{version}:{key}"
    value: T | None = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, TIMEOUT)
    return value


def markers(request: HttpRequest) -> dict[str, str]:
    """Context processor (after Django's ``csp``): markers for the nonce and the CSRF token while
    :func:`public_page` renders a page for the cache; nothing otherwise."""
    if getattr(request, _RENDERING, False):
        return {"csp_nonce": NONCE_MARK, "csrf_token": CSRF_MARK}
    return {}


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    storage = getattr(request, "_messages", None)
    return storage is None or len(storage) == 0  # a message waiting (e.g. "logged out") is this visitor's


def _key(request: HttpRequest) -> str:
    picks = "|".join(request.headers.get(h, "") for h in ("HX-Request", "HX-History-Restore-Request", "HX-Target"))
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{picks}"
    return f"{_prefix()}:page:{hashlib.sha256(where.encode()).hexdigest()}"


def _personalise(request: HttpRequest, content: bytes) -> bytes:
    """``content`` with this response's nonce and this visitor's CSRF token in place of the markers."""
    if _NONCE in content:
        content = content.replace(_NONCE, str(request._csp_nonce).encode())  # type: ignore[attr-defined]  # set by the CSP middleware
    if _CSRF in content:
        content = content.replace(_CSRF, get_token(request).encode())
    return content


def public_page(view: View) -> View:
    """Serve ``view``'s page to visitors from the cache (see the module's docstring). Put it
    innermost, under the ``require_*`` and ``vary_on_headers`` decorators."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored: tuple[int, dict[str, str], bytes] | None = cache.get(key)
        if stored is None:
            setattr(request, _RENDERING, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDERING, False)
            if response.streaming or response.status_code != 200:
                return response
            # The real nonce or token reached the page some other way: not the same for everyone.
            leaked = bool(getattr(request, "_csp_nonce", None)) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
            if not leaked and not response.cookies:
                headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
                cache.set(key, (response.status_code, headers, response.content), TIMEOUT)
            response.content = _personalise(request, response.content)
            return response
        status, headers, content = stored
        response = HttpResponse(_personalise(request, content), status=status)
        for name, value in headers.items():
            response.headers[name] = value
        return response

    return wrapper
