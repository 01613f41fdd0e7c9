"""``course.toml``: a course's title, summary and topics."""

import re
import tomllib

from .types import SLUG, CourseInfo, Problem, Topic


def parse_course(text: str, *, slug: str, path: str) -> tuple[CourseInfo | None, list[Problem]]:
    """Parse a course.toml whose folder name is ``slug``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else 1
        return None, [Problem(path=path, line=line, message=f"not valid TOML: {error}")]
    problems: list[Problem] = []
    lines = text.splitlines()

    def line_of(needle: str) -> int:
        return next((i + 1 for i, line in enumerate(lines) if needle in line), 1)

    if not SLUG.match(slug):
        problems.append(Problem(path=path, line=1, message=f"course folder {slug!r} must be a slug (lower-case letters, digits, hyphens)"))
    unknown = set(data) - {"title", "summary", "topics"}
    for key in sorted(unknown):
        problems.append(Problem(path=path, line=line_of(key), message=f"unknown key {key!r} (allowed: title, summary, topics)"))
    for key in ("title", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(Problem(path=path, line=line_of(key) if key in data else 1, message=f"{key} is required and must be text"))
    topics: list[Topic] = []
    raw_topics = data.get("topics")
    if not isinstance(raw_topics, list) or not raw_topics:
        problems.append(Problem(path=path, line=1, message="a course needs at least one [[topics]] entry"))
        raw_topics = []
    seen: set[str] = set()
    for position, entry in enumerate(raw_topics):
        where = line_of(f'"{entry.get("slug")}"') if isinstance(entry, dict) else 1
        if not isinstance(entry, dict) or set(entry) != {"slug", "title", "summary"}:
            problems.append(Problem(path=path, line=where, message="each [[topics]] entry needs exactly slug, title and summary"))
            continue
        if not SLUG.match(str(entry["slug"])):
            problems.append(
                Problem(path=path, line=where, message=f"topic slug {entry['slug']!r} must be lower-case letters, digits and hyphens")
            )
        elif entry["slug"] in seen:
            problems.append(Problem(path=path, line=where, message=f"topic {entry['slug']!r} is declared twice"))
        seen.add(str(entry["slug"]))
        topics.append(Topic(slug=str(entry["slug"]), title=str(entry["title"]), summary=str(entry["summary"]), position=position))
    if problems:
        return None, problems
    return CourseInfo(slug=slug, title=data["title"], summary=data["summary"], topics=tuple(topics)), []
