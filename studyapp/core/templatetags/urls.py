"""``{% url %}`` as Django writes it, each URL it reverses kept for the life of the process.

Reversing is pure: the same view name, arguments, current application, URL configuration and script
prefix always give the same path. Django works it out again on every tag, about 50 µs each, and a
learner's screen has ten to fifteen of them (the header's links, the card's and question's forms):
some 4 % of such a request (docs/performance.md). This tag replaces Django's ``url`` (it is listed
after it in the engine's ``builtins``); it keeps the last 4,096 results whose arguments are all
integers or strings, and reverses anything else (a model, a lazy string) every time, as Django
does. A name that does not reverse raises ``NoReverseMatch`` as before (or gives "" with ``as``).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()

type Key = tuple[str, tuple[int | str, ...], tuple[tuple[str, int | str], ...], str | None, str, str]


@lru_cache(maxsize=4096)
def _reverse(key: Key) -> str:
    view_name, args, kwargs, current_app, urlconf, _prefix = key  # the prefix is read by reverse() itself
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    """A test that swaps the URL configuration (as Django's own caches are cleared then)."""
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


_PLAIN = frozenset({int, str, SafeString})  # a template's quoted literal is a SafeString


def _plain(value: object) -> bool:
    return type(value) in _PLAIN  # not a bool, a lazy string, a model


class KeptURLNode(URLNode):
    def render(self, context: Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((name, value.resolve(context)) for name, value in self.kwargs.items()))
        view_name = self.view_name.resolve(context)
        if not (_plain(view_name) and all(map(_plain, args)) and all(_plain(value) for _, value in kwargs)):
            return super().render(context)
        try:  # as Django's tag finds it
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        try:
            url = _reverse((view_name, args, kwargs, current_app, urlconf, get_script_prefix()))
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> KeptURLNode:
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
