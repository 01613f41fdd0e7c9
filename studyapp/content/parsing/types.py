"""The typed results of parsing course content."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from studyapp.questions.content import QuestionContent

DOMAINS: dict[str, str] = {
    "domain-1": "Cloud Concepts",
    "domain-2": "Security and Compliance",
    "domain-3": "Cloud Technology and Services",
    "domain-4": "Billing, Pricing and Support",
}
CALCULATORS: dict[str, str] = {
    "lambda": "AWS Lambda",
    "fargate": "AWS Fargate",
    "api_gateway": "Amazon API Gateway",
    "ecr": "Amazon ECR",
    "batch": "AWS Batch",
    "lightsail": "Amazon Lightsail",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # ids, topics, note addresses
BEYOND_EXAM = "beyond-exam"
"""The tag of questions and cards on what CLF-C02 does not ask (price arithmetic, configuration
details): the mock never draws them, practice and the review queue leave them out unless the learner
asks, and readiness does not count them."""


def checksum(value: Any) -> str:
    """A stable hex digest of any JSON-serialisable value."""
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Problem:
    """One thing wrong with the content, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Topic:
    slug: str
    title: str
    summary: str
    position: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseInfo:
    slug: str
    title: str
    summary: str
    topics: tuple[Topic, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontMatter:
    title: str
    topic: str
    order: int
    domains: tuple[str, ...]
    updated: date
    sources: tuple[str, ...]
    lines: dict[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """The heading a block was written under (empty for text before the first heading)."""

    anchor: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedCard:
    key: str
    line: int
    kind: str  # "basic" | "cloze"
    front_html: str
    back_html: str
    text: str  # plain text for search
    section: Section
    cloze_number: int | None = None
    tags: tuple[str, ...] = ()  # from the id line: ``// [id:x] [tag:beyond-exam]``; each cloze sibling carries its written card's

    @property
    def checksum(self) -> str:
        """Of what the learner sees: a tag changed alone leaves it (the row's tags are updated all the same)."""
        return checksum([self.kind, self.front_html, self.back_html, self.section.anchor, self.section.title])


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedQuestion:
    key: str
    line: int
    kind: str  # "single" | "multiple" | "truefalse"
    topic: str
    domain: str
    tags: tuple[str, ...]
    section: Section
    content: QuestionContent  # the version's content: stem, choices, explanation (raw and rendered HTML)
    text: str  # plain text for search

    @property
    def version_checksum(self) -> str:
        """Of the stored JSON: the same content always gives the same checksum, as before it was typed."""
        return checksum(self.content.to_json())


@dataclass(frozen=True, slots=True, kw_only=True)
class TocEntry:
    level: int
    title: str
    anchor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionText:
    """The text under one level-2 or level-3 heading, up to the next one: searched on its own."""

    anchor: str
    title: str
    text: str  # plain text for search


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedNote:
    path: str
    slug: str
    meta: FrontMatter
    body_html: str
    toc: tuple[TocEntry, ...]
    text: str  # plain text for search
    summary: str  # the first paragraph, as plain text
    cards: tuple[ParsedCard, ...]
    questions: tuple[ParsedQuestion, ...]
    calculators: tuple[str, ...]
    checksum: str
    sections: tuple[SectionText, ...] = ()
