"""Front matter: the strict subset of YAML at the top of every note."""

from datetime import date

import pytest

from studyapp.content.parsing import frontmatter

GOOD = """title: Amazon ECS
topic: ecs
order: 20
domains: [domain-3, domain-1]
updated: 2026-11-20
sources:
  - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html
  - "https://aws.amazon.com/ecs/pricing/"
"""


def test_parses_every_key_with_both_list_styles():
    meta, problems = frontmatter.parse(GOOD.splitlines(), "n.md")
    assert problems == []
    assert meta is not None
    assert meta.title == "Amazon ECS"
    assert meta.order == 20
    assert meta.domains == ("domain-3", "domain-1")
    assert meta.updated == date(2026, 11, 20)
    assert meta.sources[1] == "https://aws.amazon.com/ecs/pricing/"
    assert meta.lines["topic"] == 3


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("order: 20", "order: twenty"), 4, "order must be a whole number"),
        (("updated: 2026-11-20", "updated: 20/11/2026"), 6, "updated must be a date written YYYY-MM-DD"),
        (("domains: [domain-3, domain-1]", "domains: [domain-9]"), 5, "unknown exam domain 'domain-9'"),
        (("domains: [domain-3, domain-1]", "domains: []"), 5, "domains needs at least one exam domain"),
        (("topic: ecs", "topic: Amazon ECS"), 3, "topic must be a slug"),
        (("title: Amazon ECS", "title: Amazon ECS\nauthor: me"), 3, "unknown key 'author'"),
        (("title: Amazon ECS", "title: Amazon ECS\ntitle: again"), 3, "key 'title' is given twice"),
        (("title: Amazon ECS", "title:"), 2, "title is empty"),
        (("order: 20", "this is not a key"), 4, "expected 'key: value'"),
        (
            ("  - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html", "  - http://example.com/insecure"),
            8,
            "a source must be an https:// address",
        ),
        (("title: Amazon ECS\n", "  - stray item\ntitle: Amazon ECS\n"), 2, "a '- item' line must follow a list key"),
    ],
)
def test_each_problem_is_reported_on_its_line(change, line, message):
    text = GOOD.replace(*change)
    meta, problems = frontmatter.parse(text.splitlines(), "n.md")
    assert meta is None
    assert any(p.line == line and message in p.message for p in problems), problems


def test_missing_keys_are_reported_on_the_opening_line():
    meta, problems = frontmatter.parse(["title: Only a title"], "n.md")
    assert meta is None
    assert {p.message for p in problems} >= {"missing key 'sources' in the front matter", "missing key 'order' in the front matter"}
    assert {p.line for p in problems} == {1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter here\n", "a note must start with front matter"),
        ("---\ntitle: x\n", "front matter is never closed"),
    ],
)
def test_front_matter_must_exist_and_close(text, message):
    _head, _body_line, problems = frontmatter.split(text, "n.md")
    assert problems and problems[0].line == 1 and message in problems[0].message
