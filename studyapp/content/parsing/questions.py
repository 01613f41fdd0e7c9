"""Questions written as GIFT in ```gift blocks, checked against the course's house rules.

The GIFT grammar itself lives in :mod:`studyapp.authoring.formats.gift`; this module adds what the
course requires of each question: a stable id, one exam domain, a topic, an explanation and the
real exam's shape (4 options for single answer, 5 or more for multiple response).
"""

import re
from decimal import Decimal

from studyapp.authoring.formats import gift

from .markup import plain_text, render_safe
from .types import DOMAINS, ParsedQuestion, Problem, Section
from .types import SLUG as ID_PATTERN

COURSE_KINDS = {gift.Kind.SINGLE: "single", gift.Kind.MULTIPLE: "multiple", gift.Kind.TRUEFALSE: "truefalse"}


def question_data(question: gift.Question) -> dict[str, object]:
    """The JSON-ready content of one question version: raw text and rendered, sanitized HTML."""
    return {
        "kind": COURSE_KINDS.get(question.kind, str(question.kind)),
        "name": question.name,
        "stem": question.stem,
        "stem_html": render_safe(question.stem),
        "options": [
            {
                "text": option.text,
                "html": render_safe(option.text, inline=True),
                "fraction": str(option.fraction.normalize()),
                "feedback": option.feedback,
                "feedback_html": render_safe(option.feedback, inline=True) if option.feedback else "",
            }
            for option in question.options
        ],
        "explanation": question.general_feedback,
        "explanation_html": render_safe(question.general_feedback),
    }


def parse_block(
    text: str, *, path: str, first_line: int, section: Section, topics: frozenset[str]
) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Parse the text inside one ```gift fence whose first line is ``first_line``."""
    result = gift.parse(text, start_line=first_line)
    problems = [
        Problem(path=path, line=e.line, message=f"{e.message} (question {e.name!r})" if e.name else e.message)
        for e in result.errors
    ]
    questions: list[ParsedQuestion] = []
    for q in result.questions:
        found = _check(q, topics)
        if found:
            problems.extend(Problem(path=path, line=q.line, message=m) for m in found)
            continue
        assert q.id is not None
        domain = next(t for t in q.tags if t in DOMAINS)
        topic = next(t for t in q.tags if t in topics)
        data = question_data(q)
        questions.append(
            ParsedQuestion(
                key=q.id, line=q.line, kind=COURSE_KINDS[q.kind], topic=topic, domain=domain,
                tags=tuple(q.tags), section=section, data=data,
                text=plain_text(" ".join([data["stem_html"], *(o["html"] for o in data["options"]), data["explanation_html"]])),  # type: ignore[list-item, misc]
            )
        )  # fmt: skip
    return questions, problems


def _check(q: gift.Question, topics: frozenset[str]) -> list[str]:
    label = f"question {q.id!r}" if q.id else "question"
    messages: list[str] = []
    if not q.id:
        messages.append("a question needs a stable id: put '// [id:some-id] [tag:topic] [tag:domain-N]' on the line above it")
    elif not ID_PATTERN.match(q.id):
        messages.append(f"question id {q.id!r} must use lower-case letters, digits and hyphens")
    domains = [t for t in q.tags if t in DOMAINS]
    if len(domains) != 1:
        messages.append(f"{label} needs exactly one exam domain tag such as [tag:domain-3], found {len(domains)}")
    if not any(t in topics for t in q.tags):
        messages.append(f"{label} needs a topic tag, one of: {', '.join(sorted(topics))}")
    if q.kind not in COURSE_KINDS:
        messages.append(f"{label} is a {q.kind} question; the course uses multiple choice and true/false only")
    if not q.general_feedback.strip():
        messages.append(f"{label} needs an explanation: add '####' general feedback before the closing brace")
    if q.kind == gift.Kind.SINGLE and len(q.options) != 4:
        messages.append(f"{label} is single answer and needs exactly 4 options, like the exam; it has {len(q.options)}")
    if q.kind == gift.Kind.MULTIPLE:
        if len(q.options) < 5:
            messages.append(f"{label} is multiple response and needs 5 or more options; it has {len(q.options)}")
        right = sum(1 for o in q.options if o.fraction > Decimal(0))
        cues = {2: "TWO", 3: "THREE", 4: "FOUR"}
        if right in cues and f"(Select {cues[right]}.)" not in q.stem:
            messages.append(f"{label} has {right} right options: say '(Select {cues[right]}.)' in the stem")
    return messages
