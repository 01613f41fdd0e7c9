"""Practice quizzes and the mock exam. Signed-in learners only (LoginRequiredMiddleware); every
attempt is reached through :mod:`studyapp.quizzes.access`, so another learner's attempt is a 404."""

import random

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.core.htmx import is_fragment_request, template_for

from . import reports, services
from .access import EXAM_ATTEMPT, access_attempt, access_slot, size_of, slot_of, with_question
from .forms import PracticeForm
from .models import Attempt, AttemptQuestion


@login_not_required
@require_safe
@cache_control(private=True, no_store=True)
def home(request: HttpRequest) -> HttpResponse:
    """The learner's quizzes: start one, and the history of attempts. Public: a visitor sees what
    the quizzes are and a sample question to answer (``?option=``, nothing saved)."""
    if not request.user.is_authenticated:
        return render(request, "quizzes/home.html", {"sample": reports.sample_question(request.GET.get("option"))})
    return render(request, "quizzes/home.html", reports.history(request.user))


@require_http_methods(["GET", "HEAD", "POST"])
def practice(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose topics, domains, how many and which questions; then start."""
    form = PracticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["pricing_problems"]:
            return redirect(f"{reverse('pricing:problems')}?of={min(form.cleaned_data['count'], 20)}")
        try:
            attempt = services.start_practice(user=request.user, choice=form.choice(), now=timezone.now(), rng=random.Random())
        except services.EmptyPool:
            if form.choice().mine:
                form.add_error(None, "None of the questions you wrote matches that choice: publish some, or tick fewer topics or domains.")
            else:
                form.add_error(None, "No question matches that choice. Tick more topics or domains, or choose “All questions”.")
        else:
            return redirect(attempt)
    return render(request, "quizzes/practice.html", {"form": form})


def _slot(request: AuthenticatedHttpRequest, attempt_id: int, position: int, *, read: bool = False) -> tuple[AttemptQuestion, int]:
    """The slot through the attempt door; ``read``: a GET, which the learner's instructors may also
    make once the attempt is finished (to review it)."""
    slot = access_slot(request.user, attempt_id, position, as_instructor=read)
    if slot.attempt.user_id != request.user.pk and slot.attempt.finished_at is None:
        raise Http404("No such attempt.")  # an attempt under way is its learner's alone
    return with_question(slot), size_of(slot.attempt)


def _render_question(request: AuthenticatedHttpRequest, slot: AttemptQuestion, total: int, status: int = 200) -> HttpResponse:
    context = reports.question_screen(slot, total, now=timezone.now(), viewer=request.user)
    return render(request, template_for(request, "quizzes/question.html", "question"), context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def question(request: AuthenticatedHttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """One question; POST answers it and shows the feedback (htmx: only the question fragment)."""
    slot, total = _slot(request, attempt_id, position, read=request.method != "POST")
    if slot.attempt.exam and slot.attempt.finished_at is None:
        return redirect("quizzes:mock_question", attempt_id, position)
    if request.method == "POST" and slot.attempt.exam:
        return HttpResponseBadRequest("A submitted exam takes no more answers.", content_type="text/plain")
    if request.method != "POST":  # GET or HEAD
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
def flag(request: AuthenticatedHttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Flag (or unflag) a question to come back to it."""
    slot, total = _slot(request, attempt_id, position)
    slot = services.set_flag(user=request.user, attempt_id=attempt_id, position=position, flagged=not slot.flagged)
    if slot.attempt.exam:
        if is_fragment_request(request):
            return render(request, "quizzes/mock_question.html#flag", {"slot": slot})
        return redirect("quizzes:mock_question", attempt_id, position)
    if is_fragment_request(request):
        return _render_question(request, slot, total)
    return redirect("quizzes:question", attempt_id, position)


@require_safe
def results(request: AuthenticatedHttpRequest, attempt_id: int) -> HttpResponse:
    """Score, by domain and topic, and what was missed, as far as an assigned quiz's review options
    allow. The learner's instructors may read a finished attempt's results (everything shown)."""
    attempt = access_attempt(request.user, attempt_id, as_instructor=True)
    if attempt.exam and not services.expire_if_due(attempt, timezone.now()):
        if attempt.user_id != request.user.pk:
            raise Http404("No such attempt.")
        return redirect("quizzes:mock_review", attempt.pk)  # no feedback before submitting
    if attempt.user_id != request.user.pk and attempt.finished_at is None:
        raise Http404("No such attempt.")
    return render(request, "quizzes/results.html", reports.results(attempt, now=timezone.now(), viewer=request.user))


@require_POST
def retry_missed(request: AuthenticatedHttpRequest, attempt_id: int) -> HttpResponse:
    """A new practice attempt of the questions this one missed: answered wrongly or not answered.
    A mock under way has no missed questions yet (practice would show its answers)."""
    attempt = access_attempt(request.user, attempt_id)
    if attempt.exam and not services.expire_if_due(attempt, timezone.now()):
        return redirect("quizzes:mock_review", attempt.pk)
    try:
        retry = services.start_retry(user=request.user, attempt=attempt, now=timezone.now(), rng=random.Random())
    except services.NothingMissed:
        messages.info(request, "Nothing was missed in that attempt.")
        return redirect("quizzes:results", attempt_id)
    except services.EmptyPool:
        messages.info(request, "The questions missed in that attempt are no longer in the course.")
        return redirect("quizzes:results", attempt_id)
    return redirect(retry)


@require_http_methods(["GET", "HEAD", "POST"])
@cache_control(private=True, no_store=True)
def abandon(request: AuthenticatedHttpRequest, attempt_id: int) -> HttpResponse:
    """GET asks to confirm; POST throws the attempt under way away, answers and all (the owner only)."""
    attempt = access_attempt(request.user, attempt_id)
    if request.method != "POST":  # GET or HEAD
        return render(request, "quizzes/abandon.html", {"attempt": attempt, "finished": attempt.finished_at is not None})
    try:
        services.abandon_attempt(user=request.user, attempt_id=attempt.pk, now=timezone.now())
    except services.AlreadyFinished:
        return HttpResponseBadRequest("That attempt is already finished: it stays in your history.", content_type="text/plain")
    messages.info(request, f"{attempt.get_mode_display()} abandoned: it has no score and is no longer in your attempts.")
    return redirect("quizzes:home")


# --- mock exam -------------------------------------------------------------------------------


def _mock(request: AuthenticatedHttpRequest, attempt_id: int) -> Attempt:
    return access_attempt(request.user, attempt_id, query=EXAM_ATTEMPT)


def _closed(request: AuthenticatedHttpRequest, attempt: Attempt) -> HttpResponse | None:
    """Send a finished (or just expired) attempt to its results."""
    if services.expire_if_due(attempt, timezone.now()):
        if attempt.finished_at and attempt.deadline and attempt.finished_at > attempt.deadline:
            messages.info(request, "Time is up: your saved answers were submitted.")
        return redirect("quizzes:results", attempt.pk)
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def mock_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mock exam's format and rules; POST starts one (or resumes the one under way): timed, or
    with ``mode=review`` the untimed review mode, which runs as practice does."""
    if request.method == "POST":
        review = request.POST.get("mode") == "review"
        try:
            attempt = services.start_mock(user=request.user, now=timezone.now(), rng=random.Random(), review=review)
        except services.EmptyPool:
            messages.error(request, "The question bank is empty: load the course first.")
            return redirect("quizzes:mock")
        return redirect(attempt) if review else redirect("quizzes:mock_question", attempt.pk, 1)
    return render(request, "quizzes/mock_start.html", reports.mock_start(request.user))


def _destination(go: str, position: int, total: int) -> int | None:
    """Where a mock question's button leads: a position, or None for the review page. Anything
    unknown (a forged or stale value) stays on the question."""
    if go == "review":
        return None
    target = {"next": position + 1, "prev": position - 1}.get(go)
    if target is None and go.isdigit() and len(go) <= 3:
        target = int(go)
    return target if target is not None and 1 <= target <= total else position


@require_http_methods(["GET", "HEAD", "POST"])
def mock_question(request: AuthenticatedHttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """One question of a mock. POST saves the answer first, whichever control sent it (htmx:
    autosave on every change, or the flag), then, without JavaScript, goes where the button said:
    previous, next, a number of the question map, the review page, or back here after a flag."""
    attempt = _mock(request, attempt_id)
    if request.method != "POST" and (closed := _closed(request, attempt)) is not None:
        return closed
    if request.method != "POST":  # GET or HEAD
        slot = slot_of(attempt, position)
        return render(request, "quizzes/mock_question.html", reports.mock_question(attempt, slot, now=timezone.now()))
    go = request.POST.get("go", "")
    try:
        shown = [int(value) for value in request.POST.getlist("option")]
        slot = services.save_answer(
            user=request.user, attempt_id=attempt.pk, position=position, shown=shown, now=timezone.now(), toggle_flag=go == "flag"
        )
    except AttemptQuestion.DoesNotExist:
        raise Http404("No such question in this attempt.") from None
    except (services.TimeUp, services.Finished) as refused:
        return _refused(request, attempt, refused)  # the answer is not saved and the score does not change
    except (ValueError, services.InvalidAnswer):
        return HttpResponseBadRequest("That answer names an option the question does not have.", content_type="text/plain")
    if is_fragment_request(request):
        partial = "flag-saved" if go == "flag" else "autosaved"
        return render(request, f"quizzes/mock_question.html#{partial}", reports.mock_saved(attempt, slot))
    target = _destination(go, position, size_of(attempt))
    if target is None:
        return redirect("quizzes:mock_review", attempt.pk)
    return redirect("quizzes:mock_question", attempt.pk, target)


def _refused(request: AuthenticatedHttpRequest, attempt: Attempt, refused: Exception) -> HttpResponse:
    """A save the closed exam refused. htmx gets a 409 whose fragment goes into the page's
    ``#mock-closed`` alert, and the ``mock-closed`` event stops the clock; a plain form goes to the
    results with the same words."""
    if isinstance(refused, services.Finished):
        message = "This exam was submitted in another tab."
    else:
        message = "Time is up: your saved answers were submitted."
    if is_fragment_request(request):
        context = {"attempt": attempt, "closed": message}
        response = render(request, "quizzes/mock_question.html#closed-message", context, status=409)
        response["HX-Retarget"], response["HX-Reswap"], response["HX-Trigger"] = "#mock-closed", "innerHTML", "mock-closed"
        return response
    messages.info(request, message)
    return redirect("quizzes:results", attempt.pk)


@require_safe
def mock_review(request: AuthenticatedHttpRequest, attempt_id: int) -> HttpResponse:
    """Before submitting: every question, with the unanswered and flagged ones listed first."""
    attempt = _mock(request, attempt_id)
    if (closed := _closed(request, attempt)) is not None:
        return closed
    return render(request, "quizzes/mock_review.html", reports.mock_review(attempt, now=timezone.now()))


@require_POST
def mock_submit(request: AuthenticatedHttpRequest, attempt_id: int) -> HttpResponse:
    """Submit: grade every answer; a second submit changes nothing."""
    attempt = _mock(request, attempt_id)
    services.submit_mock(user=request.user, attempt_id=attempt.pk, now=timezone.now())
    return redirect("quizzes:results", attempt.pk)


@require_safe
@cache_control(private=True, no_store=True)
@vary_on_headers("HX-Request")
def readiness_panel(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per exam domain: the course seen, the recall predicted on the learner's exam date and the
    last mock exam; the course home lazy-loads it. Empty until the learner has taken a mock,
    studied a card or answered a question."""
    context = {"readiness": reports.readiness(request.user, now=timezone.now())}
    return render(request, template_for(request, "quizzes/readiness_panel.html", "readiness-panel"), context)
