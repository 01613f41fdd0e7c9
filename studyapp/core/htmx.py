"""Choosing between a whole page and one of its partials."""

from django.http import HttpRequest


def is_fragment_request(request: HttpRequest) -> bool:
    """True when htmx asks for a fragment: an htmx request that is not a history restore."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def template_for(request: HttpRequest, page: str, partial: str) -> str:
    """Return ``page#partial`` for an htmx fragment request, else the whole ``page``.

    htmx also sends ``HX-Request`` when it restores history from a cache miss; that request
    needs the whole page, so it gets it.
    """
    return f"{page}#{partial}" if is_fragment_request(request) else page
