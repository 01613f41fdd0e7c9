"""Learner state for spaced repetition. It points at cards (content) and questions (the bank) and
never writes them.

- :class:`ReviewState`: one learner's memory of one item (a flashcard, or a quiz question that was
  answered wrongly): the FSRS state plus suspend/bury/flag/leech. ``revision`` grows with every
  change and is what the grade form carries, so a repeated or stale submission is recognised.
- :class:`ReviewLog`: every review, appended and never rewritten. An undo appends an
  :class:`UndoneReview` beside the review it takes back.
"""

from datetime import date, datetime, timedelta
from typing import cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast

from studyapp.content.models import Card
from studyapp.content.parsing.types import BEYOND_EXAM
from studyapp.questions.models import Question, Status

from . import scheduler

EXAM_DATE_DEFAULT = timedelta(days=14)


def latest_exam_date(today: date) -> date:
    """The furthest exam date accepted: two years from ``today`` (28 February for a 29th)."""
    try:
        return today.replace(year=today.year + 2)
    except ValueError:
        return today.replace(year=today.year + 2, day=28)


class ReviewSettings(models.Model):
    """A learner's study preferences (created with defaults the first time they are needed)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_settings")
    desired_retention = models.FloatField(
        default=0.90,
        validators=[MinValueValidator(scheduler.MIN_RETENTION), MaxValueValidator(scheduler.MAX_RETENTION)],
        help_text="How likely you want to be to remember a card when it comes back: 0.70 to 0.97. Higher means more reviews.",
    )
    new_per_day = models.PositiveSmallIntegerField(
        default=20, validators=[MaxValueValidator(500)], help_text="New cards introduced per study day."
    )
    learning_steps = models.CharField(
        max_length=100, default="1m 10m", help_text="Waits before a new card's next showings, such as “1m 10m” or “10m 1h”."
    )
    relearning_steps = models.CharField(max_length=100, default="10m", help_text="Waits after you forget a card.")
    fuzz = models.BooleanField(default=True, help_text="Spread review dates a little so cards learned together do not stay together.")
    bury_siblings = models.BooleanField(
        default=True,
        help_text="Once you review one card of a cloze, hide its other new and review cards until tomorrow, so one answer does not give away the next.",
    )
    exam_date = models.DateField(
        null=True, blank=True, help_text="The day you sit the exam: readiness predicts your recall on it. Empty: two weeks from today."
    )
    include_beyond_exam_cards = models.BooleanField(
        default=True,
        help_text="Cards on price arithmetic and configuration details the exam does not ask. Off: they leave your queue "
        "and its counts (the card browser still finds them).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(desired_retention__gte=scheduler.MIN_RETENTION, desired_retention__lte=scheduler.MAX_RETENTION),
                name="srs_settings_retention_range",
            )
        ]

    def __str__(self) -> str:
        return f"review settings of {self.user}"

    def exam_day(self, today: date) -> date:
        """The exam date set, or two weeks from ``today`` (the learner's local date) when unset."""
        return self.exam_date or today + EXAM_DATE_DEFAULT

    def scheduler_settings(self, time_zone: str) -> scheduler.Settings:
        return scheduler.Settings(
            desired_retention=self.desired_retention,
            learning_steps=parse_steps(self.learning_steps),
            relearning_steps=parse_steps(self.relearning_steps),
            fuzz=self.fuzz,
            time_zone=time_zone,
        )


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """``"1m 10m 1h"`` → (1 minute, 10 minutes, 1 hour). Raises ValueError with a readable message."""
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    steps = []
    for word in text.split():
        number, unit = word[:-1], word[-1:]
        if unit not in units or not number.isdigit() or int(number) == 0:
            raise ValueError(f"“{word}” is not a step: write a number and s, m, h or d, such as 10m")
        step = timedelta(**{units[unit]: int(number)}) if len(number) <= 6 else timedelta.max
        if step > timedelta(days=365):
            raise ValueError(f"“{word}” is longer than a year")
        steps.append(step)
    if len(steps) > 10:
        raise ValueError("at most 10 steps")
    return tuple(steps)


class ItemState(models.TextChoices):
    NEW = "new", "New"
    LEARNING = "learning", "Learning"
    REVIEW = "review", "Review"
    RELEARNING = "relearning", "Relearning"


_CARD_TAGS = Cast("card__tags", TextField())  # the tag list as JSON text holds the quoted tag, as content.models.excluding_tag reads it


class ReviewStateQuerySet(models.QuerySet):
    def for_user(self, user: models.Model) -> "ReviewStateQuerySet":
        return self.filter(user=user)

    def live(self) -> "ReviewStateQuerySet":
        """Items whose card is still in the course or whose question is published. (A state has
        exactly one of the two; the other side of the outer join is null.)"""
        return self.filter(Q(question__isnull=True) | Q(question__status=Status.PUBLISHED), card__retired_at__isnull=True)

    def studiable(self, *, now: datetime) -> "ReviewStateQuerySet":
        """Live, not suspended, not buried. The study screen applies the same rules in SQL
        (:mod:`studyapp.srs.queue`); tests/srs/test_queue.py keeps the two in step."""
        return self.live().filter(suspended=False).filter(Q(buried_until__isnull=True) | Q(buried_until__lte=now))

    def due(self, *, now: datetime) -> "ReviewStateQuerySet":
        return self.studiable(now=now).filter(due__lte=now)

    def exam_scope(self, *, include_beyond_exam_cards: bool) -> "ReviewStateQuerySet":
        """Without the states of beyond-exam cards unless included (questions are kept either way).
        The study screen's SQL applies the same rule (:mod:`studyapp.srs.queue`)."""
        if include_beyond_exam_cards:
            return self
        # NOT (card AND tagged): a question's state has no card, so no tags, and stays.
        return self.alias(card_tags_text=_CARD_TAGS).exclude(card__isnull=False, card_tags_text__contains=f'"{BEYOND_EXAM}"')

    def in_learners_scope(self) -> "ReviewStateQuerySet":
        """As :meth:`exam_scope`, with each state's learner's own setting read in the same query
        (a page that does not load the settings otherwise saves a query)."""
        left_out = ReviewSettings.objects.filter(user=OuterRef("user"), include_beyond_exam_cards=False)
        tagged = Q(card__isnull=False, card_tags_text__contains=f'"{BEYOND_EXAM}"')
        return self.alias(card_tags_text=_CARD_TAGS).exclude(Exists(left_out) & tagged)

    def beyond_exam_cards(self) -> "ReviewStateQuerySet":
        """Only the states of cards tagged beyond-exam (the card browser's filter)."""
        return self.alias(card_tags_text=_CARD_TAGS).filter(card__isnull=False, card_tags_text__contains=f'"{BEYOND_EXAM}"')

    def in_topic(self, topic_id: int | None) -> "ReviewStateQuerySet":
        if topic_id is None:
            return self
        return self.filter(Q(card__note__topic_id=topic_id) | Q(question__placement__topic_id=topic_id))


class ReviewState(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_states")
    card = models.ForeignKey(Card, on_delete=models.PROTECT, null=True, blank=True, related_name="review_states")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True, related_name="review_states")
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.NEW)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=0, help_text="Grows with every review or undo.")
    suspended = models.BooleanField(default=False)
    buried_until = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    leech = models.BooleanField(default=False)
    added_at = models.DateTimeField()

    objects = ReviewStateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(card__isnull=False, question__isnull=True) | Q(card__isnull=True, question__isnull=False),
                name="srs_state_one_item",
            ),
            models.UniqueConstraint(fields=["user", "card"], condition=Q(card__isnull=False), name="srs_state_unique_card"),
            models.UniqueConstraint(fields=["user", "question"], condition=Q(question__isnull=False), name="srs_state_unique_question"),
            models.CheckConstraint(condition=Q(state__in=ItemState.values), name="srs_state_valid"),
        ]
        indexes = [
            models.Index(fields=["user", "due"], name="srs_state_user_due"),
            models.Index(fields=["user", "state", "due"], name="srs_state_user_state_due"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.card or self.question}"

    @property
    def memory(self) -> scheduler.Memory:
        return scheduler.Memory(
            state=cast(scheduler.StateName, self.state),  # one of ItemState: the srs_state_valid constraint
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
            reps=self.reps,
            lapses=self.lapses,
        )

    def set_memory(self, memory: scheduler.Memory) -> None:
        for name in ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses"):
            setattr(self, name, getattr(memory, name))


class ReviewLog(models.Model):
    """One review, as it happened. Rows are only ever added."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_logs")
    review_state = models.ForeignKey(ReviewState, on_delete=models.PROTECT, related_name="logs")
    rating = models.PositiveSmallIntegerField(choices=[(n, label) for n, label in scheduler.RATINGS.items()])
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    was_new = models.BooleanField(help_text="The item's first review (counts against the new-card limit).")
    state_before = models.JSONField()
    state_after = models.JSONField()
    buried_siblings = models.JSONField(
        default=list, blank=True, help_text="Ids of the cloze sibling cards this review buried (an undo unburies them)."
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=4), name="srs_log_rating_range")]
        indexes = [models.Index(fields=["user", "reviewed_at"], name="srs_log_user_time")]

    def __str__(self) -> str:
        return f"{self.user} rated {self.rating} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class UndoneReview(models.Model):
    """The learner pressed Undo: this review no longer counts (its row stays in the log)."""

    review = models.OneToOneField(ReviewLog, on_delete=models.PROTECT, related_name="undo")
    undone_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"undo of {self.review_id}"


class ActionKind(models.TextChoices):
    BURY = "bury", "Buried"
    UNBURY = "unbury", "Unburied"
    SUSPEND = "suspend", "Suspended"
    UNSUSPEND = "unsuspend", "Unsuspended"
    FLAG = "flag", "Flagged"
    UNFLAG = "unflag", "Flag removed"
    RESET = "reset", "Reset to new"


class ItemAction(models.Model):
    """A change to an item that is not a review (bury, suspend, flag, reset and their opposites), as
    it happened: the changed fields before and after. Rows are only ever added; an undo appends an
    :class:`UndoneAction`. The rows one request wrote (a bulk change in the card browser) share a
    ``batch``, and an undo takes the batch back together."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="item_actions")
    review_state = models.ForeignKey(ReviewState, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    batch = models.UUIDField()
    acted_at = models.DateTimeField()
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(kind__in=ActionKind.values), name="srs_action_kind_valid")]
        indexes = [
            models.Index(fields=["user", "acted_at"], name="srs_action_user_time"),
            models.Index(fields=["batch"], name="srs_action_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.review_state_id} at {self.acted_at:%Y-%m-%d %H:%M}"


class UndoneAction(models.Model):
    """The learner pressed Undo: this action no longer holds (its row stays)."""

    action = models.OneToOneField(ItemAction, on_delete=models.PROTECT, related_name="undo")
    undone_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"undo of action {self.action_id}"
