"""Every write of a live game. Verb-named, keyword-only, atomic; the clock is passed in.

The game row is locked (``select_for_update``) for every change of phase, so two hosts' clicks, a
host's click and the question's timer, or two server processes never both move a game on: each
host control names the position it acts on, and a control for a position the game has left is a
no-op (a double click advances once).

Scores are added when a question closes, in one UPDATE for every player: each answer is scored as
it arrives (:func:`studyapp.live.scoring.score`, with the player's streak so far) and stored, and
closing the question adds its points and sets the streaks. A skipped question adds nothing and breaks
no streak; its answers stay stored.

An answer and the close of its question never cross: an answer locks its player's row and reads the
game after the lock; closing locks every player row of the game before it adds the points. An answer
that was on time (sent before the question closed) but reached the database just after the close is
still stored and its points added to the player at once, so a busy server loses no on-time answer.
"""

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from studyapp.accounts.models import User
from studyapp.classrooms.models import Assignment, Membership
from studyapp.questions import services as question_services
from studyapp.questions.content import Kind, Policy, grade_choices
from studyapp.questions.models import Question
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.blueprint import shuffle_options
from studyapp.quizzes.models import Attempt, Quiz, Selection
from studyapp.quizzes.services import EmptyPool

from . import scoring
from .models import NICKNAME_MAX, Ending, Game, GameQuestion, LiveAnswer, Phase, Player, new_pin

LIVE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUEFALSE)
"""What a game can ask: questions answered by pressing buttons."""
MAX_QUESTIONS = 50
IDLE_AFTER = timedelta(minutes=30)
"""A game whose host has done nothing for this long ends itself."""


class LiveError(ValueError):
    """A refusal worded for the person who caused it (a player, a host)."""


# --- hosting -------------------------------------------------------------------------------------


@transaction.atomic
def create_game(
    *,
    host: User,
    quiz: Quiz,
    now: datetime,
    rng: random.Random,
    title: str = "",
    time_limit_seconds: int = 20,
    classroom_id: int | None = None,
    assignment_id: int | None = None,
) -> Game:
    """A game in its lobby with a fresh PIN, asking ``quiz``'s questions (the button-answered ones,
    at most :data:`MAX_QUESTIONS`) as the version each shows now."""
    drawn = _draw(quiz, host=host, rng=rng)
    questions = Question.objects.published().filter(pk__in=drawn, kind__in=LIVE_KINDS).only("current_version_id", "option_count").in_bulk()
    chosen = [qid for qid in drawn if qid in questions][:MAX_QUESTIONS]
    if not chosen:
        raise LiveError("None of this quiz's questions can be played live (multiple choice or true/false, published).")
    game = _with_free_pin(
        lambda pin: Game.objects.create(
            pin=pin,
            title=title or quiz.title,
            host=host,
            quiz=quiz,
            classroom_id=classroom_id,
            assignment_id=assignment_id,
            question_count=len(chosen),
            time_limit_seconds=time_limit_seconds,
            created_at=now,
            last_activity_at=now,
        )
    )
    slots = []
    for position, qid in enumerate(chosen, start=1):
        question = questions[qid]
        count = question.option_count
        order = list(shuffle_options(count, rng=rng)) if quiz.shuffle_options else list(range(count))
        assert question.current_version_id is not None  # published
        slots.append(
            GameQuestion(game=game, position=position, question_id=qid, version_id=question.current_version_id, option_order=order)
        )
    GameQuestion.objects.bulk_create(slots)
    question_services.record_new_use()  # the bank's "where used"
    return game


def _draw(quiz: Quiz, *, host: User, rng: random.Random) -> list[int]:
    """The quiz's questions in the order to ask them; drawn by rules, only among those a game can ask."""
    if quiz.selection == Selection.RULES:
        ids = sorted(quiz_services.questions_for(quiz).filter(kind__in=LIVE_KINDS).values_list("pk", flat=True))
        chosen = rng.sample(ids, min(quiz.question_count, len(ids)))
        if not quiz.shuffle_questions:
            chosen.sort()
        return chosen
    try:
        return quiz_services.draw_for(quiz, user=host, rng=rng)
    except EmptyPool:
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class GameSetup:
    """What the host chose on the new-game form: an assignment's quiz, or topics, or questions."""

    title: str = ""
    time_limit_seconds: int = 20
    assignment_id: int | None = None
    classroom_id: int | None = None
    topic_ids: tuple[int, ...] = ()
    question_ids: tuple[int, ...] = ()
    question_count: int = 10


@transaction.atomic
def host_game(*, host: User, setup: GameSetup, now: datetime, rng: random.Random) -> Game:
    """A new game as the host set it up. An assignment's quiz is played as it is (and the game then
    counts in the gradebook); topics and hand-picked questions make a quiz of the host's own."""
    if setup.assignment_id is not None:
        assignment = Assignment.objects.select_related("quiz").get(pk=setup.assignment_id)
        if assignment.quiz is None:
            raise LiveError("That assignment has no quiz to play.")
        return create_game(
            host=host,
            quiz=assignment.quiz,
            now=now,
            rng=rng,
            title=setup.title or assignment.title,
            time_limit_seconds=setup.time_limit_seconds,
            classroom_id=assignment.classroom_id,
            assignment_id=assignment.pk,
        )
    if setup.question_ids:
        quiz = Quiz.objects.create(
            title=setup.title or "Live quiz",
            owner=host,
            selection=Selection.FIXED,
            question_ids=list(setup.question_ids),
            question_count=len(setup.question_ids),
            shuffle_questions=False,
        )
    else:
        quiz = Quiz.objects.create(
            title=setup.title or "Live quiz",
            owner=host,
            selection=Selection.RULES,
            topic_ids=list(setup.topic_ids),
            question_count=setup.question_count,
        )
    return create_game(
        host=host,
        quiz=quiz,
        now=now,
        rng=rng,
        title=setup.title,
        time_limit_seconds=setup.time_limit_seconds,
        classroom_id=setup.classroom_id,
    )


def _with_free_pin(make: Callable[[str], Game]) -> Game:
    for _ in range(20):
        try:
            with transaction.atomic():
                return make(new_pin())
        except IntegrityError:
            continue  # that PIN names a running game: draw again
    raise LiveError("No free game PIN right now: try again in a moment.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Moved:
    """What a host control did: ``changed`` is False when it was a no-op (a repeat, a stale
    position), so the caller announces nothing."""

    game: Game
    changed: bool


def _locked(game_id: int) -> Game:
    return Game.objects.select_for_update().get(pk=game_id)


@transaction.atomic
def advance(*, game_id: int, from_position: int, from_phase: str | None = None, now: datetime) -> Moved:
    """The host's "next": the lobby opens question 1; an open question closes (its answer shown);
    a shown answer moves to the next question, or finishes the game after the last. Acts only if
    the game is still at ``from_position`` (and ``from_phase``, when given: the screen the host
    clicked on), so a double click moves it once."""
    game = _locked(game_id)
    if game.phase == Phase.FINISHED or game.position != from_position or (from_phase is not None and game.phase != from_phase):
        return Moved(game=game, changed=False)
    game.last_activity_at = now
    if game.phase == Phase.QUESTION:
        _close(game, now)
    elif game.position >= game.question_count:
        _finish(game, now, Ending.COMPLETED)
    else:
        _open(game, game.position + 1, now)
    return Moved(game=game, changed=True)


@transaction.atomic
def close_question(*, game_id: int, position: int, now: datetime) -> Moved:
    """Close question ``position`` if its time is up or everyone has answered (the timer's and the
    "all answered" path; idempotent)."""
    game = _locked(game_id)
    if game.phase != Phase.QUESTION or game.position != position:
        return Moved(game=game, changed=False)
    closes_at = game.closes_at()
    if closes_at is None or (now < closes_at and not everyone_answered(game)):
        return Moved(game=game, changed=False)
    _close(game, min(now, closes_at))
    return Moved(game=game, changed=True)


@transaction.atomic
def skip(*, game_id: int, position: int, now: datetime) -> Moved:
    """Skip the open question: nothing scores, no streak breaks, and the game moves to the next one
    (or finishes). Answers already stored are kept, marked skipped with their question."""
    game = _locked(game_id)
    if game.phase != Phase.QUESTION or game.position != position:
        return Moved(game=game, changed=False)  # a skip that lands after the close: the answer is shown, "next" moves on
    game.last_activity_at = now
    GameQuestion.objects.filter(game=game, position=position).update(skipped=True, closed_at=now)
    if game.position >= game.question_count:
        _finish(game, now, Ending.COMPLETED)
    else:
        _open(game, game.position + 1, now)
    return Moved(game=game, changed=True)


@transaction.atomic
def pause(*, game_id: int, position: int, now: datetime) -> Moved:
    """Stop the clock of the open question: answers wait until it resumes."""
    game = _locked(game_id)
    if game.phase != Phase.QUESTION or game.position != position or game.paused_at is not None:
        return Moved(game=game, changed=False)
    closes_at = game.closes_at()
    if closes_at is not None and now >= closes_at:
        return Moved(game=game, changed=False)  # too late to pause: the timer closes it
    game.paused_at = game.last_activity_at = now
    game.save(update_fields=["paused_at", "last_activity_at"])
    return Moved(game=game, changed=True)


@transaction.atomic
def resume(*, game_id: int, position: int, now: datetime) -> Moved:
    """Restart the clock where it stopped: the question's start moves forward by the pause, so
    response times never include it."""
    game = _locked(game_id)
    if game.phase != Phase.QUESTION or game.position != position or game.paused_at is None:
        return Moved(game=game, changed=False)
    assert game.question_started_at is not None
    game.question_started_at += now - game.paused_at
    game.paused_at = None
    game.last_activity_at = now
    game.save(update_fields=["question_started_at", "paused_at", "last_activity_at"])
    return Moved(game=game, changed=True)


@transaction.atomic
def end_game(*, game_id: int, now: datetime, ending: Ending = Ending.HOST) -> Moved:
    game = _locked(game_id)
    if game.phase == Phase.FINISHED:
        return Moved(game=game, changed=False)
    if game.phase == Phase.QUESTION:
        _close(game, now)
    _finish(game, now, ending)
    return Moved(game=game, changed=True)


def settle(game: Game, *, now: datetime) -> Moved | None:
    """What the clock does to a game whoever looks at it: end it after :data:`IDLE_AFTER` without the
    host (or a player joining), close its question once the time is up. Returns the change for the
    caller to announce (None: nothing changed); ``game`` is updated in place."""
    moved = None
    if game.phase != Phase.FINISHED and now - game.last_activity_at >= IDLE_AFTER:
        moved = end_game(game_id=game.pk, now=now, ending=Ending.IDLE)
    elif game.phase == Phase.QUESTION and (closes_at := game.closes_at()) is not None and now >= closes_at:
        moved = close_question(game_id=game.pk, position=game.position, now=now)
    if moved is None or not moved.changed:
        return None
    for field in ("phase", "position", "paused_at", "finished_at", "ending"):
        setattr(game, field, getattr(moved.game, field))
    return moved


def end_idle_games(*, now: datetime) -> int:
    """End every unattended game (the ``end_idle_games`` command, for cron); returns how many."""
    stale = Game.objects.running().filter(last_activity_at__lt=now - IDLE_AFTER).values_list("pk", flat=True)
    return sum(end_game(game_id=pk, now=now, ending=Ending.IDLE).changed for pk in list(stale))


def control(
    *, game_id: int, action: str, position: int, phase: str | None = None, player_id: int | None = None, now: datetime
) -> Moved | None:
    """One host control, as the socket and the HTTP form send it: ``next`` (from ``position`` and
    ``phase``), ``pause``, ``resume``, ``skip``, ``end``, ``remove`` (``player_id``). None for an
    unknown action."""
    if action == "next":
        return advance(game_id=game_id, from_position=position, from_phase=phase, now=now)
    if action == "pause":
        return pause(game_id=game_id, position=position, now=now)
    if action == "resume":
        return resume(game_id=game_id, position=position, now=now)
    if action == "skip":
        return skip(game_id=game_id, position=position, now=now)
    if action == "end":
        return end_game(game_id=game_id, now=now)
    if action == "remove" and player_id is not None:
        removed = remove_player(game_id=game_id, player_id=player_id, now=now)
        return Moved(game=Game.objects.get(pk=game_id), changed=removed)
    return None


def _open(game: Game, position: int, now: datetime) -> None:
    game.phase, game.position, game.question_started_at, game.paused_at = Phase.QUESTION, position, now, None
    game.save(update_fields=["phase", "position", "question_started_at", "paused_at", "last_activity_at"])
    GameQuestion.objects.filter(game=game, position=position, sent_at__isnull=True).update(sent_at=now)


def _close(game: Game, now: datetime) -> None:
    """Question time is over: add its points to every player's score and set their streaks (a
    player who did not answer loses theirs), in one UPDATE."""
    slot = GameQuestion.objects.get(game=game, position=game.position)
    # Wait for answers being written (each holds its player's row), and keep new ones out until the
    # close is committed; the UPDATE below then sees every answer that made it in.
    list(Player.objects.select_for_update().filter(game=game).order_by("pk").values_list("pk", flat=True))
    GameQuestion.objects.filter(pk=slot.pk).update(closed_at=now)
    answers = LiveAnswer.objects.filter(game_question=slot, player=OuterRef("pk"))
    Player.objects.filter(game=game).update(
        score=F("score") + Coalesce(Subquery(answers.values("points")[:1]), Value(0)),
        streak=Coalesce(Subquery(answers.values("streak")[:1]), Value(0)),
    )
    game.phase, game.paused_at = Phase.REVEAL, None
    game.save(update_fields=["phase", "paused_at", "last_activity_at"])


def _finish(game: Game, now: datetime, ending: Ending) -> None:
    game.phase, game.finished_at, game.ending, game.paused_at = Phase.FINISHED, now, ending, None
    game.save(update_fields=["phase", "finished_at", "ending", "paused_at", "last_activity_at"])
    if game.assignment_id is not None:
        from .tasks import record_game_attempts  # tasks import services

        transaction.on_commit(partial(record_game_attempts.enqueue, game_id=game.pk))


def record_attempts(*, game_id: int) -> int:
    """A finished game played from an assignment counts, for each signed-in learner of the class
    who answered at least one question, as a finished attempt at its quiz: one slot per question
    asked (skipped ones left out), holding the answer given. A game ended before any question
    records nothing. Run once per game (by :func:`.tasks.record_game_attempts`, after the game's end
    is committed); a second run writes nothing. Returns how many attempts it wrote."""
    game = Game.objects.get(pk=game_id)
    if game.phase != Phase.FINISHED or game.finished_at is None:
        return 0
    slots = list(GameQuestion.objects.filter(game=game, skipped=False, sent_at__isnull=False).order_by("position"))
    answers = {(a.player_id, a.game_question_id): a for a in LiveAnswer.objects.filter(game_question__in=slots)}
    answered = {player_id for player_id, _slot in answers}
    done = set(Attempt.objects.filter(quiz_id=game.quiz_id, options__live_game=game.pk).values_list("user_id", flat=True))
    written = 0
    for player in Player.objects.filter(game=game, user__isnull=False, removed_at__isnull=True, pk__in=answered).select_related("user"):
        assert player.user is not None
        if player.user_id in done:
            continue
        recorded = []
        for slot in slots:
            answer = answers.get((player.pk, slot.pk))
            recorded.append(
                quiz_services.RecordedAnswer(
                    question_id=slot.question_id,
                    version_id=slot.version_id,
                    option_order=slot.option_order,
                    selected=None if answer is None else answer.selected,
                    answered_at=None if answer is None else answer.answered_at,
                )
            )
        started = slots[0].sent_at if slots[0].sent_at else game.created_at
        quiz_services.record_attempt(
            user=player.user,
            quiz=game.quiz,
            started_at=started,
            finished_at=game.finished_at,
            answers=recorded,
            options={"live_game": game.pk},
        )
        written += 1
    return written


# --- playing -------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def clean_nickname(raw: str) -> str:
    """The nickname as it will show: NFC, inner spaces collapsed; raises LiveError when empty, too
    long or holding control characters."""
    nickname = _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()
    if not nickname:
        raise LiveError("Choose a nickname.")
    if len(nickname) > NICKNAME_MAX:
        raise LiveError(f"A nickname has at most {NICKNAME_MAX} characters.")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn") for char in nickname):
        raise LiveError("A nickname cannot hold invisible or control characters.")
    return nickname


def running_game(pin: str, *, now: datetime) -> Game:
    """The running game with this PIN; LiveError when none (unknown, finished, or idle too long:
    the caller announces an end it caused, see :func:`settle`)."""
    pin = pin.strip()
    game = Game.objects.running().filter(pin=pin).first() if pin.isdigit() and len(pin) == 6 else None
    if game is not None:
        settle(game, now=now)
    if game is None or game.phase == Phase.FINISHED:
        raise LiveError("No game is running with that PIN: check the number on the screen.")
    return game


def join_game(*, pin: str, nickname: str, user: User | None, now: datetime) -> Player:
    """A seat in the running game ``pin``. A signed-in learner of the game's class is linked to
    their account (and gets their seat back if they join again); anyone else plays under the
    nickname only."""
    game = running_game(pin, now=now)
    name = clean_nickname(nickname)
    linked = user if user is not None and user.is_authenticated and _in_class(game, user) else None
    if linked is not None and (seat := Player.objects.filter(game=game, user=linked).first()) is not None:
        if seat.removed_at is not None:
            raise LiveError("The host removed you from this game.")
        return seat
    try:
        with transaction.atomic():
            # Joins to one game queue on its row, so the count below holds until the seat is written.
            Game.objects.select_for_update().filter(pk=game.pk).values_list("pk").get()
            if Player.objects.filter(game=game, removed_at__isnull=True).count() >= game.max_players:
                raise LiveError("This game is full.")
            # A lobby filling up is a game in use: joins keep it from ending as idle (one write a minute at most).
            Game.objects.filter(pk=game.pk, phase=Phase.LOBBY, last_activity_at__lt=now - timedelta(minutes=1)).update(last_activity_at=now)
            return Player.objects.create(game=game, nickname=name, nickname_key=name.casefold(), user=linked, joined_at=now)
    except IntegrityError:
        raise LiveError(f"“{name}” is taken in this game: choose another nickname.") from None


def _in_class(game: Game, user: User) -> bool:
    if game.classroom_id is None:
        return False
    return Membership.objects.active().learners().filter(classroom_id=game.classroom_id, user=user).exists()


@transaction.atomic
def remove_player(*, game_id: int, player_id: int, now: datetime) -> bool:
    """The host removes a nickname: the seat is closed (its answers are kept); True when it was open."""
    removed = Player.objects.filter(game_id=game_id, pk=player_id, removed_at__isnull=True).update(removed_at=now)
    Game.objects.filter(pk=game_id).update(last_activity_at=now)
    return bool(removed)


@dataclass(frozen=True, slots=True, kw_only=True)
class Answered:
    """The outcome of one answer: ``stored`` is False for a repeat (the first answer stands)."""

    stored: bool
    answer: LiveAnswer
    phase: str
    """The game's phase when the answer was taken: ``question`` while it is open (the player's
    screen is then the question's shared "locked in" screen)."""


class Refused(LiveError):
    """An answer the game does not take (time up, paused, not the open question, removed)."""


def submit_answer(*, player_id: int, position: int, shown: Sequence[int], now: datetime) -> Answered:
    """Store and score one answer to question ``position``, timed by the server from when it sent
    the question (``now`` is when the answer arrived). ``shown`` are the buttons pressed (0-based, in
    the order shown). A second answer to the same question is ignored; an answer after the time
    limit or after the question closed, while paused, or to another question is refused
    (:class:`Refused`), and nothing is stored."""
    with transaction.atomic():
        player = Player.objects.select_for_update().get(pk=player_id)  # the close waits for this answer
        game = Game.objects.get(pk=player.game_id)
        player.game = game
        if player.removed_at is not None:
            raise Refused("The host removed you from this game.")
        if game.position != position or game.phase not in (Phase.QUESTION, Phase.REVEAL):
            raise Refused("This question is closed.")
        slot = _slot(game, position)
        closed_at = (
            GameQuestion.objects.filter(pk=slot.id).values_list("closed_at", flat=True).get() if game.phase == Phase.REVEAL else None
        )
        if game.phase == Phase.REVEAL and (closed_at is None or now > closed_at):
            raise Refused("This question is closed.")
        if game.paused_at is not None:
            raise Refused("The game is paused: answer when it resumes.")
        assert game.question_started_at is not None
        if not shown or any(not 0 <= index < len(slot.order) for index in shown) or (len(shown) > 1 and slot.kind != Kind.MULTIPLE):
            raise Refused("Choose one of the answers shown.")
        selected = sorted({slot.order[index] for index in shown})
        response_ms = max(0, int((now - game.question_started_at).total_seconds() * 1000))
        correct = grade_choices(kind=slot.kind, fractions=slot.fractions, selected=selected, policy=Policy.ALL_OR_NOTHING).fraction == 1
        try:
            scored = scoring.score(
                correct=correct, response_ms=response_ms, limit_ms=game.time_limit_seconds * 1000, streak_before=player.streak
            )
        except scoring.TooLate:
            raise Refused("Time is up for this question.") from None
        existing = LiveAnswer.objects.filter(player=player, game_question_id=slot.id).first()
        if existing is not None:
            return Answered(stored=False, answer=existing, phase=game.phase)
        answer = LiveAnswer.objects.create(
            player=player,
            game_question_id=slot.id,
            selected=selected,
            answered_at=now,
            response_ms=response_ms,
            correct=scored.correct,
            points=scored.points,
            bonus=scored.bonus,
            streak=scored.streak,
        )
        if game.phase == Phase.REVEAL:  # on time, but the close was written first: score it now
            Player.objects.filter(pk=player.pk).update(score=F("score") + scored.points, streak=scored.streak)
        return Answered(stored=True, answer=answer, phase=game.phase)


@dataclass(frozen=True, slots=True)
class _Slot:
    id: int
    kind: Kind
    order: tuple[int, ...]
    fractions: tuple[Decimal, ...]


_slots: dict[tuple[int, str, datetime, int], _Slot] = {}


def _slot(game: Game, position: int) -> _Slot:
    """A game's question as answers need it. Game questions never change once written, so each
    process keeps what it read (a few hundred bytes per question), keyed by the game's id, PIN and
    creation time (an id alone could come back after a rolled-back transaction)."""
    key = (game.pk, game.pin, game.created_at, position)
    if (cached := _slots.get(key)) is None:
        row = GameQuestion.objects.select_related("version").get(game_id=game.pk, position=position)
        content = row.version.content
        cached = _slots[key] = _Slot(
            id=row.pk, kind=content.kind, order=tuple(row.option_order), fractions=tuple(c.fraction for c in content.choices)
        )
        if len(_slots) > 10_000:
            _slots.pop(next(iter(_slots)))
    return cached


def answered_counts(game: Game) -> tuple[int, int]:
    """(players still in the game who answered the open question, players still in the game)."""
    players = Player.objects.filter(game=game, removed_at__isnull=True)
    if game.phase != Phase.QUESTION:
        return 0, players.count()
    answered = LiveAnswer.objects.filter(game_question__game=game, game_question__position=game.position, player__removed_at__isnull=True)
    return answered.count(), players.count()


def everyone_answered(game: Game) -> bool:
    answered, players = answered_counts(game)
    return players > 0 and answered >= players
