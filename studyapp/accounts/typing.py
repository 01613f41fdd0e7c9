"""Types for annotations: the request of a view that needs a signed-in user."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request every view reaches without ``@login_not_required``: LoginRequiredMiddleware has
    sent anonymous visitors to the login page, so ``user`` is a signed-in :class:`User`, never an
    ``AnonymousUser``. Only an annotation: Django passes its own request, never one of these."""

    user: User
