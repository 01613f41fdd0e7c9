"""Questions written as GIFT in ```gift blocks, checked against the course's house rules.

The GIFT grammar itself lives in :mod:`studyapp.questions.formats.gift`; this module adds what the
course requires of each question (a stable id, one exam domain, a topic, an explanation and the
real exam's shape: 4 options for single answer, 5 or more for multiple response) and renders the
HTML of its :class:`~studyapp.questions.content.QuestionContent`.
"""

import dataclasses

from studyapp.questions.content import Kind, QuestionContent
from studyapp.questions.formats import gift

from .markup import plain_text, render_safe
from .types import DOMAINS, ParsedQuestion, Problem, Section
from .types import SLUG as ID_PATTERN

COURSE_KINDS = {Kind.SINGLE: "single", Kind.MULTIPLE: "multiple", Kind.TRUEFALSE: "truefalse"}


def rendered(content: QuestionContent) -> QuestionContent:
    """``content`` with the HTML of its stem, choices and explanation filled: rendered, sanitized."""
    return dataclasses.replace(
        content,
        stem_html=render_safe(content.stem),
        choices=tuple(
            dataclasses.replace(
                choice,
                html=render_safe(choice.text, inline=True),
                feedback_html=render_safe(choice.feedback, inline=True) if choice.feedback else "",
            )
            for choice in content.choices
        ),
        explanation_html=render_safe(content.explanation),
    )


def parse_block(
    text: str, *, path: str, first_line: int, section: Section, topics: frozenset[str]
) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Parse the text inside one ```gift fence whose first line is ``first_line``."""
    result = gift.parse(text, start_line=first_line)
    problems = [
        Problem(path=path, line=e.line, message=f"{e.message} (question {e.name!r})" if e.name else e.message) for e in result.errors
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
        content = rendered(q.content)
        questions.append(
            ParsedQuestion(
                key=q.id,
                line=q.line,
                kind=COURSE_KINDS[content.kind],
                topic=topic,
                domain=domain,
                tags=tuple(q.tags),
                section=section,
                content=content,
                text=plain_text(content.stem_html),  # the stem only: options and explanation would give the answer away
            )
        )
    return questions, problems


def _check(q: gift.Question, topics: frozenset[str]) -> list[str]:
    label = f"question {q.id!r}" if q.id else "question"
    content = q.content
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
    if content.kind not in COURSE_KINDS:
        messages.append(f"{label} is a {content.kind} question; the course uses multiple choice and true/false only")
    if not content.explanation.strip():
        messages.append(f"{label} needs an explanation: add '####' general feedback before the closing brace")
    if content.kind is Kind.SINGLE and len(content.choices) != 4:
        messages.append(f"{label} is single answer and needs exactly 4 options, like the exam; it has {len(content.choices)}")
    if content.kind is Kind.MULTIPLE:
        if len(content.choices) < 5:
            messages.append(f"{label} is multiple response and needs 5 or more options; it has {len(content.choices)}")
        right = content.right_count
        cues = {2: "TWO", 3: "THREE", 4: "FOUR"}
        if right in cues and f"(Select {cues[right]}.)" not in content.stem:
            messages.append(f"{label} has {right} right options: say '(Select {cues[right]}.)' in the stem")
    return messages
