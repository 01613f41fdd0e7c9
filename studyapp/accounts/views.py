"""Sign-up and profile. Log in, log out and the password views are Django's own (see urls.py)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm, SignupForm
from .typing import AuthenticatedHttpRequest


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Public: anyone may create a learner account; they are signed in at once."""
    if request.user.is_authenticated:
        return redirect("content:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="studyapp.accounts.backends.UserBackend")
        messages.success(request, f"Welcome, {user.username}! Your account is ready.")
        return redirect("content:home")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Signed-in users: their e-mail and time zone."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
