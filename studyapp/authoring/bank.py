"""The question bank as an author sees it: the category tree, tags, the filtered list with where each
question is used, and the bulk changes (tag, move, publish, retire) and category changes.

Reads start from the author (:func:`summary`, :func:`browse`, :func:`page_rows`); the whole page is
four queries whatever the bank's size (the summary, the count, the page's rows, where they are used),
the author's row aside (``tests/authoring/test_bank.py``); the summary's counts over the whole bank
come from the cache until a question is written. Writes are verb-named, keyword-only and
atomic; they change questions only through :mod:`studyapp.questions.services`, and only the ones the
author may edit (:mod:`.access`'s rules: not from ``content/``, in a category they own or were given);
the others come back as skipped, with the reason.

Live games and assignments sit in apps of the same layer as this one, so they are read here by ORM
lookups by name (``live_slots__game__title``, ``assignment__title``), never by importing them.
"""

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Concat, Substr
from django.db.models.lookups import Contains

from studyapp.accounts.models import User
from studyapp.content.parsing.types import BEYOND_EXAM
from studyapp.core import pagecache, versions
from studyapp.questions import services
from studyapp.questions.models import CATEGORY_ROOT, Question, Status
from studyapp.quizzes.models import Quiz, Selection

from .models import Category, CategoryGrant

PAGE_SIZE = 50
MAX_BULK = 500
MAX_SKIPPED_NAMED = 10  # a message names this many skipped questions, then counts the rest
STEM_CHARS = 160
_SEGMENT = re.compile(r"[^\x00-\x1f\x7f/]{1,100}")


CATEGORIES_VERSION = "bank-categories"
"""The categories and their grants (``core.versions``): new whenever one is created or given; the
bank's page is kept in the cache under it (with the questions' versions)."""


class BankError(ValueError):
    """A bulk or category change refused as a whole (the message says why, for the author)."""


# --- reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """A category of the tree: ``own`` questions in it, ``total`` in it and below."""

    path: str
    name: str
    depth: int
    own: int
    total: int
    editable: bool
    children: list["Node"] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """What the page shows beside the list: the tree, the tags (name, count, by count then name), the
    categories the author may edit (the move and create forms' choices) and those they own (the grant
    form's)."""

    tree: list[Node]
    tags: list[tuple[str, int]]
    editable: list[str]
    owned: list[str]
    is_superuser: bool

    def may_edit(self, path: str) -> bool:
        return may_edit(path, self.editable, is_superuser=self.is_superuser)


def may_edit(path: str, roots: Iterable[str], *, is_superuser: bool = False) -> bool:
    """:func:`.access.may_edit_category` with the author's categories already read."""
    return is_superuser or any(path == root or path.startswith(root + "/") for root in roots)


def _summary_sql(*, counts: bool) -> str:
    q, c, g = Question._meta.db_table, Category._meta.db_table, CategoryGrant._meta.db_table
    rights = (
        f"SELECT 'k', path, CASE WHEN owner_id = %s THEN 2 WHEN EXISTS "
        f"(SELECT 1 FROM {g} WHERE {g}.category_id = {c}.id AND {g}.user_id = %s) THEN 1 ELSE 0 END FROM {c}"
    )
    if not counts:
        return rights
    if connection.vendor == "postgresql":
        tags = f"SELECT 't', j.value, COUNT(*) FROM {q} CROSS JOIN LATERAL jsonb_array_elements_text({q}.tags) AS j(value) GROUP BY j.value"
    else:
        tags = f"SELECT 't', j.value, COUNT(*) FROM {q}, json_each({q}.tags) AS j GROUP BY j.value"
    return f"SELECT 'c', category, COUNT(*) FROM {q} GROUP BY category UNION ALL {tags} UNION ALL {rights}"


def summary(user: User, *, counts: bool = True) -> Summary:
    """The tree, tags and the author's categories. The counts (questions per category and per tag) are
    the same for every author: they are kept in the cache until a question is written
    (:data:`studyapp.questions.services.VERSION`), and read, when they are not there, in the same
    query as the author's categories (a UNION of three GROUP BYs). What is the author's own (the
    categories they may edit or own, and so each node's ``editable``) is read each time, in one query
    of the small category tables. ``counts=False``: the author's categories only, for the list alone;
    the tree and tags are then empty."""
    rights: dict[str, int] = {}
    queried: list[bool] = []  # whether ``rights`` was read (with the counts, on a miss)

    def read(with_counts: bool) -> tuple[dict[str, int], list[tuple[str, int]]]:
        found: dict[str, int] = {}
        tags: list[tuple[str, int]] = []
        with connection.cursor() as cursor:
            cursor.execute(_summary_sql(counts=with_counts), [user.pk, user.pk])
            for kind, key, number in cursor.fetchall():
                if kind == "c":
                    found[key] = number
                elif kind == "t":
                    tags.append((str(key), number))
                else:
                    rights[key] = number
        queried.append(True)
        return found, sorted(tags, key=lambda t: (-t[1], t[0]))

    found, tags = pagecache.remember("bank-counts", lambda: read(True), version=services.VERSION) if counts else ({}, [])
    if not queried:  # the counts came from the cache (or were not wanted)
        read(False)
    editable = sorted(path for path, right in rights.items() if right or user.is_superuser)
    owned = sorted(path for path, right in rights.items() if right == 2 or user.is_superuser)
    made = Summary(tree=[], tags=tags, editable=editable, owned=owned, is_superuser=user.is_superuser)
    if counts:
        made.tree.extend(_tree(found, set(rights), made))
    return made


def _ancestors(path: str) -> list[str]:
    """``path`` and the paths above it, up to ``$course$/top`` (a path outside it stands alone)."""
    if path != CATEGORY_ROOT and not path.startswith(CATEGORY_ROOT + "/"):
        return [path]
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(CATEGORY_ROOT.count("/") + 1, len(parts) + 1)]


def _tree(counts: dict[str, int], categories: set[str], summary: Summary) -> list[Node]:
    """Every path with questions or a Category row, and every path above one, nested."""
    paths: set[str] = set()
    for path in set(counts) | categories:
        paths.update(_ancestors(path))
    totals = dict.fromkeys(paths, 0)
    for path, number in counts.items():
        for above in _ancestors(path):
            totals[above] += number
    nodes: dict[str, Node] = {}
    roots: list[Node] = []
    for path in sorted(paths, key=lambda p: p.split("/")):
        parent, _, name = path.rpartition("/")
        node = Node(
            path=path,
            name=name or path,
            depth=path.count("/"),
            own=counts.get(path, 0),
            total=totals[path],
            editable=summary.may_edit(path),
        )
        nodes[path] = node
        (nodes[parent].children if parent in nodes else roots).append(node)
    return roots


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """The list's search and filters; empty values filter nothing."""

    query: str = ""
    category: str = ""
    tag: str = ""
    kind: str = ""
    domain: str = ""
    topic_id: int | None = None
    status: str = ""
    used: str = ""  # "practice", "live" or "assigned"
    assignment_id: int | None = None
    game_id: int | None = None


def _text(key: str) -> KeyTextTransform:
    """The current version's ``key`` (a string of its JSON data) as text."""
    return KeyTextTransform(key, "current_version__data")


def _under(path: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}category": path}) | Q(**{f"{prefix}category__startswith": path + "/"})


def _has_tag(tag: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])
    # SQLite keeps the list as JSON text written by json.dumps (ASCII, escaped): find the quoted tag.
    return Q(Contains(Cast("tags", TextField()), json.dumps(tag)))


def from_content() -> Q:
    """The questions written in ``content/``: the set twin of :func:`.access.from_content`."""
    return Q(placement__isnull=False)


def editable(user: User) -> Q:
    """The questions ``user`` may edit: the set twin of :func:`.access.access_question`'s rule."""
    if user.is_superuser:
        return ~from_content()
    roots = Category.objects.filter(Q(owner=user) | Q(grants__user=user)).values_list("path", flat=True).distinct()
    rule = Q(pk__in=[])
    for root in roots:
        rule |= _under(root)
    return rule & ~from_content()


def _assignment_quizzes() -> QuerySet[Quiz]:
    return Quiz.objects.filter(assignment__isnull=False)


def drawn_by(quiz: Quiz) -> Q:
    """The questions ``quiz`` may draw from (:func:`studyapp.quizzes.services.questions_for` as a Q)."""
    if quiz.selection == Selection.FIXED:
        return Q(status=Status.PUBLISHED, current_version__isnull=False, pk__in=list(quiz.question_ids))
    rule = Q(status=Status.PUBLISHED, current_version__isnull=False)
    if quiz.topic_ids:
        rule &= Q(placement__topic_id__in=quiz.topic_ids)
    if quiz.domains:
        rule &= Q(domain__in=quiz.domains)
    if not quiz.include_beyond_exam:
        rule &= ~_has_tag(BEYOND_EXAM)
    return rule


def browse(filters: Filters) -> QuerySet[Question]:
    """The bank's questions that match ``filters``, newest first. Whoever may open the bank reads all
    of it (what they may edit is per row)."""
    questions = Question.objects.all()
    if filters.query:
        for word in filters.query.split()[:12]:
            questions = questions.filter(
                Q(current_version__data__stem__icontains=word)
                | Q(current_version__data__name__icontains=word)
                | Q(source_key__icontains=word)
            )
    if filters.category:
        questions = questions.filter(_under(filters.category))
    if filters.tag:
        questions = questions.filter(_has_tag(filters.tag))
    if filters.kind:
        questions = questions.filter(kind=filters.kind)
    if filters.domain:
        questions = questions.filter(domain=filters.domain)
    if filters.topic_id is not None:
        questions = questions.filter(placement__topic_id=filters.topic_id)
    if filters.status:
        questions = questions.filter(status=filters.status)
    if filters.used == "practice":
        questions = questions.filter(status=Status.PUBLISHED, current_version__isnull=False)
    elif filters.used == "live":
        questions = questions.filter(pk__in=Question.objects.filter(live_slots__isnull=False).values("pk"))
    elif filters.used == "assigned":
        rule = Q(pk__in=[])
        for quiz in _assignment_quizzes():
            rule |= drawn_by(quiz)
        questions = questions.filter(rule)
    if filters.assignment_id is not None:
        assigned = _assignment_quizzes().filter(assignment__id=filters.assignment_id).first()
        questions = questions.filter(drawn_by(assigned)) if assigned is not None else questions.none()
    if filters.game_id is not None:
        questions = questions.filter(pk__in=Question.objects.filter(live_slots__game__id=filters.game_id).values("pk"))
    return questions.order_by("-pk")


@dataclass(frozen=True, slots=True, kw_only=True)
class Use:
    """A place a question is used: an assignment (of a class) or a live game."""

    kind: str  # "assignment" or "live"
    pk: int
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    pk: int
    title: str  # the question's name, or the first words of its stem
    kind: str
    domain: str
    status: str
    version: int | None
    category: str
    tags: list[str]
    topic: str
    in_practice: bool
    uses: list[Use]
    editable: bool
    read_only_reason: str


def _first_words(text: str, limit: int = 12) -> str:
    words = text.split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


class Listing:
    """:func:`browse` for a ``Paginator``: counted without the joins the rows need (a third of the
    page's database time on 10,000 questions), sliced into the plain values a row shows."""

    ordered = True  # newest first (Paginator warns about unordered lists)

    def __init__(self, filters: Filters) -> None:
        self.questions = browse(filters)

    def count(self) -> int:
        return self.questions.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[tuple[Any, ...]]:
        return list(listing(self.questions)[window])


def listing(questions: QuerySet[Question]) -> QuerySet[Question, tuple[Any, ...]]:
    """``questions`` as the plain values a row shows (what :func:`page_rows` reads)."""
    return questions.values_list(
        "pk",
        "status",
        "kind",
        "domain",
        "category",
        "tags",
        "source_key",
        "current_version__number",
        _text("name"),
        Substr(_text("stem"), 1, STEM_CHARS),
        "placement__topic__title",
        "placement__topic_id",
        "placement__question_id",
    )


def page_rows(values: Iterable[tuple[Any, ...]], summary: Summary) -> list[Row]:
    """The rows of one page (``values``: a page of :func:`listing`), with where each is used: one
    query for the rows and one for the uses (assignments' quizzes and the page's live games)."""
    read = list(values)
    uses = _uses([r[0] for r in read])
    rows = []
    for pk, status, kind, domain, category, tags, source_key, number, name, stem, topic, topic_id, placed in read:
        published = status == Status.PUBLISHED and number is not None
        found = [use for use, rule in uses.quizzes if published and rule(pk, topic_id, domain, tags)] + uses.live.get(pk, [])
        if placed is not None:
            reason = "From the course notes: duplicate it to edit a copy."
        elif not summary.may_edit(category):
            reason = "In another author's category."
        else:
            reason = ""
        rows.append(
            Row(
                pk=pk,
                title=name or _first_words(stem or "") or source_key or f"Question {pk}",
                kind=kind,
                domain=domain,
                status=status,
                version=number,
                category=category,
                tags=list(tags) if isinstance(tags, list) else [],
                topic=topic or "",
                in_practice=published,
                uses=found,
                editable=not reason,
                read_only_reason=reason,
            )
        )
    return rows


type _Rule = Callable[[int, int | None, str, object], bool]  # (pk, topic id, domain, tags) -> drawn?


@dataclass(frozen=True, slots=True, kw_only=True)
class _Uses:
    quizzes: list[tuple[Use, _Rule]]
    live: dict[int, list[Use]]


def _rule(selection: str, ids: list[int], topics: list[int], domains: list[str], *, beyond: bool) -> _Rule:
    """:func:`drawn_by` for one row in Python (the row is already known to be published)."""
    wanted_ids, wanted_topics, wanted_domains = set(ids), set(topics), set(domains)

    def allows(pk: int, topic_id: int | None, domain: str, tags: object) -> bool:
        if selection == Selection.FIXED:
            return pk in wanted_ids
        tagged = isinstance(tags, list) and BEYOND_EXAM in tags
        return (
            (not wanted_topics or topic_id in wanted_topics) and (not wanted_domains or domain in wanted_domains) and (beyond or not tagged)
        )

    return allows


def _json_text(name: str) -> Cast:
    return Cast(F(name), TextField())


def _uses(ids: Sequence[int]) -> _Uses:
    """One query: the assignments' quizzes (their rules) UNION the live games holding one of ``ids``."""
    text = TextField()
    quizzes = (
        _assignment_quizzes()
        .order_by()
        .values_list(
            Value("assignment", output_field=text),
            F("assignment__id"),
            Value(0),
            Cast(F("assignment__title"), text),
            Concat(
                F("selection"), Value(":"), Case(When(include_beyond_exam=True, then=Value("1")), default=Value("0")), output_field=text
            ),
            _json_text("question_ids"),
            _json_text("topic_ids"),
            _json_text("domains"),
        )
    )
    games = (
        Question.objects.filter(pk__in=list(ids), live_slots__isnull=False)
        .order_by()
        .values_list(
            Value("live", output_field=text),
            F("live_slots__game__id"),
            F("pk"),
            Cast(F("live_slots__game__title"), text),
            Value("", output_field=text),
            Value("", output_field=text),
            Value("", output_field=text),
            Value("", output_field=text),
        )
        .distinct()
    )
    found = _Uses(quizzes=[], live={})
    for kind, pk, question_id, title, how, fixed, topics, domains in quizzes.union(games, all=True):
        if kind == "live":
            found.live.setdefault(question_id, []).append(Use(kind="live", pk=pk, title=title))
        else:
            selection, _, beyond = how.partition(":")
            rule = _rule(
                selection, json.loads(fixed or "[]"), json.loads(topics or "[]"), json.loads(domains or "[]"), beyond=beyond == "1"
            )
            found.quizzes.append((Use(kind="assignment", pk=pk, title=title), rule))
    return found


# --- writes --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BulkResult:
    """How many questions changed, and the ones left alone with why ("name: reason")."""

    changed: int
    skipped: list[str]

    def message(self, done: str) -> str:
        """``done`` is the action in the past tense: "Published 3 questions. Skipped 1: …"."""
        text = f"{done} {self.changed} question{'s' if self.changed != 1 else ''}."
        if self.skipped:
            named = "; ".join(self.skipped[:MAX_SKIPPED_NAMED])
            more = len(self.skipped) - MAX_SKIPPED_NAMED
            text += f" Skipped {len(self.skipped)}: {named}" + (f"; and {more} more." if more > 0 else ".")
        return text


def _split(user: User, ids: Sequence[int]) -> tuple[list[Question], list[str]]:
    """The questions of ``ids`` the author may edit (locked), and the others as "title: reason"."""
    if len(ids) > MAX_BULK:
        raise BankError(f"Tick at most {MAX_BULK} questions at a time.")
    wanted = list(dict.fromkeys(ids))
    may = set(Question.objects.filter(editable(user), pk__in=wanted).values_list("pk", flat=True))
    locked = {q.pk: q for q in Question.objects.select_for_update().filter(pk__in=may).order_by("pk")}
    skipped = []
    others = Question.objects.filter(pk__in=set(wanted) - may).values_list(
        "pk", _text("name"), Substr(_text("stem"), 1, STEM_CHARS), "placement__question_id"
    )
    for pk, name, stem, placed in others:
        why = "from the course notes" if placed is not None else "not in a category of yours"
        skipped.append(f"“{name or _first_words(stem or '', 8) or f'Question {pk}'}” ({why})")
    return [locked[pk] for pk in wanted if pk in locked], skipped


@transaction.atomic
def tag_questions(*, user: User, ids: Sequence[int], tag: str) -> BulkResult:
    """Add ``tag`` to each editable question of ``ids`` that lacks it."""
    tag = tag.strip()
    if not tag or len(tag) > 100 or any(ord(ch) < 32 for ch in tag):
        raise BankError("A tag is 1 to 100 characters, on one line.")
    questions, skipped = _split(user, ids)
    changed = sum(services.update_details(question=q, tags=[*q.tags, tag]) for q in questions if tag not in q.tags)
    return BulkResult(changed=changed, skipped=skipped)


@transaction.atomic
def move_questions(*, user: User, ids: Sequence[int], category: str) -> BulkResult:
    """Move each editable question of ``ids`` to ``category``, which the author must be able to edit."""
    if not valid_path(category) or not may_edit(category, _editable_paths(user), is_superuser=user.is_superuser):
        raise BankError("Move questions only to a category of yours.")
    questions, skipped = _split(user, ids)
    changed = sum(services.update_details(question=q, category=category) for q in questions)
    return BulkResult(changed=changed, skipped=skipped)


@transaction.atomic
def publish_questions(*, user: User, ids: Sequence[int]) -> BulkResult:
    """Publish each editable question of ``ids`` (those without a version are skipped)."""
    questions, skipped = _split(user, ids)
    changed = 0
    for question in questions:
        if question.status == Status.PUBLISHED:
            continue
        try:
            services.publish(question=question)
        except services.NotPublishable:
            skipped.append(f"“Question {question.pk}” (no version to publish)")
        else:
            changed += 1
    return BulkResult(changed=changed, skipped=skipped)


@transaction.atomic
def retire_questions(*, user: User, ids: Sequence[int]) -> BulkResult:
    """Retire each editable question of ``ids``: out of practice and new quizzes, history kept."""
    questions, skipped = _split(user, ids)
    return BulkResult(changed=services.retire_many(ids=[q.pk for q in questions]), skipped=skipped)


def _editable_paths(user: User) -> list[str]:
    return list(Category.objects.filter(Q(owner=user) | Q(grants__user=user)).values_list("path", flat=True).distinct())


def valid_path(path: str) -> bool:
    """A Moodle category path: ``$course$/top`` then segments of 1 to 100 characters, no control ones."""
    if not path.startswith(CATEGORY_ROOT + "/") or len(path) > 500:
        return False
    return all(_SEGMENT.fullmatch(part) and part.strip() == part for part in path.removeprefix(CATEGORY_ROOT + "/").split("/"))


@transaction.atomic
def create_category(*, user: User, parent: str, name: str, now: datetime) -> Category:
    """A new category ``parent/name``, owned by ``user``. Under a category they own or were given, or
    anywhere for a superuser (``$course$/top/X`` makes them the owner of a new branch)."""
    name = name.strip()
    path = f"{parent}/{name}"
    if not name or "/" in name or not valid_path(path):
        raise BankError("A category's name is 1 to 100 characters, without “/”.")
    allowed = user.is_superuser or (parent != CATEGORY_ROOT and may_edit(parent, _editable_paths(user)))
    if not allowed:
        raise BankError("Create categories only under one of yours.")
    if Category.objects.filter(path=path).exists():
        raise BankError(f"The category {path} exists already.")
    made = Category.objects.create(path=path, owner=user, created_at=now)
    versions.bump(CATEGORIES_VERSION)
    return made


@transaction.atomic
def grant_category(*, by: User, path: str, username: str, now: datetime) -> CategoryGrant:
    """Give the category ``path`` (owned by ``by``, or any for a superuser) to the author ``username``:
    they may then edit its questions and those below it."""
    category = Category.objects.select_for_update().filter(path=path).first()
    if category is None or not (by.is_superuser or category.owner_id == by.pk):
        raise BankError("Give only a category you own.")
    to = User.objects.filter(username=username.strip()).first()
    if to is None or not to.is_author:
        raise BankError(f"No author is called “{username.strip()}”.")
    if to.pk == category.owner_id:
        raise BankError(f"{to.username} owns {path} already.")
    grant, made = CategoryGrant.objects.get_or_create(category=category, user=to, defaults={"granted_by": by, "granted_at": now})
    if made:
        versions.bump(CATEGORIES_VERSION)
    return grant
