"""The one door to a game: the host's screen and controls through :func:`access_game`, the report
through :func:`access_report`. Players reach their seat through :mod:`studyapp.live.seats` (no
account needed). A game the user may not see is a 404, the same as a missing one.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from studyapp.accounts.models import User
from studyapp.classrooms.models import Membership

from .models import Game


def may_host(user: User) -> None:
    """Hosting is for instructors (a class's instructors use it with their class)."""
    if not (user.is_authenticated and user.is_instructor):
        raise PermissionDenied("Only instructors can host a live game.")


def access_game(user: User, game_id: int) -> Game:
    """The game ``game_id`` for its host (or a superuser): its screen and controls."""
    game = Game.objects.select_related("quiz").filter(pk=game_id).first()
    if game is None or not user.is_authenticated or not (user.is_superuser or game.host_id == user.pk):
        raise Http404("No such game.")
    return game


def access_report(user: User, game_id: int) -> Game:
    """The game's report: its host, a superuser, or an instructor of the class it was played in."""
    game = Game.objects.select_related("quiz", "classroom").filter(pk=game_id).first()
    if game is None or not user.is_authenticated:
        raise Http404("No such game.")
    if user.is_superuser or game.host_id == user.pk:
        return game
    if (
        game.classroom_id is not None
        and Membership.objects.active().instructors().filter(classroom_id=game.classroom_id, user=user).exists()
    ):
        return game
    raise Http404("No such game.")
