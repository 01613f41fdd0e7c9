"""Pages that are the same for every visitor, served from the cache until the content changes.

:func:`public_page` wraps a public view. A visitor's (not signed in, no message waiting) GET or HEAD
is answered from the cache (Django's ``default`` cache: local memory, Redis when ``REDIS_URL`` is
set), keyed by the content's version (:mod:`studyapp.core.versions`), this release's code, the URL
and the htmx headers that pick a fragment. Signed-in learners never get a visitor's page: theirs show
their name and their progress. :func:`signed_in_page` keeps one user's own page under who they are:
a learner's card browser under their own version too, which their area's services drop on every
write; an author's question bank under the bank's versions.

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
from collections.abc import Callable, Sequence
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


def _release_id() -> str:
    """This release's digest: a prefix for cache keys that a deploy must start afresh (and that each
    test gets of its own)."""
    global _release_digest
    if not _release_digest:
        _release_digest = _release()
    return _release_digest


def _prefix(version: str = VERSION) -> str:
    return f"studyapp:{_release_id()}:{versions.current(version)}"


def key(*parts: object) -> str:
    """A cache key under the content's version: for ``{% cache %}`` fragments of signed-in pages
    that hold nothing of one request (no form, no nonce), varying on whatever else they show."""
    return ":".join((_prefix(), *(str(p) for p in parts)))


def fixed_key(key: str) -> str:
    """The cache key for a value that no version of the content or the bank changes, only this
    release (a deploy, each test) or whoever writes it (:func:`remember` with ``version=None``,
    the signed-in user of ``accounts.backends``)."""
    return f"studyapp:{_release_id()}:fixed:{key}"


def remember[T](key: str, build: Callable[[], T], *, version: str | None = VERSION) -> T:
    """``build()``, kept in the cache under ``key`` until the content's version changes (or the
    ``version`` named, e.g. the question bank's: :data:`studyapp.questions.services.VERSION`;
    None for a value that never changes once written, kept until this release changes)."""
    full = f"{_prefix(version)}:{version}:{key}" if version else fixed_key(key)
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


def _messages_waiting(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # a message waiting (e.g. "logged out") is this request's own


def _cacheable_request(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated and not _messages_waiting(request)


def _where(request: HttpRequest) -> str:
    """The URL and the htmx headers that pick a fragment of it."""
    picks = "|".join(request.headers.get(h, "") for h in ("HX-Request", "HX-History-Restore-Request", "HX-Target"))
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{picks}"


def _key(request: HttpRequest) -> str:
    return f"{_prefix()}:page:{hashlib.sha256(_where(request).encode()).hexdigest()}"


def _personalise(request: HttpRequest, content: bytes) -> bytes:
    """``content`` with this response's nonce and this visitor's CSRF token in place of the markers."""
    if _NONCE in content:
        content = content.replace(_NONCE, str(request._csp_nonce).encode())  # type: ignore[attr-defined]  # set by the CSP middleware
    if _CSRF in content:
        content = content.replace(_CSRF, get_token(request).encode())
    return content


def keep_for(response: HttpResponse, seconds: float) -> HttpResponse:
    """Tell :func:`public_page` or :func:`signed_in_page` that ``response`` stays true for ``seconds``
    only (a mark that a clock takes away); 0 or less: do not store it at all."""
    response._pagecache_seconds = seconds  # type: ignore[attr-defined]  # read by _serve
    return response


def _serve(request: HttpRequest, key: str, view: View, args: Any, kwargs: Any) -> HttpResponse:
    """The page stored under ``key``, personalised; or ``view``'s page, rendered with the markers,
    stored (when it can be shared by the requests that reach ``key``) and personalised."""
    stored: tuple[int, dict[str, str], bytes] | None = cache.get(key)
    if stored is not None:
        status, headers, content = stored
        response = HttpResponse(_personalise(request, content), status=status)
        for name, value in headers.items():
            response.headers[name] = value
        return response
    setattr(request, _RENDERING, True)
    try:
        response = view(request, *args, **kwargs)
    finally:
        setattr(request, _RENDERING, False)
    if response.streaming or response.status_code != 200:
        return response
    # The real nonce or token reached the page some other way: not the same for every request here.
    leaked = bool(getattr(request, "_csp_nonce", None)) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    seconds = min(getattr(response, "_pagecache_seconds", TIMEOUT), TIMEOUT)
    if not leaked and not response.cookies and seconds > 0:
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        cache.set(key, (response.status_code, headers, response.content), seconds)
    response.content = _personalise(request, response.content)
    return response


def public_page(view: View) -> View:
    """Serve ``view``'s page to visitors from the cache (see the module's docstring). Put it
    innermost, under the ``require_*`` and ``vary_on_headers`` decorators."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        return _serve(request, _key(request), view, args, kwargs)

    return wrapper


def signed_in_page(area: str | None, *, also: Sequence[str] = (), vary: Callable[[Any], object | None]) -> Callable[[View], View]:
    """Serve a signed-in user's page from the cache until their own data in ``area`` changes
    (:func:`studyapp.core.versions.bump_learner`, which that area's services call on every write;
    None for a page that shows nothing of theirs but who they are), or the content, or the versions
    named in ``also`` (the question bank's), or this release.

    The key also holds what the page's header shows of the user (name, role, time zone), the URL
    with the htmx headers, and ``vary(request)``: whatever else the page depends on (a setting of
    theirs). ``vary`` is the page's door too: it runs on every request before the cache is read, and
    may raise ``PermissionDenied``. ``vary`` returning None, a visitor, a POST or a message waiting:
    the view renders as usual and nothing is stored. A page that a clock changes says how long it
    stays true with :func:`keep_for`. Nothing is shared between users: the user's id is in the key.
    Put it innermost, under the ``require_*``, ``cache_control`` and ``vary_on_headers`` decorators."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if request.method not in ("GET", "HEAD") or not user.is_authenticated or _messages_waiting(request):
                return view(request, *args, **kwargs)
            varies = vary(request)
            if varies is None:
                return view(request, *args, **kwargs)
            who = f"{user.pk}|{user.get_username()}|{getattr(user, 'role', '')}|{user.is_superuser}|{getattr(user, 'time_zone', '')}"
            shared = "|".join(versions.current_all([VERSION, *also]))  # one query at most, once a second
            mine = versions.of_learner(user.pk, area) if area else ""
            where = f"{_where(request)}|{who}|{mine}|{shared}|{varies}"
            return _serve(request, f"{_prefix()}:user:{area}:{hashlib.sha256(where.encode()).hexdigest()}", view, args, kwargs)

        return wrapper

    return decorator
