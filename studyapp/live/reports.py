"""After the game: a line per player and per question, for the report page and its CSV."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import strip_tags

from studyapp.classrooms.export import csv_text

from . import scoring
from .models import Game, GameQuestion, LiveAnswer, Player


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayerLine:
    player_id: int
    rank: int
    nickname: str
    account: str  # the linked account's username, "" for a nickname only
    score: int
    right: int
    answered: int
    mean_seconds: float | None
    removed: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionLine:
    position: int
    question_id: int
    version: int
    text: str
    skipped: bool
    answered: int
    right: int
    mean_seconds: float | None

    @property
    def right_percent(self) -> float | None:
        return None if not self.answered else round(100 * self.right / self.answered, 1)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values) / 1000, 2) if values else None


def game_report(game: Game) -> dict[str, object]:
    players = list(Player.objects.filter(game=game).select_related("user"))
    slots = list(GameQuestion.objects.filter(game=game).select_related("version").order_by("position"))
    answers = list(
        LiveAnswer.objects.filter(game_question__game=game).values_list("player_id", "game_question_id", "correct", "response_ms")
    )
    marks = {(player_id, slot_id): "right" if correct else "wrong" for player_id, slot_id, correct, _ms in answers}
    skipped = {slot.pk for slot in slots if slot.skipped}
    by_player: dict[int, list[tuple[bool, int]]] = defaultdict(list)
    by_slot: dict[int, list[tuple[bool, int]]] = defaultdict(list)
    for player_id, slot_id, correct, response_ms in answers:
        by_slot[slot_id].append((correct, response_ms))
        if slot_id not in skipped:
            by_player[player_id].append((correct, response_ms))
    ranks = {s.nickname: s.rank for s in scoring.standings((p.nickname, p.score) for p in players if p.removed_at is None)}
    player_lines = sorted(
        (
            PlayerLine(
                player_id=p.pk,
                rank=ranks.get(p.nickname, 0),
                nickname=p.nickname,
                account=p.user.username if p.user else "",
                score=p.score,
                right=sum(1 for correct, _ms in by_player[p.pk] if correct),
                answered=len(by_player[p.pk]),
                mean_seconds=_mean([ms for _c, ms in by_player[p.pk]]),
                removed=p.removed_at is not None,
            )
            for p in players
        ),
        key=lambda line: (line.removed, line.rank, line.nickname.casefold()),
    )
    question_lines = [
        QuestionLine(
            position=slot.position,
            question_id=slot.question_id,
            version=slot.version.number,
            text=strip_tags(slot.version.content.stem)[:200],
            skipped=slot.skipped,
            answered=len(by_slot[slot.pk]),
            right=sum(1 for correct, _ms in by_slot[slot.pk] if correct),
            mean_seconds=_mean([ms for _c, ms in by_slot[slot.pk]]),
        )
        for slot in slots
    ]
    return {"game": game, "players": player_lines, "questions": question_lines, "slots": slots, "marks": marks}


def game_csv(game: Game) -> str:
    """One row per player: rank, nickname, account, score, right answers, then each question's
    result (right, wrong, or empty when not answered)."""
    report = game_report(game)
    slots: list[GameQuestion] = report["slots"]  # type: ignore[assignment]
    marks: dict[tuple[int, int], str] = report["marks"]  # type: ignore[assignment]
    lines: list[PlayerLine] = report["players"]  # type: ignore[assignment]
    header: list[object] = [
        "rank",
        "nickname",
        "account",
        "score",
        "right",
        "answered",
        "mean seconds",
        *(f"Q{s.position}{' (skipped)' if s.skipped else ''}" for s in slots),
    ]
    rows: list[list[object]] = [header]
    for line in lines:
        rows.append(
            [
                "" if line.removed else line.rank,
                line.nickname,
                line.account,
                line.score,
                line.right,
                line.answered,
                "" if line.mean_seconds is None else line.mean_seconds,
                *(marks.get((line.player_id, s.pk), "") for s in slots),
            ]
        )
    return csv_text(rows)
