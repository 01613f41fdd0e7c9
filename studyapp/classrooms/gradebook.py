"""The gradebook: every learner of a class × every assignment, each cell a status and a grade from
:mod:`studyapp.classrooms.progress`. A fixed number of queries whatever the class's size (at most
nine: learners, assignments, overrides, attempts, the review goals' items and reviews, the recall
goals' cards and states, notes read), so 200 learners × 30 assignments costs what 2 × 3 does. The
bulky rows (attempts, reviews, states, notes read) are read through the cursor (:mod:`studyapp.core.rows`).

Read from the learners' own records, never stored: a content reload, an edit or a regrade shows at
once, and nothing can drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Case, Count, Sum, Value, When

from studyapp.accounts.models import User
from studyapp.content.models import Card, Note, NoteRead, QuestionPlacement
from studyapp.core.rows import as_decimal, fetch, utc
from studyapp.quizzes.models import Attempt
from studyapp.srs import scheduler
from studyapp.srs.models import ReviewLog, ReviewState

from . import reports
from .models import Assignment, AssignmentKind, AssignmentOverride, Classroom, GoalKind, Membership, MembershipStatus
from .progress import Cell, Finished, Late, Rules, Status, goal_cell, percent_text, quiz_cell

ZERO = Decimal(0)
# FSRS's predicted recall depends only on an item's memory and the time elapsed, not on a learner's
# scheduling choices, so one settings object serves every learner.
RECALL_SETTINGS = scheduler.Settings()


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    membership: Membership
    cells: list[Cell]  # in the order of Gradebook.assignments

    @property
    def user(self) -> User:
        return self.membership.user


@dataclass(frozen=True, slots=True, kw_only=True)
class Gradebook:
    assignments: list[Assignment]
    rows: list[Row]
    counts: dict[int, dict[Status, int]] = field(default_factory=dict)  # per assignment id: learners per status


def _rules(assignment: Assignment, override: AssignmentOverride | None) -> Rules:
    due = assignment.due_for(override)
    return Rules(
        due=due,
        late=Late(assignment.late_policy),
        penalty_percent=assignment.late_penalty_percent,
        excused=override is not None and override.excused,
    )


def build(classroom: Classroom, *, now: datetime, user_ids: Iterable[int] | None = None, include_removed: bool = False) -> Gradebook:
    """The class's gradebook at ``now``: its active learners by username (``include_removed``: the
    removed ones after them), or only ``user_ids`` (a learner's page)."""
    memberships = classroom.memberships.learners().select_related("user").order_by("status", "user__username")
    if not include_removed:
        memberships = memberships.filter(status=MembershipStatus.ACTIVE)
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=list(user_ids))
    people = list(memberships)
    assignments = list(classroom.assignments.select_related("quiz").order_by("due_at", "pk"))
    for assignment in assignments:
        assignment.classroom = classroom  # the pages name it: no query per assignment
    ids = [m.user_id for m in people]
    if not people or not assignments:
        return Gradebook(assignments=assignments, rows=[Row(membership=m, cells=[]) for m in people])

    overrides = {(o.assignment_id, o.user_id): o for o in AssignmentOverride.objects.filter(assignment__in=assignments, user_id__in=ids)}
    # Rules shared by every learner without an override: one object per assignment, not 6,000.
    shared = {a.id: _rules(a, None) for a in assignments}
    rules = {(aid, uid): shared[aid] for aid in shared for uid in ids}
    by_id = {a.id: a for a in assignments}
    for (aid, uid), override in overrides.items():
        rules[(aid, uid)] = _rules(by_id[aid], override)

    cells: dict[tuple[int, int], Cell] = {}
    _quizzes(assignments, ids, rules, now, cells)
    _reviews(assignments, ids, rules, now, cells)
    _recall(assignments, ids, rules, now, cells)
    _notes(assignments, ids, rules, now, cells)

    order = [a.id for a in assignments]
    rows = [Row(membership=m, cells=[cells[(aid, m.user_id)] for aid in order]) for m in people]
    counts: dict[int, dict[Status, int]] = {aid: defaultdict(int) for aid in order}
    for row in rows:
        for aid, cell in zip(order, row.cells, strict=True):
            counts[aid][cell.status] += 1
    return Gradebook(assignments=assignments, rows=rows, counts=counts)


def _quizzes(assignments: list[Assignment], ids: list[int], rules: dict, now: datetime, cells: dict) -> None:
    quizzes = {a.quiz_id: a for a in assignments if a.kind == AssignmentKind.QUIZ and a.quiz_id}
    if not quizzes:
        return
    finished: dict[tuple[int, int], list[Finished]] = defaultdict(list)
    under_way: set[tuple[int, int]] = set()
    attempts = fetch(
        Attempt.objects.filter(quiz_id__in=list(quizzes), user_id__in=ids)
        .annotate(marks=Sum("slots__fraction"), questions=Count("slots"))
        .order_by("finished_at", "started_at", "pk")
        .values_list("quiz_id", "user_id", "finished_at", "marks", "questions")
    )
    for quiz_id, user_id, finished_at, marks, questions in attempts:
        key = (quizzes[quiz_id].pk, user_id)
        if finished_at is None:
            under_way.add(key)  # an attempt whose time ran out counts once it is submitted (on its next visit)
        else:
            score = as_decimal(marks or ZERO) / questions if questions else ZERO
            finished[key].append(Finished(finished_at=utc(finished_at), score=score))
    for assignment in quizzes.values():
        assert assignment.quiz is not None
        for uid in ids:
            key = (assignment.pk, uid)
            cells[key] = quiz_cell(
                finished=finished[key], in_progress=key in under_way, method=assignment.quiz.grade_method, rules=rules[key], now=now
            )


def _reviews(assignments: list[Assignment], ids: list[int], rules: dict, now: datetime, cells: dict) -> None:
    """Review goals, in one query: the learners' reviews since the first goal opened, counted per
    learner, item and stretch of time between two of the goals' dates (open, due, extensions), so
    each goal sums the stretches and topics it covers. Counting in SQL per stretch, not per goal,
    keeps the query one GROUP BY however many goals and extensions there are. The items' topics come
    from a second, small query (the cards and questions of the goals' topics): joining every review
    to its card's note and its question's placement was most of the query's time."""
    goals = [a for a in assignments if a.kind == AssignmentKind.FLASHCARDS and a.goal_kind == GoalKind.REVIEWS]
    if not goals:
        return
    # Stretch i holds the reviews at or after bounds[i - 1] and before bounds[i]; a due date counts
    # its own minute, so a goal's bound is its due date plus a microsecond.
    tick = timedelta(microseconds=1)
    bounds = sorted({g.opens_at for g in goals} | {rules[(g.pk, uid)].due + tick for g in goals for uid in ids})
    stretch = Case(*(When(reviewed_at__lt=bound, then=Value(i)) for i, bound in enumerate(bounds)), default=Value(len(bounds)))
    topic_of = _topics_of_items({t for goal in goals for t in goal.topic_ids})
    # Per learner and topic (None: not one of the goals' topics), the reviews in each stretch.
    counted: dict[int, dict[int | None, list[int]]] = defaultdict(dict)
    rows = fetch(
        ReviewLog.objects.filter(user_id__in=ids, reviewed_at__gte=bounds[0])
        .annotate(stretch=stretch)
        .values("user_id", "review_state__card_id", "review_state__question_id", "stretch")
        .annotate(n=Count("pk"))
        .values_list("user_id", "review_state__card_id", "review_state__question_id", "stretch", "n")
    )
    for user_id, card_id, question_id, index, n in rows:
        topic_id = topic_of.get((CARD, card_id) if card_id is not None else (QUESTION, question_id))
        per_stretch = counted[user_id].get(topic_id)
        if per_stretch is None:
            per_stretch = counted[user_id][topic_id] = [0] * (len(bounds) + 1)
        per_stretch[index] += n
    for goal in goals:
        target = Decimal(goal.goal_reviews or 1)
        wanted = set(goal.topic_ids)
        first = bounds.index(goal.opens_at) + 1  # the stretch just after it opens
        for uid in ids:
            rule = rules[(goal.pk, uid)]
            last = bounds.index(rule.due + tick)  # the stretch that ends with the due date
            mine = [per_stretch for topic_id, per_stretch in counted[uid].items() if not wanted or topic_id in wanted]
            by_due = sum(sum(per_stretch[first : last + 1]) for per_stretch in mine)
            so_far = sum(sum(per_stretch[first:]) for per_stretch in mine)
            cells[(goal.pk, uid)] = goal_cell(on_time=by_due / target, so_far=so_far / target, rules=rule, now=now)


CARD, QUESTION = 0, 1


def _topics_of_items(topics: set[int]) -> dict[tuple[int, int], int]:
    """The topic of every card (its note's) and question (its placement's) in ``topics``, keyed
    ``(CARD, card id)`` or ``(QUESTION, question id)``; nothing when ``topics`` is empty (goals over
    every topic count every review)."""
    if not topics:
        return {}
    cards = Card.objects.filter(note__topic_id__in=topics).annotate(item_kind=Value(CARD)).values_list("item_kind", "pk", "note__topic_id")
    questions = (
        QuestionPlacement.objects.filter(topic_id__in=topics)
        .annotate(item_kind=Value(QUESTION))
        .values_list("item_kind", "question_id", "topic_id")
    )
    return {(kind, item): topic for kind, item, topic in cards.order_by().union(questions.order_by(), all=True).order_by()}


def _recall(assignments: list[Assignment], ids: list[int], rules: dict, now: datetime, cells: dict) -> None:
    """Recall goals: the average recall FSRS predicts, over the goal's topics' cards, at the learner's
    due date (or now, once it has passed), against the target. Cards never reviewed count as 0:
    a learner who studied three cards of forty has not reached 90 % on the topic. Work after the due
    date is late (and ignored under "refuse")."""
    goals = [a for a in assignments if a.kind == AssignmentKind.FLASHCARDS and a.goal_kind == GoalKind.RECALL]
    if not goals:
        return
    topics = {t for goal in goals for t in goal.topic_ids}
    every_topic = not all(goal.topic_ids for goal in goals)
    cards = Card.objects.live().filter(note__retired_at__isnull=True)
    card_topics = dict((cards if every_topic else cards.filter(note__topic_id__in=topics)).values_list("pk", "note__topic_id"))
    states: dict[int, list[tuple[int, float, datetime]]] = defaultdict(list)
    rows = fetch(
        ReviewState.objects.filter(user_id__in=ids, card_id__in=list(card_topics), stability__isnull=False, last_review__isnull=False)
        .exclude(state="new")
        .values_list("user_id", "card_id", "stability", "last_review")
    )
    for user_id, card_id, stability, last_review in rows:
        states[user_id].append((card_topics[card_id], stability, utc(last_review)))
    for goal in goals:
        wanted = set(goal.topic_ids) or set(card_topics.values())
        total = sum(1 for topic in card_topics.values() if topic in wanted) or 1
        target = Decimal(goal.goal_recall_percent or 100) / 100
        for uid in ids:
            rule = rules[(goal.pk, uid)]
            mine = [(stability, last) for topic, stability, last in states[uid] if topic in wanted]
            recall = sum(scheduler.recall_of(mine, now=rule.due if now <= rule.due else now, settings=RECALL_SETTINGS))
            reached = Decimal(str(round(recall / total, 4))) / target
            studied_late = any(last > rule.due for _, last in mine)
            cells[(goal.pk, uid)] = goal_cell(on_time=ZERO if studied_late else reached, so_far=reached, rules=rule, now=now)


def _notes(assignments: list[Assignment], ids: list[int], rules: dict, now: datetime, cells: dict) -> None:
    readings = [a for a in assignments if a.kind == AssignmentKind.NOTES]
    if not readings:
        return
    notes = {n for a in readings for n in a.note_ids}
    read: dict[int, dict[int, datetime]] = defaultdict(dict)
    for user_id, note_id, at in fetch(
        NoteRead.objects.filter(user_id__in=ids, note_id__in=notes).values_list("user_id", "note_id", "first_read_at")
    ):
        read[user_id][note_id] = utc(at)
    for reading in readings:
        wanted = Decimal(len(reading.note_ids) or 1)
        for uid in ids:
            rule = rules[(reading.pk, uid)]
            times = [read[uid][n] for n in reading.note_ids if n in read[uid]]
            on_time = sum(1 for at in times if at <= rule.due)
            cells[(reading.pk, uid)] = goal_cell(on_time=on_time / wanted, so_far=len(times) / wanted, rules=rule, now=now)


def _percent(value: Decimal | None) -> str:
    return "" if value is None else percent_text(value)


def csv_columns(book: Gradebook) -> Iterator[tuple[str, tuple[object, ...]]]:
    """Per learner (username, then the cells' columns), after a header row (username ""): per
    assignment a grade column (percent, empty when none) and a status column."""
    header: list[object] = []
    for assignment in book.assignments:
        header += [f"{assignment.title} (%)", f"{assignment.title}: status"]
    yield "", tuple(header)
    for row in book.rows:
        line: list[object] = []
        for cell in row.cells:
            line += [_percent(cell.grade), str(cell.status) + (" (overdue)" if cell.overdue else "")]
        yield row.user.username, tuple(line)


# --- pages ------------------------------------------------------------------------------------


def filtered(book: Gradebook, *, sort: str, status: str, of: str, q: str) -> dict[str, object]:
    """The gradebook page's rows after its controls: sort by name or by one assignment's grade
    (lowest first, no grade last), keep one status on one assignment, find by name. Unknown values
    are ignored (a stale link still shows the gradebook)."""
    rows = list(book.rows)
    index = {str(a.pk): i for i, a in enumerate(book.assignments)}
    if q.strip():
        needle = q.strip().casefold()
        rows = [r for r in rows if needle in f"{r.user.username} {r.user.get_full_name()} {r.user.email}".casefold()]
    if of in index and status in {s.value for s in Status}:
        rows = [r for r in rows if r.cells[index[of]].status == status]
    if sort in index:
        column = index[sort]
        rows.sort(key=lambda r: (r.cells[column].grade is None, r.cells[column].grade or ZERO, r.user.username))
    else:
        sort = "name"
    return {"rows": rows, "sort": sort, "status": status, "of": of if of in index else "", "q": q.strip()}


def assignment_page(assignment: Assignment, *, viewer: User, teaches: bool, now: datetime) -> dict[str, object]:
    """What the assignment page shows: for instructors every learner's cell (with their overrides),
    for a learner their own cell and attempts, and whether they may start the quiz."""
    classroom = assignment.classroom
    if teaches:
        book = build(classroom, now=now)
        column = [a.pk for a in book.assignments].index(assignment.pk)
        overrides = {o.user_id: o for o in assignment.overrides.all()}
        rows = [(row, row.cells[column], overrides.get(row.user.pk)) for row in book.rows]
        return {"rows": rows, "counts": dict(book.counts[assignment.pk]), "notes": _notes_of(assignment)}
    book = build(classroom, now=now, user_ids=[viewer.pk])
    cell = next((row.cells[[a.pk for a in book.assignments].index(assignment.pk)] for row in book.rows), None)
    override = assignment.overrides.filter(user=viewer).first()
    attempts = (
        list(Attempt.objects.for_user(viewer).filter(quiz_id=assignment.quiz_id).order_by("started_at")) if assignment.quiz_id else []
    )
    return {
        "cell": cell,
        "due": _rules(assignment, override).due,
        "override": override,
        "attempts": attempts,
        "under_way": any(attempt.finished_at is None for attempt in attempts),
        "notes": _notes_of(assignment),
    }


def due_soon(user: User, *, now: datetime) -> list[tuple[Assignment, Cell]]:
    """The open work of every class the learner is active in, not done yet, soonest due first: the
    "what is due" list of /classes/."""
    classes = Classroom.objects.filter(memberships__user=user, memberships__role="learner", memberships__status=MembershipStatus.ACTIVE)
    work: list[tuple[Assignment, Cell]] = []
    for classroom in classes.filter(archived_at__isnull=True):
        book = build(classroom, now=now, user_ids=[user.pk])
        for row in book.rows:
            work += [(a, cell) for a, cell in zip(book.assignments, row.cells, strict=True) if a.opens_at <= now and not cell.done]
    return sorted(work, key=lambda pair: pair[0].due_at)


def class_work(
    classroom: Classroom, *, viewer: User, teaches: bool, now: datetime
) -> list[tuple[Assignment, Cell | None, dict[Status, int]]]:
    """The class page's list of assignments: for instructors all of them with how many learners
    stand where; for a learner the open ones with their own cell."""
    book = build(classroom, now=now, user_ids=None if teaches else [viewer.pk])
    if teaches:
        return [(a, None, dict(book.counts.get(a.pk, {}))) for a in book.assignments]
    cells = book.rows[0].cells if book.rows and book.rows[0].cells else [None] * len(book.assignments)
    return [(a, cell, {}) for a, cell in zip(book.assignments, cells, strict=True) if a.opens_at <= now]


def _notes_of(assignment: Assignment) -> list[Note]:
    order = {note_id: i for i, note_id in enumerate(assignment.note_ids)}
    return sorted(Note.objects.filter(pk__in=assignment.note_ids), key=lambda note: order[note.pk]) if assignment.note_ids else []


def csv_rows(classroom: Classroom, *, now: datetime) -> Iterator[tuple[object, ...]]:
    """The CSV export: the roster's columns (username, name, email, joined, reviews and mocks since
    joining), then a grade and a status column per assignment; one row per active learner."""
    summary = reports.gradebook_rows(classroom)
    columns = csv_columns(build(classroom, now=now))
    for (username, cells), line in zip(columns, summary, strict=True):
        assert not username or username == line[0], "both read the active learners by username"
        yield (*line, *cells)


def learner_work(classroom: Classroom, user: User, *, now: datetime) -> list[tuple[Assignment, Cell, list[Attempt]]]:
    """A learner's page (instructors): every assignment of the class with the learner's cell and
    their finished quiz attempts (to open their review)."""
    book = build(classroom, now=now, user_ids=[user.pk], include_removed=True)
    if not book.rows or not book.rows[0].cells:
        return []
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    quiz_ids = [a.quiz_id for a in book.assignments if a.quiz_id]
    for attempt in Attempt.objects.for_user(user).filter(quiz_id__in=quiz_ids, finished_at__isnull=False).order_by("started_at"):
        attempts[attempt.quiz_id].append(attempt)
    return [(a, cell, attempts.get(a.quiz_id or 0, [])) for a, cell in zip(book.assignments, book.rows[0].cells, strict=True)]
