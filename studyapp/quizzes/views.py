"""Practice quizzes. Signed-in learners only (LoginRequiredMiddleware); every attempt is looked up
through ``request.user``, so another learner's attempt is a 404."""

import random

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studyapp.core.htmx import is_fragment_request, template_for

from . import reports, services
from .forms import PracticeForm
from .models import Attempt, AttemptQuestion


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The learner's quizzes: start one, and the history of attempts."""
    attempts = Attempt.objects.for_user(request.user).prefetch_related("slots")[:50]
    return render(request, "quizzes/home.html", {"attempts": attempts})


@require_http_methods(["GET", "POST"])
def practice(request: HttpRequest) -> HttpResponse:
    """Choose topics, domains, how many and which questions; then start."""
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.start_practice(user=request.user, choice=form.choice(), now=timezone.now(), rng=random.Random())
        except services.EmptyPool:
            form.add_error(None, "No question matches that choice. Tick more topics or domains, or choose “All questions”.")
        else:
            return redirect(attempt)
    return render(request, "quizzes/practice.html", {"form": form})


def _slot(request: HttpRequest, attempt_id: int, position: int) -> tuple[AttemptQuestion, int]:
    attempt = get_object_or_404(Attempt.objects.for_user(request.user), pk=attempt_id)
    slot = get_object_or_404(attempt.slots.select_related("attempt", "version", "question__note__course"), position=position)
    return slot, attempt.slots.count()


def _render_question(request: HttpRequest, slot: AttemptQuestion, total: int, status: int = 200) -> HttpResponse:
    context = reports.question_screen(slot, total)
    return render(request, template_for(request, "quizzes/question.html", "question"), context, status=status)


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """One question; POST answers it and shows the feedback (htmx: only the question fragment)."""
    slot, total = _slot(request, attempt_id, position)
    if request.method == "GET":
        return _render_question(request, slot, total)
    values = request.POST.getlist("option")
    if not values and slot.answered_at is None:  # a learner's slip, not a forged request
        messages.error(request, "Choose an option before checking your answer.")
        return _render_question(request, slot, total)
    try:
        shown = [int(value) for value in values]
        slot = services.answer(user=request.user, attempt_id=attempt_id, position=position, shown=shown, now=timezone.now())
    except (ValueError, services.InvalidAnswer):
        return HttpResponseBadRequest("That answer names an option the question does not have.", content_type="text/plain")
    if is_fragment_request(request):
        return _render_question(request, slot, total)
    return redirect("quizzes:question", attempt_id, position)


@require_POST
def flag(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Flag (or unflag) a question to come back to it."""
    slot, total = _slot(request, attempt_id, position)
    slot = services.set_flag(user=request.user, attempt_id=attempt_id, position=position, flagged=not slot.flagged)
    if is_fragment_request(request):
        return _render_question(request, slot, total)
    return redirect("quizzes:question", attempt_id, position)


@require_GET
def results(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Score, by domain and topic, and what was missed."""
    attempt = get_object_or_404(Attempt.objects.for_user(request.user), pk=attempt_id)
    return render(request, "quizzes/results.html", reports.results(attempt))


@require_POST
def retry_missed(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """A new practice attempt of the questions this one missed."""
    attempt = get_object_or_404(Attempt.objects.for_user(request.user), pk=attempt_id)
    missed = list(attempt.slots.filter(answered_at__isnull=False, fraction__lt=1).values_list("question_id", flat=True))
    if not missed:
        messages.info(request, "Nothing was missed in that attempt.")
        return redirect("quizzes:results", attempt_id)
    retry = services.start_questions(user=request.user, question_ids=missed, now=timezone.now(), rng=random.Random())
    return redirect(retry)
