"""A live game and what happens in it. Everything a game needs to resume after a restart is here:
its phase, the question it is on and when that question was sent; every answer is a row written as it
arrives. Questions are copied as the version they showed (as attempts do), so editing the bank during
a game changes nothing in it.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from studyapp.questions.models import Question, QuestionVersion

PIN_LENGTH = 6
MAX_PLAYERS = 2000
NICKNAME_MAX = 20


def new_pin() -> str:
    """Six digits, never starting with 0 (a PIN read aloud or typed on a phone keeps its length)."""
    return str(secrets.randbelow(900_000) + 100_000)


class Phase(models.TextChoices):
    LOBBY = "lobby", "Waiting for players"
    QUESTION = "question", "Question open"
    REVEAL = "reveal", "Answer shown"
    FINISHED = "finished", "Finished"


class Ending(models.TextChoices):
    COMPLETED = "completed", "Every question played"
    HOST = "host", "Ended by the host"
    IDLE = "idle", "Ended after no activity"


class GameQuerySet(models.QuerySet["Game"]):
    def running(self) -> "GameQuerySet":
        return self.exclude(phase=Phase.FINISHED)


class Game(models.Model):
    """A game hosted from a Quiz. ``position`` is the question on screen (0 in the lobby);
    ``question_started_at`` is when the server sent it, moved forward by the length of any pause so
    that response times never include one; ``paused_at`` is set while the host has paused."""

    pin = models.CharField(max_length=PIN_LENGTH)
    title = models.CharField(max_length=200)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_games")
    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.PROTECT, related_name="live_games")
    classroom = models.ForeignKey("classrooms.Classroom", on_delete=models.PROTECT, null=True, blank=True, related_name="live_games")
    assignment = models.ForeignKey(
        "classrooms.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="live_games",
        help_text="Set when the game plays an assignment's quiz: its answers then count as an attempt in the gradebook.",
    )
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.LOBBY)
    position = models.PositiveSmallIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0)
    time_limit_seconds = models.PositiveSmallIntegerField(default=20)
    question_started_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    max_players = models.PositiveIntegerField(default=MAX_PLAYERS)
    created_at = models.DateTimeField()
    last_activity_at = models.DateTimeField(help_text="The host's last action: an unattended game ends itself after a while.")
    finished_at = models.DateTimeField(null=True, blank=True)
    ending = models.CharField(max_length=10, choices=Ending.choices, blank=True)

    objects = GameQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A PIN names one running game; finished games free theirs.
            models.UniqueConstraint(fields=["pin"], condition=~Q(phase="finished"), name="live_game_unique_running_pin"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="live_game_phase_valid"),
            models.CheckConstraint(condition=Q(time_limit_seconds__gte=5, time_limit_seconds__lte=240), name="live_game_time_limit_range"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.pin})"

    def get_absolute_url(self) -> str:
        return reverse("live:host", args=[self.pk])

    @property
    def time_limit(self) -> timedelta:
        return timedelta(seconds=self.time_limit_seconds)

    def closes_at(self) -> datetime | None:
        """When the open question stops taking answers (None when none is open, or paused)."""
        if self.phase != Phase.QUESTION or self.question_started_at is None or self.paused_at is not None:
            return None
        return self.question_started_at + self.time_limit


class GameQuestion(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(help_text="1-based.")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="live_slots")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="live_slots")
    option_order = models.JSONField(help_text="Stored option indexes in the order shown (button 1, 2, ...).")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When it was first sent to players.")
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it stopped taking answers (its time up, everyone answered, or the host showed the answer)."
    )
    skipped = models.BooleanField(default=False, help_text="Skipped by the host: scores nothing, breaks no streak.")

    class Meta:
        ordering = ["game", "position"]
        constraints = [models.UniqueConstraint(fields=["game", "position"], name="live_question_unique_position")]

    def __str__(self) -> str:
        return f"{self.game_id}#{self.position}"


class Player(models.Model):
    """A seat in a game. ``user`` is set for a signed-in learner (the result reaches the gradebook);
    a player without an account is a nickname only. ``score`` and ``streak`` are kept with each answer
    so a leaderboard is one query."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(max_length=NICKNAME_MAX)
    # Case-folding can triple a text ("ﬃ" becomes "ffi").
    nickname_key = models.CharField(
        max_length=NICKNAME_MAX * 3, help_text="The nickname case-folded: two players cannot be 'Sam' and 'sam'."
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="live_seats")
    secret = models.CharField(
        max_length=32, default="", help_text="Signed into the seat cookie: a reload or a new connection takes the same seat."
    )
    joined_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["game", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["game", "nickname_key"], name="live_player_unique_nickname"),
            models.UniqueConstraint(fields=["game", "user"], condition=Q(user__isnull=False), name="live_player_unique_user"),
        ]
        indexes = [models.Index(fields=["game", "-score"], name="live_player_score")]

    def __str__(self) -> str:
        return self.nickname

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.secret:
            self.secret = secrets.token_hex(16)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class LiveAnswer(models.Model):
    """One player's answer to one question, written when it arrives. ``response_ms`` is measured by
    the server from when it sent the question."""

    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="answers")
    game_question = models.ForeignKey(GameQuestion, on_delete=models.CASCADE, related_name="answers")
    selected = models.JSONField(help_text="Stored option indexes chosen.")
    answered_at = models.DateTimeField()
    response_ms = models.PositiveIntegerField()
    correct = models.BooleanField()
    points = models.PositiveIntegerField()
    bonus = models.PositiveIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["game_question", "answered_at"]
        constraints = [models.UniqueConstraint(fields=["player", "game_question"], name="live_answer_once")]

    def __str__(self) -> str:
        return f"{self.player} on {self.game_question}"
