"""Import and export of the question bank: parsed files in, questions written through
:mod:`studyapp.questions.services`; the bank out, written by the formats' ``dump``.

:func:`import_questions` takes a parser's :class:`~studyapp.questions.formats.gift.ParseResult` and
decides, for every question in it, one :class:`Action`: create it; revise it (a question with the same
idnumber already exists in the same category: a new version, never a duplicate); leave it unchanged
(the same wording and tags are already there); skip it (essays and descriptions, which studyapp does
not ask); or refuse it, with a message (the author may not write in its category, the existing
question comes from the course notes, its id is used twice in the file, a field is too long). A dry
run decides the same and writes nothing; otherwise each question is written whole or not at all (its
own savepoint), and imported questions are drafts unless the caller says otherwise.

:data:`FORMATS` is the one table of the formats the importer and exporter know: the command line
and the browser read it.
"""

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import DatabaseError, transaction
from django.db.models import Q

from studyapp.accounts.models import User
from studyapp.content.parsing.markup import clean_html
from studyapp.content.parsing.questions import rendered
from studyapp.content.parsing.types import DOMAINS
from studyapp.core import versions
from studyapp.questions import services as bank
from studyapp.questions.content import Kind, QuestionContent
from studyapp.questions.formats import gift
from studyapp.questions.formats.gift import GiftError, ParseResult
from studyapp.questions.models import CATEGORY_ROOT, Question, Status

from .access import from_content, may_edit_category
from .formats import aiken, moodle_xml

__all__ = [
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "Action",
    "Export",
    "Format",
    "ImportItem",
    "ImportReport",
    "Skipped",
    "UnusableFile",
    "bank_categories",
    "decode",
    "export_questions",
    "import_questions",
    "normal_category",
    "parse",
]

MAX_IMPORT_BYTES = 2 * 1024 * 1024
"""The largest file the importer reads (command line and browser): 2 MB, some 5,000 questions of GIFT."""

_CATEGORY_MAX = Question._meta.get_field("category").max_length or 500
_KEY_MAX = Question._meta.get_field("source_key").max_length or 200
_UNSUPPORTED = {  # the words of formats.interchange, which lists them in --json
    Kind.ESSAY: "essay questions are not supported; skipped",
    Kind.DESCRIPTION: "description questions (text with no answers) are not supported; skipped",
}


# --- the formats -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Format:
    """A file format: how to read it, how to write it, and what a download of it is called.

    ``unsupported(question)`` says why a question cannot be written in the format (None when it can);
    formats without one are asked by writing the question alone (``dump`` raises ``ValueError``).
    """

    key: str
    label: str
    parse: Callable[[str], ParseResult]
    dump: Callable[[Iterable[gift.Question]], str]
    extension: str
    content_type: str
    unsupported: Callable[[gift.Question], str | None] | None = None
    unusable: Callable[[ParseResult], str] | None = None
    """A parse result that means the file is not this format at all: the message, else ""."""


def _parse_gift(text: str) -> ParseResult:
    return gift.parse(text)


def _parse_aiken(text: str) -> ParseResult:
    return aiken.parse(text)


def _parse_moodle_xml(text: str) -> ParseResult:
    return moodle_xml.parse(text)


_NOT_XML = ("not well-formed XML", "the file ", "the root element ")


def _not_moodle_xml(result: ParseResult) -> str:
    """moodle_xml reports a file that is not XML (or not a question file) as its only error, nameless."""
    if not result.questions and len(result.errors) == 1 and not result.errors[0].name:
        error = result.errors[0]
        if error.message.startswith(_NOT_XML):
            return f"line {error.line}: {error.message}"
    return ""


FORMATS: dict[str, Format] = {
    "gift": Format(key="gift", label="GIFT", parse=_parse_gift, dump=gift.dump, extension="gift.txt", content_type="text/plain"),
    "aiken": Format(
        key="aiken",
        label="Aiken",
        parse=_parse_aiken,
        dump=aiken.dump,
        extension="aiken.txt",
        content_type="text/plain",
        unsupported=aiken.unsupported,
    ),
    "moodlexml": Format(
        key="moodlexml",
        label="Moodle XML",
        parse=_parse_moodle_xml,
        dump=moodle_xml.dump,
        extension="xml",
        content_type="application/xml",
        unsupported=moodle_xml.unsupported,
        unusable=_not_moodle_xml,
    ),
}
"""The formats by their command-line name (``--format``), in the order the pages offer them."""


# --- import ------------------------------------------------------------------------------------------


class UnusableFile(ValueError):
    """A file the importer cannot read at all (too big, not UTF-8, not the format): the message says which."""


def decode(data: bytes) -> str:
    """An uploaded file's text: at most :data:`MAX_IMPORT_BYTES` of UTF-8 (a byte order mark is
    allowed). Raises :class:`UnusableFile` for a file that is too big or not UTF-8."""
    if len(data) > MAX_IMPORT_BYTES:
        raise UnusableFile(f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB: split it into smaller files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnusableFile(f"the file is not UTF-8 text (byte {error.start + 1} cannot be read): save it as UTF-8 and try again") from None


def parse(text: str, *, fmt: str) -> ParseResult:
    """Parse ``text`` as ``fmt`` (a key of :data:`FORMATS`). Raises :class:`UnusableFile` when the
    text is not that format at all (its ``parse`` raises ``ValueError``: XML that is not XML)."""
    chosen = FORMATS[fmt]
    try:
        result = chosen.parse(text)
    except ValueError as error:
        raise UnusableFile(f"the file cannot be read as {chosen.label}: {error}") from None
    problem = chosen.unusable(result) if chosen.unusable is not None else ""
    if problem:
        raise UnusableFile(f"the file cannot be read as {chosen.label} ({problem})")
    return result


class Action(StrEnum):
    CREATE = "create"
    REVISE = "revise"
    UNCHANGED = "unchanged"
    SKIP = "skip"
    REFUSE = "refuse"


_DONE = {
    Action.CREATE: ("created", "will be created"),
    Action.REVISE: ("revised", "will be revised"),
    Action.UNCHANGED: ("unchanged", "unchanged"),
    Action.SKIP: ("skipped", "will be skipped"),
    Action.REFUSE: ("refused", "refused"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportItem:
    """What the import did (or, in a dry run, would do) with the question written at ``line``.

    ``question_id`` is the question created or revised (None in a dry run for a new one, and for
    skipped and refused questions); ``message`` says why a question was skipped or refused, or what
    a revision changes."""

    line: int
    name: str
    kind: str
    category: str
    idnumber: str | None
    action: Action
    message: str = ""
    question_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportReport:
    """Every question of the file with its :class:`ImportItem`, in file order, and the parser's errors
    (blocks that are not questions at all)."""

    items: tuple[ImportItem, ...]
    errors: tuple[GiftError, ...]
    dry_run: bool

    def of(self, action: Action) -> tuple[ImportItem, ...]:
        return tuple(item for item in self.items if item.action is action)

    @property
    def refusals(self) -> tuple[GiftError, ...]:
        """The importer's own refusals and skips, as errors (line, name, message)."""
        return tuple(
            GiftError(line=item.line, name=item.name, message=item.message)
            for item in self.items
            if item.action in (Action.REFUSE, Action.SKIP)
        )

    @property
    def all_errors(self) -> tuple[GiftError, ...]:
        """The parser's errors and the importer's refusals, by line."""
        return tuple(sorted(self.errors + self.refusals, key=lambda error: error.line))

    @property
    def exit_status(self) -> int:
        """0 when every question of the file was imported (or already was), 1 when any was not."""
        return 1 if self.all_errors else 0

    def summary(self) -> str:
        """``3 created, 1 revised, 1 refused`` (``will be created`` ... in a dry run)."""
        counts = [(action, len(self.of(action))) for action in Action]
        parts = [f"{count} {_DONE[action][1 if self.dry_run else 0]}" for action, count in counts if count]
        if self.errors:
            parts.append(f"{len(self.errors)} not readable")
        return ", ".join(parts) or "no questions"


def normal_category(path: str, *, default: str | None = None) -> str:
    """The bank's path for a category a file names: ``$course$/top/...`` as it is; Moodle's other
    contexts (``$system$/top/...``, ``$module$/top/...``) become the course's; a relative path
    (``Unit 1/Lambda``) goes below ``default`` (the course's top by default); "" is ``default``.
    Empty steps and surrounding spaces are dropped."""
    base = normal_category(default) if default else CATEGORY_ROOT
    path = path.strip()
    if path.startswith("$") and "$/" in path[1:]:
        context, rest = path[1:].split("$/", 1)
        if context.isidentifier():
            steps = _steps(rest)
            if steps == "top" or steps.startswith("top/"):
                return "$course$/" + steps
            return f"{CATEGORY_ROOT}/{steps}" if steps else CATEGORY_ROOT
    steps = _steps(path)
    return f"{base}/{steps}" if steps else base


def _steps(path: str) -> str:
    return "/".join(step.strip() for step in path.split("/") if step.strip())


@dataclass(frozen=True, slots=True, kw_only=True)
class _Plan:
    parsed: gift.Question
    item: ImportItem
    content: QuestionContent
    existing: Question | None = None


def import_questions(
    *,
    result: ParseResult,
    by: User | None,
    now: datetime,
    default_category: str | None,
    dry_run: bool,
    status: Status = Status.DRAFT,
) -> ImportReport:
    """Import the questions of a parsed file; see the module's docstring for what happens to each.

    ``by`` is the author (None for the command line, which may write in any category; an author may
    write only in :func:`~studyapp.authoring.access.may_edit_category`'s categories). A question's
    category is the file's (``$CATEGORY:``), else ``default_category``, else the course's top
    (:func:`normal_category`). New questions get ``status`` (a draft unless told otherwise); a revised
    one keeps its own. Texts are rendered (Markdown, raw HTML off, cleaned with nh3) before they are
    stored. Existing questions are read in a few queries for the whole file, not one per question.
    """
    plans = _plan(result, by=by, default_category=default_category)
    if dry_run:
        return ImportReport(items=tuple(plan.item for plan in plans), errors=result.errors, dry_run=True)
    with transaction.atomic():
        done = _create_new(plans, by=by, now=now, status=status) | _revise(plans, by=by, now=now)
        items = [done.get(index) or _write(plan, by=by, now=now, status=status) for index, plan in enumerate(plans)]
        revised_published = any(
            item.action is Action.REVISE and plan.existing is not None and plan.existing.status == Status.PUBLISHED
            for item, plan in zip(items, plans, strict=True)
        )
        if revised_published or (status == Status.PUBLISHED and any(item.action is Action.CREATE for item in items)):
            versions.bump("content")  # published wording may have changed: cached pages must not show the old one
    return ImportReport(items=tuple(items), errors=result.errors, dry_run=False)


def _plan(result: ParseResult, *, by: User | None, default_category: str | None) -> list[_Plan]:
    categories = [normal_category(question.category, default=default_category) for question in result.questions]
    existing = _existing(zip(categories, (question.id for question in result.questions), strict=True))
    allowed: dict[str, bool] = {}
    seen: dict[tuple[str, str], int] = {}
    plans: list[_Plan] = []
    for question, category in zip(result.questions, categories, strict=True):
        content = question.content
        item = ImportItem(
            line=question.line,
            name=content.name or _first_words(content.stem),
            kind=str(content.kind),
            category=category,
            idnumber=question.id,
            action=Action.CREATE,
        )
        found = existing.get((category, question.id)) if question.id else None
        refusal = _refusal(question, category, found, by=by, allowed=allowed, seen=seen)
        if content.kind in _UNSUPPORTED:
            item = dataclasses.replace(item, action=Action.SKIP, message=_UNSUPPORTED[content.kind])
        elif refusal:
            item = dataclasses.replace(item, action=Action.REFUSE, message=refusal)
        if question.id:
            seen.setdefault((category, question.id), question.line)
        if item.action is not Action.CREATE:
            plans.append(_Plan(parsed=question, item=item, content=content))
            continue
        content = _rendered(question)
        if found is not None:
            assert found.current_version is not None
            same_text = found.current_version.checksum == content.checksum
            same_tags = list(found.tags) == list(question.tags)
            if same_text and same_tags:
                action, message = Action.UNCHANGED, f"already in the bank as question {found.pk}, worded the same"
            elif same_text:
                action, message = Action.REVISE, f"question {found.pk} has this id: its tags change"
            else:
                action, message = Action.REVISE, f"question {found.pk} has this id: it gets a new version"
            item = dataclasses.replace(item, action=action, question_id=found.pk, message=message)
        plans.append(_Plan(parsed=question, item=item, content=content, existing=found))
    return plans


def _refusal(
    question: gift.Question,
    category: str,
    found: Question | None,
    *,
    by: User | None,
    allowed: dict[str, bool],
    seen: dict[tuple[str, str], int],
) -> str:
    """Why the question may not be imported, or ""."""
    if len(category) > _CATEGORY_MAX:
        return f"the category path is longer than {_CATEGORY_MAX} characters"
    if question.id and len(question.id) > _KEY_MAX:
        return f"the id is longer than {_KEY_MAX} characters"
    if by is not None:
        if category not in allowed:
            allowed[category] = may_edit_category(by, category)
        if not allowed[category]:
            return f"you may not add questions to the category {category!r}: ask its owner to give it to you"
    if question.id and (category, question.id) in seen:
        return f"the id {question.id!r} is used twice in this category (first on line {seen[category, question.id]})"
    if found is not None and from_content(found):
        return f"question {found.pk} with this id comes from the course notes and is read-only there"
    if found is not None and found.current_version is None:
        return f"question {found.pk} with this id has no version to revise"
    return ""


def _existing(keys: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str], Question]:
    """The bank's questions with these (category, id) pairs: a query per category and 500 ids."""
    wanted: dict[str, set[str]] = {}
    for category, key in keys:
        if key:
            wanted.setdefault(category, set()).add(key)
    found: dict[tuple[str, str], Question] = {}
    for category, ids in wanted.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            rows = Question.objects.filter(category=category, source_key__in=ordered[start : start + 500]).select_related(
                "current_version", "placement"
            )
            found.update(((row.category, row.source_key), row) for row in rows)
    return found


_BATCH = 500  # new questions written together: a failing batch is written again one question at a time


def _create_new(plans: Sequence[_Plan], *, by: User | None, now: datetime, status: Status) -> dict[int, ImportItem]:
    """The new questions, written in batches through ``create_questions`` (a savepoint and three
    queries per batch instead of five queries per question); the items written, by their place in
    ``plans``. A batch that fails is left out here, and :func:`_write` takes its questions one by one."""
    new = [index for index, plan in enumerate(plans) if plan.item.action is Action.CREATE and plan.existing is None]
    written: dict[int, ImportItem] = {}
    for start in range(0, len(new), _BATCH):
        batch = new[start : start + _BATCH]
        try:
            questions = bank.create_questions(items=[_new_question(plans[index], status=status) for index in batch], by=by, now=now)
        except DatabaseError:  # an id taken meanwhile: its batch goes one by one, so only that question is refused
            continue
        for index, question in zip(batch, questions, strict=True):
            written[index] = dataclasses.replace(plans[index].item, question_id=question.pk)
    return written


def _revise(plans: Sequence[_Plan], *, by: User | None, now: datetime) -> dict[int, ImportItem]:
    """The revisions, in batches through ``add_versions`` (and ``update_details`` where tags change),
    as :func:`_create_new` does for new questions."""
    revised = [index for index, plan in enumerate(plans) if plan.item.action is Action.REVISE and plan.existing is not None]
    written: dict[int, ImportItem] = {}
    for start in range(0, len(revised), _BATCH):
        batch = revised[start : start + _BATCH]
        pairs: list[tuple[Question, QuestionContent]] = []
        for index in batch:
            existing = plans[index].existing
            assert existing is not None
            pairs.append((existing, plans[index].content))
        try:
            with transaction.atomic():
                bank.add_versions(changes=pairs, by=by, now=now)
                for (existing, _), index in zip(pairs, batch, strict=True):
                    bank.update_details(question=existing, tags=plans[index].parsed.tags)
        except DatabaseError:
            continue
        written.update((index, plans[index].item) for index in batch)
    return written


def _new_question(plan: _Plan, *, status: Status) -> bank.NewQuestion:
    question = plan.parsed
    return bank.NewQuestion(
        content=plan.content,
        source_key=question.id or "",
        category=plan.item.category,
        domain=_domain(question.tags),
        tags=question.tags,
        status=status,
    )


def _write(plan: _Plan, *, by: User | None, now: datetime, status: Status) -> ImportItem:
    """Write one planned question: whole or not at all."""
    item, question = plan.item, plan.parsed
    if item.action not in (Action.CREATE, Action.REVISE):
        return item
    try:
        if plan.existing is None:
            # create_question is atomic itself: its savepoint makes the question whole or absent.
            new = _new_question(plan, status=status)
            created = bank.create_question(
                content=new.content,
                by=by,
                now=now,
                source_key=new.source_key,
                category=new.category,
                domain=new.domain,
                tags=new.tags,
                status=new.status,
            )
            return dataclasses.replace(item, question_id=created.pk)
        with transaction.atomic():
            bank.add_version(question=plan.existing, content=plan.content, by=by, now=now)
            bank.update_details(question=plan.existing, tags=question.tags)
        return item
    except DatabaseError as error:  # a race with another writer (the same id just created): refuse, keep the others
        return dataclasses.replace(
            item, action=Action.REFUSE, question_id=None, message=f"could not be saved ({error.__class__.__name__}); import it again"
        )


def _rendered(question: gift.Question) -> QuestionContent:
    """The content with its HTML filled. Texts are Markdown, rendered with raw HTML off and cleaned
    with nh3 (the course's :func:`~studyapp.content.parsing.questions.rendered`); a text that says it
    is HTML (GIFT's ``[html]``, Moodle XML's usual ``format="html"``) is cleaned as HTML, with the
    allowlist typed text gets (:func:`~studyapp.content.parsing.markup.clean_html`)."""
    content = question.content
    if question.text_format != "html":
        return rendered(content)
    return dataclasses.replace(
        content,
        stem_html=clean_html(content.stem),
        choices=tuple(
            dataclasses.replace(choice, html=clean_html(choice.text), feedback_html=clean_html(choice.feedback) if choice.feedback else "")
            for choice in content.choices
        ),
        explanation_html=clean_html(content.explanation),
    )


def _domain(tags: Sequence[str]) -> str:
    return next((tag for tag in tags if tag in DOMAINS), "")


def _first_words(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= 40 else words[:39].rstrip() + "…"


# --- export ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A question an export left out, and why."""

    question_id: int
    name: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Export:
    text: str
    skipped: tuple[Skipped, ...]
    count: int
    """How many questions ``text`` holds."""


def export_questions(*, category: str | None, fmt: str, ids: Sequence[int] = ()) -> Export:
    """The bank's questions in ``category`` and below (all of them for None; only ``ids`` when given,
    the questions ticked in the bank), latest versions, in category then id order, written as ``fmt``
    (a key of :data:`FORMATS`). Retired questions are left out; so is every question the format
    cannot hold, each listed in ``skipped``."""
    chosen = FORMATS[fmt]
    rows = Question.objects.filter(current_version__isnull=False).exclude(status=Status.RETIRED).select_related("current_version")
    if category is not None:
        path = category.rstrip("/")
        rows = rows.filter(Q(category=path) | Q(category__startswith=path + "/"))
    if ids:
        rows = rows.filter(pk__in=list(ids))
    written: list[gift.Question] = []
    skipped: list[Skipped] = []
    for row in rows.order_by("category", "id"):
        question = _as_parsed(row)
        reason = _cannot_write(chosen, question)
        if reason:
            skipped.append(Skipped(question_id=row.pk, name=row.content.name or _first_words(row.content.stem), reason=reason))
        else:
            written.append(question)
    return Export(text=chosen.dump(written), skipped=tuple(skipped), count=len(written))


def _as_parsed(row: Question) -> gift.Question:
    """A bank row as the formats' question value (its texts, not its HTML)."""
    content = row.content
    plain = dataclasses.replace(
        content,
        stem_html="",
        explanation_html="",
        choices=tuple(dataclasses.replace(choice, html="", feedback_html="") for choice in content.choices),
    )
    return gift.Question(line=0, id=row.source_key or None, tags=tuple(row.tags), category=row.category, content=plain)


def _cannot_write(chosen: Format, question: gift.Question) -> str:
    if chosen.unsupported is not None:
        return chosen.unsupported(question) or ""
    try:
        chosen.dump([question])
    except ValueError as error:
        return str(error)
    return ""


def bank_categories() -> list[str]:
    """Every category that holds a question export would write (not retired), in order."""
    rows = Question.objects.exclude(status=Status.RETIRED).filter(current_version__isnull=False)
    return sorted(set(rows.values_list("category", flat=True).distinct()))
