"""Every write to the question bank. Verb-named, keyword-only, atomic; the question's row is locked
while a version is added or its status changes, so two writers never take the same version number.

Callers: :mod:`studyapp.content.sync` (questions written in the notes) and, later, authoring.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Max

from studyapp.accounts.models import User

from .content import QuestionContent
from .models import CATEGORY_ROOT, Question, QuestionVersion, Status


class NotPublishable(ValueError):
    """A question without a version cannot be published."""


@transaction.atomic
def create_question(
    *,
    content: QuestionContent,
    by: User | None,
    now: datetime,
    source_key: str = "",
    category: str = CATEGORY_ROOT,
    domain: str = "",
    tags: Sequence[str] = (),
    status: Status = Status.DRAFT,
) -> Question:
    """A new question with ``content`` as version 1. Drafts (the default) reach no learner."""
    question = Question.objects.create(
        source_key=source_key,
        category=category,
        domain=domain,
        tags=list(tags),
        status=status,
        author=by,
        kind=content.kind,
        option_count=len(content.choices),
    )
    _write_version(question, content, content.checksum, number=1, by=by, now=now)
    return question


@transaction.atomic
def add_version(*, question: Question, content: QuestionContent, by: User | None, now: datetime) -> QuestionVersion:
    """Make ``content`` the question's current wording, as version ``Max(number) + 1``.

    Content equal to the current version's writes nothing and returns that version (a double
    submit or an unchanged reload adds no version). Earlier versions are never changed: attempts
    and reviews keep pointing at the one they showed.
    """
    # Lock the row alone, then read its current version: PostgreSQL re-reads a locked row after a
    # wait but not the rows joined to it, so a joined version could be the one before the wait.
    locked = Question.objects.select_for_update().get(pk=question.pk)
    checksum = content.checksum
    current = None if locked.current_version_id is None else QuestionVersion.objects.get(pk=locked.current_version_id)
    if current is not None and current.checksum == checksum:
        return current
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _write_version(locked, content, checksum, number=number, by=by, now=now)
    question.current_version, question.kind, question.option_count = version, locked.kind, locked.option_count
    return version


def _write_version(
    question: Question, content: QuestionContent, checksum: str, *, number: int, by: User | None, now: datetime
) -> QuestionVersion:
    version = QuestionVersion.objects.create(
        question=question, number=number, data=content.to_json(), checksum=checksum, created_at=now, created_by=by
    )
    question.current_version, question.kind, question.option_count = version, content.kind, len(content.choices)
    question.save(update_fields=["current_version", "kind", "option_count"])
    return version


@transaction.atomic
def publish(*, question: Question) -> Question:
    """Let learners see the question (again, if it was retired)."""
    return _set_status(question, Status.PUBLISHED)


@transaction.atomic
def retire(*, question: Question) -> Question:
    """Take the question out of practice, mocks, search and the review queue. Nothing is deleted:
    attempts and reviews of it keep their history."""
    return _set_status(question, Status.RETIRED)


def retire_many(*, ids: Iterable[int]) -> int:
    """Retire several questions at once; returns how many were not retired already."""
    return Question.objects.filter(pk__in=list(ids)).exclude(status=Status.RETIRED).update(status=Status.RETIRED)


def _set_status(question: Question, status: Status) -> Question:
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if status == Status.PUBLISHED and locked.current_version_id is None:
        raise NotPublishable("a question needs a version before it can be published")
    if locked.status != status:
        locked.status = status
        locked.save(update_fields=["status"])
    question.status = status
    return question


def update_details(
    *,
    question: Question,
    source_key: str | None = None,
    category: str | None = None,
    domain: str | None = None,
    tags: Sequence[str] | None = None,
) -> bool:
    """Change what is said about a question (not its wording, which takes a version). True when
    anything changed; nothing is written otherwise (one UPDATE is atomic by itself, so an unchanged
    reload costs no savepoint per question)."""
    wanted = {"source_key": source_key, "category": category, "domain": domain, "tags": None if tags is None else list(tags)}
    changed = [name for name, value in wanted.items() if value is not None and getattr(question, name) != value]
    for name in changed:
        setattr(question, name, wanted[name])
    if changed:
        question.save(update_fields=changed)
    return bool(changed)
