"""Following a ``next`` parameter: the one door every view that honours one goes through."""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The path in ``request.POST[field]`` (else ``request.GET[field]``) if it is one of this site's own:
    it starts with a single "/", names no host or scheme and holds no control character. Anything
    else (absent, ``abc``, ``//evil.example``, ``https://evil.example``, ``/\\evil``) gives ``default``.

    Returned as a path, never a URL name: pass it to :class:`HttpResponseRedirect` (or
    :func:`redirect_next`), not to ``redirect()``, which would try ``abc`` as a URL name.
    """
    value = (request.POST.get(field) if request.method == "POST" else None) or request.GET.get(field, "")
    if not value.startswith("/") or value.startswith(("//", "/\\")) or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return default
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return default
    return value


def redirect_next(request: HttpRequest, default: str, *, field: str = "next") -> HttpResponseRedirect:
    """A redirect to :func:`safe_next`'s answer."""
    return HttpResponseRedirect(safe_next(request, default, field=field))
