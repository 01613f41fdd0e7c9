"""Background work for live games (``django.tasks``: immediately in development and tests, by the
queue's worker in production; enqueued in ``transaction.on_commit``, ids as arguments)."""

from django.tasks import task

from . import services


@task
def record_game_attempts(*, game_id: int) -> None:
    """A finished game played from an assignment: its learners' attempts for the gradebook, written
    outside the game's lock (thousands of players must not hold up the podium)."""
    services.record_attempts(game_id=game_id)
