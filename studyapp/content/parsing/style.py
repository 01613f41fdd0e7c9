"""The exam's style of question, as the course measures it. Pure: standard library only.

CLF-C02 asks mostly short scenarios: who (a company, a team, a developer), what they need, and which
choice fits. :func:`is_scenario` is the course's rule for one, used by ``load_content --stats``.
"""

import re

SCENARIO_GOAL = 0.60
"""The share of the course's questions that should be scenarios."""
SCENARIO_MIN_CHARS = 100
"""A scenario's stem is at least this long: a setting and a need do not fit in fewer characters."""

# Whoever the first sentence of a scenario names.
WHO = re.compile(
    r"\b(?:company|team|startup|developers?|organi[sz]ation|business|engineer|architect|customer|retailer|agency|school"
    r"|university|shop|store|firm|group|administrator|analyst|studio|app|application|site|website|you|your|their|its|we|our)\b",
    re.I,
)
_CUE = re.compile(r"\(Select [A-Z]+\.\)")  # the multiple-response cue, "(Select TWO.)"
_NAME = re.compile(r"^::.*?::")  # a GIFT title, should a stem still carry one
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def scenario_stem(stem: str) -> str:
    """The question's own text: without a ``::title::`` and without a "(Select TWO.)" cue."""
    return _CUE.sub("", _NAME.sub("", stem.strip())).strip()


def sentences(text: str) -> list[str]:
    """``text`` split after each ``.``, ``?`` or ``!`` that is followed by white space."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def is_scenario(stem: str) -> bool:
    """Whether a question's ``stem`` is written as a scenario: once :func:`scenario_stem` has taken
    off its title and cue, it has at least two sentences and SCENARIO_MIN_CHARS characters, and its
    first sentence names who is in it (a company, a team, a developer, you: :data:`WHO`)."""
    text = scenario_stem(stem)
    parts = sentences(text)
    return len(parts) >= 2 and len(text) >= SCENARIO_MIN_CHARS and WHO.search(parts[0]) is not None
