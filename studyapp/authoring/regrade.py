"""Regrading after a question's key changed: a dry run that lists what would move, then the change
itself, with an audit row.

A published question's key changes when an author saves a new version with the same options, in the
same order, but other fractions (the right answer was wrong, or a partly right option deserves
credit). Attempts keep the version they showed (:class:`~studyapp.quizzes.models.AttemptQuestion`'s
``version``, ``option_order``, ``selected``); a regrade re-marks the answers they hold with the new
version's fractions, under the attempt's own policy (all-or-nothing or partial).

* Which answers: every *graded* slot of the question that showed a version older than the new one:
  a slot of a submitted attempt (a mock, an assigned quiz, a finished practice session) or an
  answered practice slot (practice marks each answer as it is given, so its mark is final at
  once). An exam attempt still under way is left alone: its slots are marked when it is submitted,
  with the version they showed, and a later regrade picks them up then.
* A slot whose version's options are not the new version's (a reworded question: other texts,
  another number of options, another kind) is listed as not regraded, with the reason, rather than
  guessed at.
* Nothing else is stored: an attempt's total and a class's grades are sums of the slots' fractions
  (``quizzes.reports.results``, ``classrooms.gradebook``), so they follow at once.

:func:`remark` is the rule on its own, pure (contents, selections and a policy in, a mark out).
:func:`dry_run` reads; :func:`apply` writes, in one transaction that locks the question's row and the
slots it changes, and is idempotent: a second apply finds nothing to change and raises
:class:`NothingToRegrade`, writing nothing. Re-marking leaves the learner's review queue as it is
(an answer that becomes right stays queued until it is reviewed).
"""

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from studyapp.accounts.models import User
from studyapp.questions.content import CHOICE_KINDS, ZERO, Policy, QuestionContent, grade_choices
from studyapp.questions.models import Question, QuestionVersion
from studyapp.quizzes.models import AttemptQuestion, Mode

from .models import Regrade

PLACES = Decimal("0.0000001")
"""A slot's fraction is stored to 7 places (``AttemptQuestion.fraction``); marks are compared as stored."""


class NothingToRegrade(ValueError):
    """Every graded answer already has the mark the new version gives it: nothing was written."""


# --- the rule: pure ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Remark:
    """What the new key makes of one answer: ``fraction`` (as stored: 7 places), or, when the answer
    cannot be re-marked, ``not_regraded`` saying why (and ``fraction`` is then the old mark)."""

    fraction: Decimal
    not_regraded: str = ""


def stored(fraction: Decimal) -> Decimal:
    """``fraction`` as a slot stores it (rounded half-even to 7 places, as the database does)."""
    return fraction.quantize(PLACES, rounding=ROUND_HALF_EVEN)


def why_not(shown: QuestionContent, key: QuestionContent) -> str:
    """Empty when an answer to ``shown`` can be marked with ``key``'s fractions: a choice question of
    the same kind whose options have the same texts in the same order. Otherwise the reason."""
    if key.kind not in CHOICE_KINDS or shown.kind not in CHOICE_KINDS:
        return "only multiple-choice and true/false answers can be re-marked"
    if shown.kind != key.kind:
        return "the kind of question changed"
    if [choice.text for choice in shown.choices] != [choice.text for choice in key.choices]:
        return "the options changed"
    return ""


def remark(*, shown: QuestionContent, key: QuestionContent, selected: Collection[int], policy: Policy | str, old: Decimal) -> Remark:
    """The mark ``key`` gives the answer ``selected`` (indexes into the options, as a slot stores
    them; empty: unanswered) that was given to ``shown`` and marked ``old``, under ``policy``."""
    reason = why_not(shown, key)
    if reason:
        return Remark(fraction=stored(old), not_regraded=reason)
    fractions = [choice.fraction for choice in key.choices]
    return Remark(fraction=stored(grade_choices(kind=key.kind, fractions=fractions, selected=selected, policy=policy).fraction))


# --- reading and writing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One answer a regrade re-marks (or, with ``not_regraded``, one it leaves as it is).

    ``old`` and ``new`` are the question's mark (fractions, 0 to 1); ``attempt_old`` and
    ``attempt_new`` the attempt's total marks out of ``questions``.
    """

    slot_id: int
    attempt_id: int
    user_id: int
    learner: str
    mode: str
    when: datetime  # submitted, or for a practice answer, answered
    version: int  # the version number the attempt showed
    old: Decimal
    new: Decimal
    attempt_old: Decimal
    attempt_new: Decimal
    questions: int
    not_regraded: str = ""

    @property
    def regraded(self) -> bool:
        return not self.not_regraded

    def as_json(self) -> dict[str, object]:
        """The audit's record of it (``Regrade.changes``): ids, the version shown, marks as strings."""
        return {
            "attempt": self.attempt_id,
            "slot": self.slot_id,
            "user": self.user_id,
            "version": self.version,
            "old": _text(self.old),
            "new": _text(self.new),
            "attempt_old": _text(self.attempt_old),
            "attempt_new": _text(self.attempt_new),
            "questions": self.questions,
        }


def _text(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _check(question: Question, to_version: QuestionVersion) -> None:
    if to_version.question_id != question.pk:
        raise ValueError(f"version {to_version.pk} is not a version of question {question.pk}")


def graded_slots(question: Question, to_version: QuestionVersion) -> QuerySet[AttemptQuestion]:
    """The question's graded answers that showed a version older than ``to_version``."""
    submitted = Q(attempt__finished_at__isnull=False)
    answered_in_practice = Q(attempt__mode=Mode.PRACTICE, answered_at__isnull=False)
    return (
        AttemptQuestion.objects.filter(question=question, version__number__lt=to_version.number)
        .filter(submitted | answered_in_practice)
        .select_related("attempt__user", "version")
        .order_by("attempt__started_at", "attempt_id")
    )


def _plan(slots: Sequence[AttemptQuestion], to_version: QuestionVersion) -> list[Change]:
    totals = {
        row["attempt_id"]: (row["marks"] or ZERO, row["questions"])
        for row in AttemptQuestion.objects.filter(attempt_id__in={slot.attempt_id for slot in slots})
        .values("attempt_id")
        .annotate(marks=Sum("fraction"), questions=Count("pk"))
    }
    key = to_version.content
    changes = []
    for slot in slots:
        old = stored(slot.fraction if slot.fraction is not None else ZERO)
        result = remark(shown=slot.version.content, key=key, selected=slot.selected or [], policy=slot.attempt.policy, old=old)
        if result.fraction == old and not result.not_regraded:
            continue
        marks, questions = totals[slot.attempt_id]
        user = slot.attempt.user
        changes.append(
            Change(
                slot_id=slot.pk,
                attempt_id=slot.attempt_id,
                user_id=user.pk,
                learner=user.get_full_name() or user.username,
                mode=slot.attempt.get_mode_display(),
                when=slot.attempt.finished_at or slot.answered_at or slot.attempt.started_at,
                version=slot.version.number,
                old=old,
                new=result.fraction,
                attempt_old=marks,
                attempt_new=marks - old + result.fraction,
                questions=questions,
                not_regraded=result.not_regraded,
            )
        )
    return changes


def dry_run(*, question: Question, to_version: QuestionVersion) -> list[Change]:
    """What :func:`apply` would do now: each graded answer whose mark ``to_version``'s key changes
    (old → new, with the attempt's total), and each it cannot re-mark (``not_regraded`` says why),
    oldest attempt first. Answers whose mark stays are not listed. Writes nothing."""
    _check(question, to_version)
    return _plan(list(graded_slots(question, to_version)), to_version)


def digest(changes: Sequence[Change]) -> str:
    """A short fingerprint of what a dry run would re-mark: a confirmation form carries it, so an
    apply whose list changed since the page was read (another attempt finished) is shown again
    rather than applied unseen."""
    marks = [(c.slot_id, _text(c.old), _text(c.new)) for c in changes if c.regraded]
    return hashlib.sha256(json.dumps(marks).encode()).hexdigest()[:32]


def history(question: Question) -> QuerySet[Regrade]:
    """The question's applied regrades, newest first."""
    return Regrade.objects.filter(question=question).select_related("by", "from_version", "to_version").order_by("-at", "-pk")


@transaction.atomic
def apply(*, question: Question, to_version: QuestionVersion, by: User, now: datetime) -> Regrade:
    """Re-mark every answer :func:`dry_run` lists as regraded, and record it in a :class:`Regrade`
    row (``changes``: one record per answer, see :meth:`Change.as_json`; ``from_version``: the
    newest version among the re-marked answers').

    The question's row is locked first, so two regrades of one question run one after the other
    and the second finds the first's marks; the slots are locked while they are re-marked. Raises
    :class:`NothingToRegrade` (and writes nothing) when no mark would change, as on a second apply.
    """
    _check(question, to_version)
    Question.objects.select_for_update().filter(pk=question.pk).first()
    slots = list(graded_slots(question, to_version).select_for_update(of=("self",)))
    changes = [change for change in _plan(slots, to_version) if change.regraded]
    if not changes:
        raise NothingToRegrade(f"Nothing to regrade: every answer that can be re-marked already has version {to_version.number}'s mark.")
    by_id = {slot.pk: slot for slot in slots}
    changed = []
    for change in changes:
        slot = by_id[change.slot_id]
        slot.fraction = change.new
        changed.append(slot)
    AttemptQuestion.objects.bulk_update(changed, ["fraction"])
    from_version = max((slot.version for slot in changed), key=lambda version: version.number)
    return Regrade.objects.create(
        question=question, from_version=from_version, to_version=to_version, by=by, at=now, changes=[c.as_json() for c in changes]
    )
