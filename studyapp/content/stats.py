"""The content report for authors (``load_content --stats``): counts per topic and per exam domain,
read from the parsed files, with warnings where the question bank is too thin for the mock exam.

Reads no rows and writes none, so it runs in CI like ``--check``. The exam's count of questions per
domain belongs to the quizzes app, above this one: it registers it here
(:func:`register_exam_counts`, from ``QuizzesConfig.ready()``), as pricing registers its calculators.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .loader import LoadedCourse
from .parsing.style import SCENARIO_GOAL, is_scenario
from .parsing.types import BEYOND_EXAM, DOMAINS, ParsedCard, ParsedNote, ParsedQuestion

POOL_FACTOR = 2
"""A domain's exam-relevant pool should hold this many times the questions one mock draws from it."""
EXAM_KINDS = frozenset({"single", "multiple"})
"""The kinds of question the exam (and the mock) asks: true/false is not among them."""

_exam_counts: Callable[[], Mapping[str, int]] | None = None


def register_exam_counts(counts: Callable[[], Mapping[str, int]]) -> None:
    """Say how many questions one mock exam draws from each domain (called once, at start-up)."""
    global _exam_counts
    _exam_counts = counts


def exam_counts() -> Mapping[str, int] | None:
    """The registered counts per domain, or None when no app registered them."""
    return _exam_counts() if _exam_counts is not None else None


def is_beyond_exam(item: ParsedCard | ParsedQuestion) -> bool:
    return BEYOND_EXAM in item.tags


def is_exam_relevant(question: ParsedQuestion) -> bool:
    """A question the mock may draw: of an exam kind and not tagged beyond-exam."""
    return question.kind in EXAM_KINDS and not is_beyond_exam(question)


@dataclass(slots=True, kw_only=True)
class Row:
    """The counts of one topic or one domain."""

    label: str
    notes: int = 0
    cards: int = 0
    questions: int = 0
    multiple: int = 0
    scenario: int = 0
    beyond_questions: int = 0
    beyond_cards: int = 0
    exam_pool: int = 0  # exam-relevant questions

    def add_questions(self, questions: Iterable[ParsedQuestion]) -> None:
        for question in questions:
            self.questions += 1
            self.multiple += question.kind == "multiple"
            self.scenario += is_scenario(question.content.stem)
            self.beyond_questions += is_beyond_exam(question)
            self.exam_pool += is_exam_relevant(question)

    def add_cards(self, cards: Iterable[ParsedCard]) -> None:
        for card in cards:
            self.cards += 1
            self.beyond_cards += is_beyond_exam(card)


@dataclass(slots=True, kw_only=True)
class CourseStats:
    slug: str
    title: str
    topics: list[Row] = field(default_factory=list)
    domains: dict[str, Row] = field(default_factory=dict)
    total: Row = field(default_factory=lambda: Row(label="Course"))
    needed: dict[str, int] = field(default_factory=dict)  # per domain: POOL_FACTOR x what one mock draws

    @property
    def scenario_share(self) -> float:
        return self.total.scenario / self.total.questions if self.total.questions else 0.0

    def warnings(self) -> list[str]:
        found = [
            f"{code} ({DOMAINS.get(code, code)}) has {self.domains[code].exam_pool} exam-relevant questions; "
            f"the mock draws {need // POOL_FACTOR}, so it needs {need} ({POOL_FACTOR} x): add {need - self.domains[code].exam_pool}"
            for code, need in self.needed.items()
            if self.domains[code].exam_pool < need
        ]
        if self.total.questions and self.scenario_share < SCENARIO_GOAL:
            found.append(f"scenario-style questions are {self.scenario_share:.0%} of the course, under the goal of {SCENARIO_GOAL:.0%}")
        return found


def course_stats(course: LoadedCourse, *, exam: Mapping[str, int] | None) -> CourseStats:
    """Count one parsed course. A note counts in each domain its front matter names, and so do its
    cards (cards have no domain of their own); a question counts in its own domain. ``exam`` is what
    one mock draws per domain (None: no pool warnings)."""
    stats = CourseStats(slug=course.info.slug, title=course.info.title)
    topics = {topic.slug: Row(label=topic.slug) for topic in course.info.topics}
    stats.domains = {code: Row(label=f"{code} {name}") for code, name in DOMAINS.items()}
    for note in course.notes:
        _add_note(note, topics, stats)
    stats.topics = list(topics.values())
    if exam is not None:
        stats.needed = {code: POOL_FACTOR * count for code, count in sorted(exam.items()) if code in stats.domains}
    return stats


def _add_note(note: ParsedNote, topics: dict[str, Row], stats: CourseStats) -> None:
    topic = topics[note.meta.topic]
    for row in (topic, stats.total, *(stats.domains[code] for code in dict.fromkeys(note.meta.domains))):
        row.notes += 1
        row.add_cards(note.cards)
    topic.add_questions(note.questions)
    stats.total.add_questions(note.questions)
    for question in note.questions:
        stats.domains[question.domain].add_questions([question])


_COLUMNS = (
    ("Notes", "notes"),
    ("Cards", "cards"),
    ("Questions", "questions"),
    ("Multiple", "multiple"),
    ("Scenario", "scenario"),
    ("Beyond-exam Q", "beyond_questions"),
    ("Beyond-exam cards", "beyond_cards"),
)


def _table(first: str, rows: list[Row], *, extra: list[tuple[str, list[str]]] | None = None) -> list[str]:
    """A plain table: the label column left-aligned, the numbers right-aligned under their headers."""
    extra = extra or []
    header = [first, *(title for title, _ in _COLUMNS), *(title for title, _ in extra)]
    body = [
        [row.label, *(str(getattr(row, name)) for _, name in _COLUMNS), *(cells[index] for _, cells in extra)]
        for index, row in enumerate(rows)
    ]
    widths = [max(len(line[column]) for line in [header, *body]) for column in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            [cells[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))]
        ).rstrip()

    return [line(header), *(line(cells) for cells in body)]


def format_stats(stats: CourseStats) -> str:
    """The report an author reads: topics, then domains, then the scenario share and any warnings."""
    out = [f"Course {stats.slug}: {stats.title}", ""]
    out += _table("Topic", [*stats.topics, stats.total])
    out.append("")
    domains = list(stats.domains.values())
    extra = [("Exam pool", [str(row.exam_pool) for row in domains])]
    if stats.needed:
        extra.append(("Needed", [str(stats.needed.get(code, "")) for code in stats.domains]))
    out += _table("Domain", domains, extra=extra)
    out += [
        "",
        "A note and its cards count in every domain the note names; a question in its own domain.",
        f"Exam pool: single and multiple-response questions not tagged [tag:{BEYOND_EXAM}]"
        + (f"; needed: {POOL_FACTOR} x what one mock draws from the domain." if stats.needed else "."),
        "",
        f"Scenario-style questions: {stats.total.scenario} of {stats.total.questions} ({stats.scenario_share:.0%}); "
        f"goal: at least {SCENARIO_GOAL:.0%}.",
    ]
    out += [f"Warning: {warning}" for warning in stats.warnings()]
    return "\n".join(out)
