"""Sign-up, profile and log-out. Log in and the password views are Django's own (see urls.py)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout as log_out
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, LoginView, PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.utils.http import base36_to_int
from django.utils.timesince import timeuntil
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from studyapp.core.redirects import redirect_next, safe_next

from .forms import ProfileForm, SignupForm
from .models import User
from .services import UsernameTaken, create_account
from .typing import AuthenticatedHttpRequest


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Public: anyone may create a learner account; they are signed in at once, then sent to a safe
    ``next`` (a class invitation's link passes itself, and the invited address as ``email``)."""
    if request.user.is_authenticated:
        return redirect("content:home")
    form = SignupForm(request.POST or None, initial={"email": request.GET.get("email", "")[:254]})
    if request.method == "POST" and form.is_valid():
        try:
            user = create_account(user=form.save(commit=False))
        except UsernameTaken:
            form.add_error("username", form.instance.unique_error_message(User, ("username",)))
        else:
            login(request, user, backend="studyapp.accounts.backends.UserBackend")
            messages.success(request, f"Welcome, {user.username}! Your account is ready.")
            return redirect_next(request, reverse("content:home"))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Signed-in users: their e-mail and time zone."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """Anyone. GET shows a page with a log-out button (an address typed or bookmarked must not be a
    blank 405); POST, CSRF-protected like every form, logs out and says so on the next page."""
    if request.method == "POST":
        log_out(request)
        messages.success(request, "You are logged out.")  # after log_out, which flushes the session
        return redirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
    return render(request, "registration/logout.html")


def reset_link_expired(user: User, token: str) -> bool:
    """True when ``token`` was made for ``user`` as it is now, but longer ago than
    PASSWORD_RESET_TIMEOUT. A used link (the password changed since) or a mangled one is not expired
    but invalid: Django cannot tell those two apart, since both no longer match."""
    generator = default_token_generator
    try:
        stamp = base36_to_int(token.split("-")[0])
    except ValueError:
        return False
    # Django's own recipe, without the age check, for the secret and its fallbacks.
    made = any(
        constant_time_compare(generator._make_token_with_timestamp(user, stamp, secret), token)
        for secret in [generator.secret, *generator.secret_fallbacks]
    )
    return made and not generator.check_token(user, token)


@method_decorator(login_not_required, name="dispatch")
class LogInView(LoginView):
    """Public: Django's log-in page, following ``next`` only to a path of this site's own
    (:func:`studyapp.core.redirects.safe_next`); anything else goes to LOGIN_REDIRECT_URL."""

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        return safe_next(request or self.request, "")


@method_decorator(login_not_required, name="dispatch")
class ResetConfirmView(PasswordResetConfirmView):
    """Public: Django's reset-confirm page, telling an expired link from an invalid (or used) one."""

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        if not context.get("validlink"):
            token = self.kwargs.get("token", "")
            if token == self.reset_url_token:
                token = self.request.session.get(INTERNAL_RESET_SESSION_TOKEN, "")
            expired = self.user is not None and bool(token) and reset_link_expired(self.user, token)
            context["link_problem"] = "expired" if expired else "invalid"
            now = timezone.now()
            context["valid_for"] = timeuntil(now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)
        return context
