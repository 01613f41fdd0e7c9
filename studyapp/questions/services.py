"""Every write to the question bank. Verb-named, keyword-only, atomic; the question's row is locked
while a version is added or its status changes, so two writers never take the same version number.

Callers: :mod:`studyapp.content.sync` (questions written in the notes) and authoring.

Every write that changes a question bumps :data:`VERSION` (a ``core.Stamp``, :mod:`studyapp.core.versions`)
in the same transaction: what is cached from the whole bank (the authors' category tree and tags,
:func:`studyapp.authoring.bank.summary`, the bank's page) is keyed by it, so it is never shown stale.
The makers of assignments' quizzes and live games call :func:`record_new_use` likewise.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery

from studyapp.accounts.models import User
from studyapp.core import versions

from .content import QuestionContent
from .models import CATEGORY_ROOT, Question, QuestionVersion, Status

VERSION = "questions"
"""The bank's version (``core.versions``): new whenever a question is created or changed."""


USES_VERSION = "question-uses"
"""Where questions are used besides practice (``core.versions``): new whenever an assignment's quiz
or a live game is made (the bank's "where used" column and filter)."""


def _changed() -> None:
    versions.bump(VERSION)


def record_new_use() -> None:
    """An assignment's quiz or a live game now draws questions: call inside the transaction that
    makes it, so the pages showing where questions are used are built afresh."""
    versions.bump(USES_VERSION)


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
    _changed()
    return question


@dataclass(frozen=True, slots=True, kw_only=True)
class NewQuestion:
    """One question for :func:`create_questions`: what :func:`create_question` takes besides the author and the clock."""

    content: QuestionContent
    source_key: str = ""
    category: str = CATEGORY_ROOT
    domain: str = ""
    tags: Sequence[str] = ()
    status: Status = Status.DRAFT


@transaction.atomic
def create_questions(*, items: Sequence[NewQuestion], by: User | None, now: datetime) -> list[Question]:
    """Several new questions at once (an import), each as :func:`create_question` makes it, in three
    queries a 500 (insert the questions, insert their versions, point the questions at them).
    All or nothing: any failure (an id already taken in its category) raises and writes none of them;
    a caller that wants the others retries them one by one."""
    questions = Question.objects.bulk_create(
        Question(
            source_key=item.source_key,
            category=item.category,
            domain=item.domain,
            tags=list(item.tags),
            status=item.status,
            author=by,
            kind=item.content.kind,
            option_count=len(item.content.choices),
        )
        for item in items
    )
    made = QuestionVersion.objects.bulk_create(
        QuestionVersion(
            question=question, number=1, data=item.content.to_json(), checksum=item.content.checksum, created_at=now, created_by=by
        )
        for question, item in zip(questions, items, strict=True)
    )
    for question, version in zip(questions, made, strict=True):
        question.current_version = version
    _point_at_newest([question.pk for question in questions])
    if questions:
        _changed()
    return questions


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
    _changed()
    return version


@transaction.atomic
def add_versions(*, changes: Sequence[tuple[Question, QuestionContent]], by: User | None, now: datetime) -> list[QuestionVersion]:
    """:func:`add_version` for several questions at once (an import revising what it wrote before), in
    a handful of queries for them all: lock the rows (in id order, so two such calls cannot deadlock),
    read their current versions and their highest numbers, insert the new versions, point the
    questions at them (and change the kind and option count of those whose shape changed). The same rules: content equal to a question's current version writes nothing for it (that
    version is returned in its place); numbers are ``Max(number) + 1``. A question may appear once."""
    ids = [question.pk for question, _ in changes]
    if len(set(ids)) != len(ids):
        raise ValueError("add_versions takes each question once")
    locked = {row.pk: row for row in Question.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    current = QuestionVersion.objects.in_bulk([row.current_version_id for row in locked.values() if row.current_version_id is not None])
    highest = dict(
        QuestionVersion.objects.filter(question_id__in=ids).values("question_id").annotate(n=Max("number")).values_list("question_id", "n")
    )
    result: list[QuestionVersion | None] = []
    new: list[QuestionVersion] = []
    for question, content in changes:
        row = locked[question.pk]
        checksum = content.checksum
        version = current.get(row.current_version_id) if row.current_version_id is not None else None
        if version is not None and version.checksum == checksum:
            result.append(version)
            continue
        new.append(
            QuestionVersion(
                question=row,
                number=(highest.get(row.pk) or 0) + 1,
                data=content.to_json(),
                checksum=checksum,
                created_at=now,
                created_by=by,
            )
        )
        result.append(None)
    written = iter(QuestionVersion.objects.bulk_create(new, batch_size=500))
    written_versions: list[QuestionVersion] = []
    changed: list[int] = []
    shapes: dict[tuple[str, int], list[int]] = {}  # (kind, option count) -> questions whose shape changes to it
    for (question, content), kept in zip(changes, result, strict=True):
        if kept is not None:
            written_versions.append(kept)
            continue
        version = next(written)
        row = locked[question.pk]
        shape = (str(content.kind), len(content.choices))
        if (row.kind, row.option_count) != shape:
            shapes.setdefault(shape, []).append(row.pk)
        for target in (row, question):
            target.current_version, target.kind, target.option_count = version, content.kind, len(content.choices)
        changed.append(row.pk)
        written_versions.append(version)
    _point_at_newest(changed)
    for (kind, option_count), pks in shapes.items():
        Question.objects.filter(pk__in=pks).update(kind=kind, option_count=option_count)
    if changed:
        _changed()
    return written_versions


def _point_at_newest(ids: Sequence[int]) -> None:
    """Point each question at its highest-numbered version (the one its caller just wrote), an UPDATE
    per 500: bulk_update's CASE per row costs far more to build than the subquery costs to run."""
    newest = QuestionVersion.objects.filter(question=OuterRef("pk")).order_by("-number").values("pk")[:1]
    for start in range(0, len(ids), 500):
        Question.objects.filter(pk__in=ids[start : start + 500]).update(current_version=Subquery(newest))


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


@transaction.atomic
def retire_many(*, ids: Iterable[int]) -> int:
    """Retire several questions at once; returns how many were not retired already."""
    retired = Question.objects.filter(pk__in=list(ids)).exclude(status=Status.RETIRED).update(status=Status.RETIRED)
    if retired:
        _changed()
    return retired


def _set_status(question: Question, status: Status) -> Question:
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if status == Status.PUBLISHED and locked.current_version_id is None:
        raise NotPublishable("a question needs a version before it can be published")
    if locked.status != status:
        locked.status = status
        locked.save(update_fields=["status"])
        _changed()
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
    anything changed; nothing is written otherwise (so an unchanged reload costs no savepoint per
    question)."""
    wanted = {"source_key": source_key, "category": category, "domain": domain, "tags": None if tags is None else list(tags)}
    changed = [name for name, value in wanted.items() if value is not None and getattr(question, name) != value]
    for name in changed:
        setattr(question, name, wanted[name])
    if changed:
        with transaction.atomic():
            question.save(update_fields=changed)
            _changed()
    return bool(changed)
