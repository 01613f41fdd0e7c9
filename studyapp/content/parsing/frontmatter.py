"""Front matter: the ``---`` block at the top of a note, a strict subset of YAML.

Each line is ``key: value``; a list is either inline (``[a, b]``) or one ``- item`` per following line.
Every key in ``REQUIRED`` must appear once and no other key may.
"""

import re
from datetime import date
from typing import TypedDict

from .types import DOMAINS, SLUG, FrontMatter, Problem

REQUIRED = ("title", "topic", "order", "domains", "updated", "sources")
LIST_KEYS = {"domains", "sources"}
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_ITEM_LINE = re.compile(r"^\s+-\s*(.*)$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def split(text: str, path: str) -> tuple[list[str], int, list[Problem]]:
    """Return (front matter lines, line number where the body starts, problems)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return [], 1, [Problem(path=path, line=1, message="a note must start with front matter: a line '---'")]
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return lines[1:index], index + 2, []
    return [], 1, [Problem(path=path, line=1, message="front matter is never closed: add a line '---' after it")]


class _Values(TypedDict, total=False):
    """What :class:`FrontMatter` is built from, filled in key by key."""

    title: str
    topic: str
    order: int
    domains: tuple[str, ...]
    updated: date
    sources: tuple[str, ...]


def parse(lines: list[str], path: str, *, first_line: int = 2) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse front matter lines (the text between the ``---`` lines, starting at ``first_line``)."""
    problems: list[Problem] = []
    text: dict[str, str] = {}  # the value of each key that is not a list
    lists: dict[str, list[str]] = {}  # the items of each list key
    where: dict[str, int] = {}  # the line each key is on, in the order they are written
    item_lines: dict[str, list[int]] = {}
    current_list: str | None = None

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path=path, line=line, message=message))

    for offset, line in enumerate(lines):
        number = first_line + offset
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM_LINE.match(line)
        if item:
            if current_list is None:
                problem(number, "a '- item' line must follow a list key such as 'sources:'")
            else:
                lists[current_list].append(_unquote(item.group(1)))
                item_lines[current_list].append(number)
            continue
        match = _KEY_LINE.match(line)
        if not match:
            problem(number, f"expected 'key: value', got {line.strip()!r}")
            current_list = None
            continue
        key, value = match.group(1), match.group(2).strip()
        current_list = None
        if key not in REQUIRED:
            problem(number, f"unknown key {key!r} (allowed: {', '.join(REQUIRED)})")
            continue
        if key in where:
            problem(number, f"key {key!r} is given twice (first on line {where[key]})")
            continue
        where[key] = number
        if key in LIST_KEYS:
            item_lines[key] = []
            if not value:
                lists[key] = []
                current_list = key
            elif value.startswith("[") and value.endswith("]"):
                lists[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
                item_lines[key] = [number] * len(lists[key])
            else:
                lists[key] = [_unquote(value)]
                item_lines[key] = [number]
        else:
            text[key] = _unquote(value)

    for key in REQUIRED:
        if key not in where:
            problem(first_line - 1, f"missing key {key!r} in the front matter")

    values: _Values = {}
    for key, key_line in where.items():
        if key == "title":
            if not text[key]:
                problem(key_line, "title is empty")
            values["title"] = text[key]
        elif key == "topic":
            if not SLUG.match(text[key]):
                problem(key_line, f"topic must be a slug such as 'lambda', got {text[key]!r}")
            values["topic"] = text[key]
        elif key == "order":
            try:
                values["order"] = int(text[key])
            except ValueError:
                problem(key_line, f"order must be a whole number, got {text[key]!r}")
        elif key == "updated":
            try:
                values["updated"] = date.fromisoformat(text[key])
            except ValueError:
                problem(key_line, f"updated must be a date written YYYY-MM-DD, got {text[key]!r}")
        elif key == "domains":
            if not lists[key]:
                problem(key_line, "domains needs at least one exam domain, such as domain-3")
            for domain, item_line in zip(lists[key], item_lines[key], strict=True):
                if domain not in DOMAINS:
                    problem(item_line, f"unknown exam domain {domain!r} (use {', '.join(DOMAINS)})")
            values["domains"] = tuple(lists[key])
        elif key == "sources":
            if not lists[key]:
                problem(key_line, "sources needs at least one https:// address of an AWS page")
            for source, item_line in zip(lists[key], item_lines[key], strict=True):
                if not re.match(r"^https://[^\s/]+\.[^\s]+$", source):
                    problem(item_line, f"a source must be an https:// address, got {source!r}")
            values["sources"] = tuple(lists[key])

    if problems:
        return None, problems
    return FrontMatter(lines=where, **values), []
