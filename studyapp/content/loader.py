"""Read a content folder from disk into parsed courses, with every problem found in it.

The loader reads files and checks what spans files (unique ids and orders) and what the database's
columns can hold (:mod:`studyapp.content.columns`); the parsing package does the rest. Nothing here
writes to the database: see :mod:`studyapp.content.sync`.
"""

from dataclasses import dataclass
from pathlib import Path

from . import columns
from .parsing.course import parse_course
from .parsing.limits import MAX_FILE_BYTES
from .parsing.note import parse_note
from .parsing.types import CourseInfo, ParsedNote, Problem


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedCourse:
    info: CourseInfo
    notes: tuple[ParsedNote, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadResult:
    courses: tuple[LoadedCourse, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(path: Path, rel: str, problems: list[Problem]) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # checked before reading: a course stays quick to check whatever lands in it
            problems.append(Problem(path=rel, line=1, message=f"the file is {size:,} bytes; a file holds at most {MAX_FILE_BYTES:,} bytes"))
            return None
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(path=rel, line=1, message=f"not UTF-8 text ({error.reason})"))
    except OSError as error:
        problems.append(Problem(path=rel, line=1, message=f"cannot be read: {error.strerror}"))
    return None


def load_course(folder: Path, root: Path) -> tuple[LoadedCourse | None, list[Problem]]:
    """Read one course folder (one holding a ``course.toml``)."""
    problems: list[Problem] = []
    course_rel = (folder / "course.toml").relative_to(root).as_posix()
    text = _read(folder / "course.toml", course_rel, problems)
    info, found = (None, []) if text is None else parse_course(text, slug=folder.name, path=course_rel)
    problems.extend(found)
    if info is None:
        return None, problems
    assert text is not None
    problems.extend(columns.course_problems(info, text=text, path=course_rel))
    topics = frozenset(t.slug for t in info.topics)
    notes: list[ParsedNote] = []
    for path in sorted(folder.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        text = _read(path, rel, problems)
        if text is None:
            continue
        note, found = parse_note(text, path=rel, topics=topics)
        problems.extend(found)
        if note is not None:
            problems.extend(columns.note_problems(note, course=info.slug, text=text))
            notes.append(note)
    problems.extend(_cross_checks(notes))
    return LoadedCourse(info=info, notes=tuple(sorted(notes, key=lambda n: n.meta.order))), problems


def _cross_checks(notes: list[ParsedNote]) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[tuple[str, str], tuple[str, int]] = {}

    def claim(kind: str, key: str, path: str, line: int) -> None:
        if (kind, key) in first:
            where = "{}:{}".format(*first[(kind, key)])
            problems.append(Problem(path=path, line=line, message=f"{kind} {key!r} is already used at {where}"))
        else:
            first[(kind, key)] = (path, line)

    for note in sorted(notes, key=lambda n: n.path):
        claim("order", str(note.meta.order), note.path, note.meta.lines["order"])
        claim("note slug", note.slug, note.path, 1)
        for card in note.cards:
            claim("card id", card.key, note.path, card.line)
        for question in note.questions:
            claim("question id", question.key, note.path, question.line)
    return problems


def load(root: Path) -> LoadResult:
    """Read every course under ``root`` (each sub-folder holding a ``course.toml``).

    Folders without one (``pricing/``) are not courses and are skipped.
    """
    if not root.is_dir():
        return LoadResult(courses=(), problems=(Problem(path=str(root), line=0, message="no such folder"),))
    courses: list[LoadedCourse] = []
    problems: list[Problem] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and (p / "course.toml").is_file()):
        course, found = load_course(folder, root)
        problems.extend(found)
        if course is not None:
            courses.append(course)
    if not courses and not problems:
        problems.append(Problem(path=".", line=0, message="no course found: a course is a folder holding a course.toml"))
    return LoadResult(courses=tuple(courses), problems=tuple(sorted(problems)))
