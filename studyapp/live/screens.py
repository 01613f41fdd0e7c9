"""What the host's and the players' screens show, read from the database: one function per screen,
each returning a template context. The consumers push these screens over WebSockets; the HTTP
fallback renders the same ones, so a phone that cannot open a WebSocket sees the same game.

What thousands of sockets share is built once per process and change (the open question's screen,
:func:`render_shared_question`; everyone's results, :func:`reveal_table`), so a fan-out costs one
render and two queries, not one per player.

Each screen carries a ``key`` (phase, position, whether answered, paused, removed): a page that polls
swaps the screen only when the key changes, so ticked boxes and focus survive a poll.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count
from django.http.request import split_domain_port, validate_host
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, linebreaks

from studyapp.questions.content import QuestionContent

from . import qr, scoring
from .models import Game, GameQuestion, LiveAnswer, Phase, Player
from .services import answered_counts

# Kahoot's four, then two more: every button has a colour, a shape and its text, so neither colour
# nor shape alone carries the meaning.
LOOKS: tuple[tuple[str, str], ...] = (
    ("red", "triangle"),
    ("blue", "diamond"),
    ("yellow", "circle"),
    ("green", "square"),
    ("purple", "star"),
    ("teal", "hexagon"),
)
TOP = 5
LOBBY_NAMES = 120
"""Names the lobby lists (the newest); past that the projector says how many more have joined."""


def join_url(host: str | None = None, *, secure: bool = False) -> str:
    """The join page's address for the projector and its QR code: the request's host when it is
    one of ALLOWED_HOSTS, else the configured site address (``STUDYAPP_SITE_URL``)."""
    path = reverse("live:join")
    if host:
        domain, _port = split_domain_port(host)
        if domain and validate_host(domain, settings.ALLOWED_HOSTS):
            scheme = "https" if secure or urlsplit(settings.STUDYAPP_SITE_URL).scheme == "https" else "http"
            return f"{scheme}://{host}{path}"
    return f"{settings.STUDYAPP_SITE_URL}{path}"


def _html(text: str, html: str) -> str:
    return html or linebreaks(escape(text))


@dataclass(frozen=True, slots=True, kw_only=True)
class Button:
    index: int  # 0-based, in the order shown: what an answer sends
    colour: str
    shape: str
    html: str
    right: bool = False  # only on the host's reveal: a player's buttons never say which is right
    count: int = 0  # answers that chose it (the host's reveal)


def _buttons(content: QuestionContent, order: list[int], counts: dict[int, int] | None = None) -> list[Button]:
    """The options as buttons; with ``counts`` (the reveal) also which are right and how many chose each."""
    buttons = []
    for index, stored in enumerate(order):
        choice = content.choices[stored]
        colour, shape = LOOKS[index % len(LOOKS)]
        revealed = counts is not None
        buttons.append(
            Button(
                index=index,
                colour=colour,
                shape=shape,
                html=_html(choice.text, choice.html),
                right=revealed and choice.right,
                count=(counts or {}).get(stored, 0),
            )
        )
    return buttons


def _question(game: Game, position: int) -> GameQuestion:
    return GameQuestion.objects.select_related("version").get(game=game, position=position)


def remaining_seconds(game: Game, now: datetime) -> int | None:
    """Whole seconds left on the open question's clock (None when no clock runs)."""
    if game.phase != Phase.QUESTION or game.question_started_at is None:
        return None
    if game.paused_at is not None:
        left = game.time_limit - (game.paused_at - game.question_started_at)
    else:
        left = game.question_started_at + game.time_limit - now
    return max(0, int(left.total_seconds() + 0.999))


def question_context(game: Game, position: int) -> dict[str, object]:
    """The open question as players see it (nothing in it says which answer is right)."""
    slot = _question(game, position)
    content = slot.version.content
    return {
        "position": position,
        "total": game.question_count,
        "stem_html": _html(content.stem, content.stem_html),
        "multiple": content.multiple,
        "right_count": content.right_count,
        "buttons": _buttons(content, slot.option_order),
        "time_limit": game.time_limit_seconds,
    }


def standings(game: Game) -> list[scoring.Standing]:
    players = Player.objects.filter(game=game, removed_at__isnull=True).values_list("nickname", "score")
    return scoring.standings(players)


def screen_key(game: Game, *, answered: bool = False, removed: bool = False) -> str:
    return f"{game.phase}:{game.position}:{int(answered)}:{int(game.paused_at is not None)}:{int(removed)}"


def host_context(game: Game, *, now: datetime, join_url: str) -> dict[str, object]:
    """Everything the host's screen shows in the game's current phase."""
    answered, player_count = answered_counts(game)
    context: dict[str, object] = {"game": game, "join_url": join_url, "phase": game.phase, "player_count": player_count}
    if game.phase == Phase.LOBBY:
        context["qr_svg"] = qr.svg(f"{join_url}?pin={game.pin}")
        newest = list(
            Player.objects.filter(game=game, removed_at__isnull=True).order_by("-joined_at", "-pk").values("pk", "nickname")[:LOBBY_NAMES]
        )
        context.update(players=newest[::-1], more_players=max(0, player_count - len(newest)))
    elif game.phase in (Phase.QUESTION, Phase.REVEAL):
        slot = _question(game, game.position)
        content = slot.version.content
        context.update(
            position=game.position,
            total=game.question_count,
            stem_html=_html(content.stem, content.stem_html),
            multiple=content.multiple,
            answered=answered,
            remaining=remaining_seconds(game, now),
            paused=game.paused_at is not None,
        )
        if game.phase == Phase.REVEAL:
            counts: dict[int, int] = {}
            chosen = LiveAnswer.objects.filter(game_question=slot, player__removed_at__isnull=True)
            for selected, n in chosen.values_list("selected").annotate(n=Count("pk")).values_list("selected", "n"):
                for stored in selected:
                    counts[stored] = counts.get(stored, 0) + n
            context.update(
                buttons=_buttons(content, slot.option_order, counts),
                answered=chosen.count(),
                explanation_html=_html(content.explanation, content.explanation_html) if content.explanation else "",
                top=standings(game)[:TOP],
                skipped=slot.skipped,
            )
        else:
            context["buttons"] = _buttons(content, slot.option_order)
    else:
        context["podium"] = standings(game)[:3]
    return context


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """A player's own line after a question: right or wrong, points, streak, rank."""

    answered: bool
    correct: bool
    points: int
    bonus: int
    streak: int
    score: int
    rank: int
    of: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RevealTable:
    """Every player's line after the question on screen, read in two queries for all of them."""

    game: Game
    scores: list[int]  # ascending, removed players left out
    players: dict[int, tuple[int, int, bool]]  # player id -> (score, streak, removed)
    answers: dict[int, tuple[bool, int, int]]  # player id -> (correct, points, bonus)
    podium: list[scoring.Standing]  # the top three, once the game is finished

    def result(self, player_id: int) -> Result | None:
        line = self.players.get(player_id)
        if line is None:
            return None
        score, streak, _removed = line
        correct, points, bonus = self.answers.get(player_id, (False, 0, 0))
        return Result(
            answered=player_id in self.answers,
            correct=correct,
            points=points,
            bonus=bonus,
            streak=streak,
            score=score,
            rank=scoring.rank_in(score, self.scores),
            of=len(self.scores),
        )

    def removed(self, player_id: int) -> bool:
        return self.players.get(player_id, (0, 0, True))[2]


def reveal_table(game_id: int) -> RevealTable:
    game = Game.objects.get(pk=game_id)
    rows = Player.objects.filter(game=game).values_list("pk", "score", "streak", "removed_at")
    players = {pk: (score, streak, removed is not None) for pk, score, streak, removed in rows}
    answers: dict[int, tuple[bool, int, int]] = {}
    if game.phase == Phase.REVEAL:
        given = LiveAnswer.objects.filter(game_question__game=game, game_question__position=game.position)
        answers = {
            pk: (correct, points, bonus) for pk, correct, points, bonus in given.values_list("player_id", "correct", "points", "bonus")
        }
    scores = sorted(score for score, _streak, removed in players.values() if not removed)
    podium = standings(game)[:3] if game.phase == Phase.FINISHED else []
    return RevealTable(game=game, scores=scores, players=players, answers=answers, podium=podium)


def player_context(player: Player, *, now: datetime) -> dict[str, object]:
    """The player's screen in the game's current phase."""
    game = player.game
    removed = player.removed_at is not None
    context: dict[str, object] = {"game": game, "player": player, "phase": game.phase, "removed": removed}
    if removed:
        context["key"] = screen_key(game, removed=True)
    elif game.phase == Phase.QUESTION:
        answered = LiveAnswer.objects.filter(player=player, game_question__game=game, game_question__position=game.position).exists()
        context.update(answered=answered, paused=game.paused_at is not None, remaining=remaining_seconds(game, now))
        context["key"] = screen_key(game, answered=answered)
        if not answered:
            context["question"] = question_context(game, game.position)
    else:
        context["key"] = screen_key(game)
        if game.phase in (Phase.REVEAL, Phase.FINISHED):
            table = reveal_table(game.pk)
            context.update(result=table.result(player.pk), podium=table.podium)
    return context


def render_player(player: Player, *, now: datetime) -> str:
    return render_to_string("live/play.html#screen", player_context(player, now=now))


def render_host(game: Game, *, now: datetime, join_url: str) -> str:
    return render_to_string("live/host.html#screen", host_context(game, now=now, join_url=join_url))


def render_shared_question(game_id: int) -> str:
    """The open question's player screen, the same for every player who has not answered it."""
    game = Game.objects.get(pk=game_id)
    context: dict[str, object] = {"game": game, "phase": game.phase, "answered": False, "paused": game.paused_at is not None}
    context["key"] = screen_key(game)
    if game.phase == Phase.QUESTION:
        context["question"] = question_context(game, game.position)
    return render_to_string("live/play.html#screen", context)


def render_locked_in(game_id: int, position: int) -> str:
    """A player's screen once their answer to the open question ``position`` is in: the same for
    every such player, and needing nothing from the database."""
    game = Game(pk=game_id, phase=Phase.QUESTION, position=position)
    context = {"game": game, "phase": game.phase, "answered": True, "paused": False, "key": screen_key(game, answered=True)}
    return render_to_string("live/play.html#screen", context)


def render_result(table: RevealTable, player_id: int) -> str:
    """One player's screen after a question (or the podium), from the table every socket shares."""
    game = table.game
    removed = table.removed(player_id)
    context = {
        "game": game,
        "phase": game.phase,
        "result": table.result(player_id),
        "podium": table.podium,
        "removed": removed,
        "key": screen_key(game, removed=removed),
    }
    return render_to_string("live/play.html#screen", context)
