"""The one door to an attempt: every view, partial and export that reads one comes through here.

In Zulip's shape (``zerver/lib/streams.py``'s ``access_stream_by_id``): a missing attempt and one the
user may not read raise the same ``Http404``, so ids cannot be probed. The owner may always read their
attempt. ``as_instructor=True`` also lets through the rules that apps above quizzes register (the
classroom app: an instructor of a class the learner is in), so the rule for "who teaches whom" lives
in that app while this stays the only door.
"""

from collections.abc import Callable

from django.http import Http404

from studyapp.accounts.models import User
from studyapp.content import cached
from studyapp.core import pagecache
from studyapp.core.prepared import Prepared

from .models import EXAM_MODES, Attempt, AttemptQuestion

InstructorRule = Callable[[User, Attempt], bool]

# The reads every screen of an attempt makes, compiled once (core.prepared).
ANY_ATTEMPT: Prepared[Attempt] = Prepared(lambda pk: Attempt.objects.filter(pk=pk))
EXAM_ATTEMPT: Prepared[Attempt] = Prepared(lambda pk: Attempt.objects.filter(pk=pk, mode__in=EXAM_MODES).select_related("quiz"))
SLOT: Prepared[AttemptQuestion] = Prepared(lambda attempt, position: AttemptQuestion.objects.filter(attempt_id=attempt, position=position))
_instructor_rules: list[InstructorRule] = []


def register_instructor_rule(rule: InstructorRule) -> None:
    """Let ``rule(user, attempt)`` grant read access to an attempt for ``as_instructor=True``.
    Called from an app's ``ready()``; registering the same rule twice keeps one."""
    if rule not in _instructor_rules:
        _instructor_rules.append(rule)


def access_attempt(user: User, attempt_id: int, *, as_instructor: bool = False, query: Prepared[Attempt] = ANY_ATTEMPT) -> Attempt:
    """The attempt ``attempt_id`` if ``user`` may read it, else ``Http404`` (the same for a missing one).

    ``query`` (one id in, at most one attempt out) narrows what counts as found (a mode, a
    ``select_related``); it never widens access.
    """
    try:
        attempt: Attempt | None = query.get(attempt_id)
    except Attempt.DoesNotExist:
        attempt = None
    if attempt is not None and user.is_authenticated:
        if attempt.user_id == user.pk:
            attempt.user = user  # the owner, already loaded: no join for the request that reads their own attempt
            return attempt
        if as_instructor and any(rule(user, attempt) for rule in _instructor_rules):
            return attempt
    raise Http404("No such attempt.")


def access_slot(user: User, attempt_id: int, position: int, *, as_instructor: bool = False) -> AttemptQuestion:
    """One question of an attempt the user may read, with what its screen shows; else ``Http404``."""
    return slot_of(access_attempt(user, attempt_id, as_instructor=as_instructor), position)


def slot_of(attempt: Attempt, position: int) -> AttemptQuestion:
    """Question ``position`` of an attempt already let through the door, else ``Http404``."""
    try:
        slot = SLOT.get(attempt.pk, position)
    except AttemptQuestion.DoesNotExist:
        raise Http404("No such question in this attempt.") from None
    slot.attempt = attempt
    return with_version(slot)


def size_of(attempt: Attempt) -> int:
    """How many questions ``attempt`` has. Its questions are written with it, in one transaction, and
    never added or taken away after: counted once, then kept (an id is never given twice)."""
    return pagecache.remember(f"attempt-size:{attempt.pk}", attempt.slots.count, version=None)


def with_version(slot: AttemptQuestion) -> AttemptQuestion:
    """``slot`` with the version it asks, from the cache (:mod:`studyapp.content.cached`: a version
    never changes once written) rather than joined into the slot's query."""
    slot.version = cached.version(slot.version_id)
    return slot


def with_question(slot: AttemptQuestion) -> AttemptQuestion:
    """``slot`` with its version, its question and the note that question comes from (a practice
    screen links to it), from the cache as :func:`with_version`."""
    slot.question = cached.question(slot.question_id)
    return with_version(slot)
