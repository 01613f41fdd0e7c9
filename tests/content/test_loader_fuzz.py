"""Random notes against the loader: ``--check`` either passes or lists ``path:line: message``
problems, never raises; and whatever it passes, the load writes (on PostgreSQL too, whose columns
refuse text longer than their ``max_length``)."""

import re
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from studyapp.content.loader import load
from studyapp.content.sync import sync_content
from tests.conftest import NOW

COURSE_TOML = 'title = "Fuzz"\nsummary = "Random notes."\n\n[[topics]]\nslug = "things"\ntitle = "Things"\nsummary = "Some."\n'
PROBLEM = re.compile(r"^fuzz/note\.md:\d+: \S")

words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30)
ids = st.one_of(st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,2}", fullmatch=True), st.text(max_size=12), st.just("x" * 205))
numbers = st.one_of(st.integers(min_value=-5, max_value=2000).map(str), st.integers(min_value=0, max_value=5000).map(lambda n: "9" * n))


@st.composite
def card_block(draw: st.DrawFn) -> str:
    cards = []
    for _ in range(draw(st.integers(1, 3))):
        head = f"// [id:{draw(ids)}]" + draw(st.sampled_from(["", " [tag:beyond-exam]", " [tag:", " junk"]))
        if draw(st.booleans()):
            cards.append(f"{head}\nQ: {draw(words)}\nA: {draw(words)}")
        else:
            cards.append(f"{head}\nC: {draw(words)} {{{{c{draw(numbers)}::{draw(words)}}}}} {draw(words)}\nX: {draw(words)}")
    return "```cards\n" + "\n\n".join(cards) + "\n```"


@st.composite
def gift_block(draw: st.DrawFn) -> str:
    tags = draw(st.sampled_from(["[tag:things] [tag:domain-2]", "[tag:things] [tag:domain-1] [tag:beyond-exam]", "[tag:nope]", ""]))
    title = draw(st.sampled_from(["", "::A title:: ", "::" + "T" * 310 + ":: ", "::open "]))
    options = "".join(
        f"  {draw(st.sampled_from(['=', '~', '~%50%', '~%-100%']))}{draw(words)}#{draw(words)}\n" for _ in range(draw(st.integers(0, 6)))
    )
    explanation = draw(st.sampled_from(["  ####Because.\n", ""]))
    return f"```gift\n// [id:{draw(ids)}] {tags}\n{title}{draw(words)} (Select TWO.){{\n{options}{explanation}}}\n```"


fragments = st.one_of(
    words,
    words.map(lambda w: f"## {w}"),
    words.map(lambda w: f"### {w}"),
    card_block(),
    gift_block(),
    st.sampled_from(
        [
            "<a href='https://aws.amazon.com/'>AWS</a>",
            '<div style="color: red">x</div>',
            "<script>alert(1)</script>",
            "<a ",
            "<![ ",
            "<!-- a comment -->",
            "<svg class='svg-box' role='img'><text>x</text></svg>",
            "[a link](https://aws.amazon.com/)",
            "[never closed",
            "{{c1::x}}",
            ":::calculator lambda",
            ":::calculator ec2",
            '!!! tip "Exam tip"\n    Indented.',
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "```\ncode <a [ \n```",
            "```\nnever closed",
            "# Level one",
            "- " * 30 + "deep",
        ]
    ),
    st.integers(0, 40).map(lambda depth: "".join("    " * level + "- item\n" for level in range(depth))),
    st.integers(0, 40).map(lambda depth: "> " * depth + "quoted"),
)


@st.composite
def good_cards(draw: st.DrawFn) -> str:
    """Cards that are well formed, whatever their (random) text: so that many notes pass --check."""
    cards = [
        f"// [id:card-{index}]{draw(st.sampled_from(['', ' [tag:beyond-exam]']))}\nQ: {draw(words)}x\nA: {draw(words)}y"
        if draw(st.booleans())
        else f"// [id:card-{index}]\nC: {draw(words)} {{{{c{draw(st.integers(1, 999))}::{draw(words)}z}}}}"
        for index in range(draw(st.integers(1, 3)))
    ]
    return "```cards\n" + "\n\n".join(cards) + "\n```"


@st.composite
def good_question(draw: st.DrawFn) -> str:
    key = draw(st.from_regex(r"q-[a-z0-9]{1,30}", fullmatch=True))
    tags = draw(st.sampled_from(["[tag:things] [tag:domain-2]", "[tag:things] [tag:domain-4] [tag:beyond-exam]"]))
    options = "".join(f"  {mark}{draw(words)}o{index}#{draw(words)}\n" for index, mark in enumerate("=~~~"))
    return f"```gift\n// [id:{key}] {tags}\n::{draw(words)}:: {draw(words)}?{{\n{options}  ####{draw(words)}.\n}}\n```"


def rarely(times: int) -> st.SearchStrategy[bool]:
    """True about once in ``times`` (last in the list: Hypothesis favours the first element)."""
    return st.sampled_from([False] * (times - 1) + [True])


@st.composite
def one_in(draw: st.DrawFn, times: int, rare: st.SearchStrategy[str], usual: st.SearchStrategy[str]) -> str:
    return draw(rare if draw(rarely(times)) else usual)


@st.composite
def note_text(draw: st.DrawFn) -> str:
    order = draw(one_in(4, st.one_of(numbers, words), st.just("1")))
    title = draw(one_in(4, st.one_of(words, st.just("T" * 201)), st.just("A note")))
    head = (
        f"---\ntitle: {title}\ntopic: {draw(one_in(5, st.just('other'), st.just('things')))}\norder: {order}\ndomains: [domain-1]\n"
        "updated: 2026-11-20\nsources: [https://docs.aws.amazon.com/lambda/latest/dg/welcome.html]\n---\n"
    )
    if draw(rarely(10)):
        head = draw(words) + "\n"  # no front matter at all
    body = draw(st.lists(one_in(3, fragments, st.one_of(words, good_cards(), good_question())), max_size=8))
    return head + "\n\n".join(body) + "\n"


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=note_text())
def test_check_reports_problems_by_line_or_passes_and_then_loads(text):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "fuzz").mkdir()
        (root / "fuzz" / "course.toml").write_text(COURSE_TOML)
        (root / "fuzz" / "note.md").write_text(text)
        out, err = StringIO(), StringIO()
        try:
            call_command("load_content", str(root), "--check", stdout=out, stderr=err)
            code = 0
        except SystemExit as exit:
            code = int(exit.code or 0)
        if code:
            *problems, last = err.getvalue().splitlines()
            assert problems and all(PROBLEM.match(line) for line in problems), err.getvalue()
            assert last.endswith("nothing was changed.")
            event("refused")
            return
        event("passed --check")
        assert "checked; nothing written" in out.getvalue()
        result = load(root)
        assert result.ok
        with transaction.atomic():  # the load, rolled back so each example starts from an empty database
            sync_content(result, now=NOW)
            transaction.set_rollback(True)
