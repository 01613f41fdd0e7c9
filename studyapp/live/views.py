"""The live game over plain HTTP: joining, the player's and the host's screens, and every control,
so a phone (or a projector) whose network blocks WebSockets still plays: their pages poll the
``…/screen/`` fragments. With WebSockets the same screens arrive pushed (:mod:`.consumers`).

Who may use what: joining and playing are public (a seat cookie, no account); hosting is for
instructors (:func:`.access.may_host`), a game's screen and controls for its host
(:func:`.access.access_game`), its report for the host and the class's instructors
(:func:`.access.access_report`).
"""

import random

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.classrooms.access import access_classroom
from studyapp.core.htmx import is_fragment_request, template_for

from . import broadcast, reports, screens, seats, services
from .access import access_game, access_report, may_host
from .forms import JoinForm, NewGameForm
from .models import Game, Phase, Player

MAX_ID = 2**31 - 1
seat_page = cache_control(private=True, no_store=True)
"""A player's screen is their seat's, signed in or not: no cache may keep it."""


def _join_url(request: HttpRequest) -> str:
    return screens.join_url(request.get_host(), secure=request.is_secure())


def _settle(game: Game) -> None:
    """What a timer does over WebSockets, done by whoever asks over HTTP: end an unattended game,
    close a question whose time is up, and tell every screen."""
    moved = services.settle(game, now=timezone.now())
    if moved is not None:
        broadcast.changed(moved.game)


# --- players --------------------------------------------------------------------------------------


@login_not_required
@seat_page
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Enter a PIN and a nickname; a seat cookie is set and the player goes to their screen."""
    form = JoinForm(request.POST if request.method == "POST" else None, initial={"pin": request.GET.get("pin", "")[:10]})
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            player = services.join_game(pin=form.cleaned_data["pin"], nickname=form.cleaned_data["nickname"], user=user, now=timezone.now())
        except services.LiveError as refusal:
            form.add_error(None, str(refusal))
        else:
            broadcast.to_host(player.game_id, "joined")
            response = redirect("live:play", game_id=player.game_id)
            response.set_cookie(
                seats.cookie_name(player.game_id),
                seats.seat_value(player),
                max_age=seats.MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    return render(request, "live/join.html", {"form": form}, status=200 if request.method != "POST" or form.is_valid() else 400)


def _seat(request: HttpRequest, game_id: int) -> Player | None:
    return seats.player_from(request.COOKIES, game_id) if 0 < game_id <= MAX_ID else None


def _no_seat() -> HttpResponse:
    return HttpResponse("You have no seat in this game: join it again.", status=404, content_type="text/plain")


@login_not_required
@seat_page
@require_safe
def play(request: HttpRequest, game_id: int) -> HttpResponse:
    """The player's screen (the whole page; JavaScript then keeps it live)."""
    player = _seat(request, game_id)
    if player is None:
        return redirect("live:join")
    _settle(player.game)
    return render(request, "live/play.html", screens.player_context(player, now=timezone.now()))


@login_not_required
@seat_page
@require_safe
def play_screen(request: HttpRequest, game_id: int) -> HttpResponse:
    """The player's screen alone: what the page polls when WebSockets are blocked."""
    player = _seat(request, game_id)
    if player is None:
        return _no_seat()
    _settle(player.game)
    return render(request, "live/play.html#screen", screens.player_context(player, now=timezone.now()))


@login_not_required
@seat_page
@require_POST
def answer(request: HttpRequest, game_id: int) -> HttpResponse:
    """An answer over HTTP (no JavaScript, or no WebSocket): the pressed button(s) for ``position``."""
    player = _seat(request, game_id)
    if player is None:
        return _no_seat()
    try:
        position = int(request.POST.get("position", ""))
        shown = [int(value) for value in request.POST.getlist("choice")]
    except ValueError:
        return HttpResponseBadRequest("Choose one of the answers shown.", content_type="text/plain")
    _settle(player.game)
    notice = ""
    try:
        services.submit_answer(player_id=player.pk, position=position, shown=shown, now=timezone.now())
    except services.Refused as refusal:
        notice = str(refusal)
    if is_fragment_request(request):
        player.refresh_from_db()
        context = screens.player_context(player, now=timezone.now())
        return render(request, "live/play.html#screen", {**context, "notice": notice})
    if notice:
        messages.warning(request, notice)
    return redirect("live:play", game_id=game_id)


# --- hosts ----------------------------------------------------------------------------------------


@require_safe
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The games this instructor hosted, running ones first."""
    may_host(request.user)
    games = Game.objects.filter(host=request.user).select_related("classroom").order_by("finished_at", "-created_at")[:100]
    return render(request, "live/index.html", {"games": games})


@require_http_methods(["GET", "HEAD", "POST"])
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a game from an assignment's quiz, from topics, or from hand-picked questions."""
    may_host(request.user)
    form = NewGameForm(request.POST or None, user=request.user, initial={"assignment": request.GET.get("assignment")})
    if request.method == "POST" and form.is_valid():
        try:
            game = services.host_game(host=request.user, setup=form.choice(), now=timezone.now(), rng=random.Random())
        except services.LiveError as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect(game)
    return render(request, "live/new.html", {"form": form})


@require_safe
def host(request: AuthenticatedHttpRequest, game_id: int) -> HttpResponse:
    """The host's screen, for a projector. A reload keeps the game where it is."""
    game = access_game(request.user, game_id)
    _settle(game)
    return render(request, "live/host.html", screens.host_context(game, now=timezone.now(), join_url=_join_url(request)))


@require_safe
def host_screen(request: AuthenticatedHttpRequest, game_id: int) -> HttpResponse:
    """The host's screen alone (polled when WebSockets are blocked)."""
    return _host_screen(request, access_game(request.user, game_id))


def _host_screen(request: AuthenticatedHttpRequest, game: Game) -> HttpResponse:
    """The host's screen fragment, after what the clock and the players have done (time up,
    everyone answered): what the socket's ticker does, done by the polling page."""
    _settle(game)
    if game.phase == Phase.QUESTION and services.everyone_answered(game):
        moved = services.close_question(game_id=game.pk, position=game.position, now=timezone.now())
        if moved.changed:
            broadcast.changed(moved.game)
            game = moved.game
    return render(request, "live/host.html#screen", screens.host_context(game, now=timezone.now(), join_url=_join_url(request)))


@require_POST
def host_control(request: AuthenticatedHttpRequest, game_id: int) -> HttpResponse:
    """A host control over HTTP: ``action`` (next, pause, resume, skip, end, remove) for ``position``."""
    game = access_game(request.user, game_id)
    try:
        position = int(request.POST.get("position", "0"))
        player = request.POST.get("player")
        player_id = None if player in (None, "") else int(player)
    except ValueError:
        return HttpResponseBadRequest("That control was not understood.", content_type="text/plain")
    if player_id is not None and not 0 < player_id <= MAX_ID:
        return HttpResponseBadRequest("No such player.", content_type="text/plain")
    action = request.POST.get("action", "")
    phase = request.POST.get("phase") or None
    moved = services.control(game_id=game.pk, action=action, position=position, phase=phase, player_id=player_id, now=timezone.now())
    if moved is None:
        return HttpResponseBadRequest("Unknown control.", content_type="text/plain")
    if moved.changed:
        if action == "remove":
            assert player_id is not None
            broadcast.removed(game.pk, player_id)
        else:
            broadcast.changed(moved.game)
    if is_fragment_request(request):
        game.refresh_from_db()
        return _host_screen(request, game)
    return redirect(game)


@require_safe
def class_games(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """The live games played in a class, for its instructors; the class page lazy-loads it."""
    access = access_classroom(request.user, class_id, as_instructor=True)
    games = Game.objects.filter(classroom=access.classroom).annotate(Count("players")).order_by("-created_at")[:50]
    context = {"classroom": access.classroom, "games": games}
    return render(request, template_for(request, "live/class_games.html", "class-live-games"), context)


@require_safe
def report(request: AuthenticatedHttpRequest, game_id: int) -> HttpResponse:
    """After the game: each player's and each question's results."""
    game = access_report(request.user, game_id)
    return render(request, "live/report.html", reports.game_report(game))


@require_safe
def report_csv(request: AuthenticatedHttpRequest, game_id: int) -> HttpResponse:
    game = access_report(request.user, game_id)
    response = HttpResponse(reports.game_csv(game), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="live-game-{game.pk}.csv"'
    return response
