"""Import and export services: what each question of a file becomes, whole or not at all."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from studyapp.authoring import services
from studyapp.authoring.services import Action, export_questions, import_questions
from studyapp.questions import services as bank
from studyapp.questions.content import Kind
from studyapp.questions.formats import gift
from studyapp.questions.models import CATEGORY_ROOT, Question, QuestionVersion, Status
from tests.authoring.conftest import MINE, THEIRS
from tests.conftest import NOW

pytestmark = pytest.mark.django_db

GOOD_AND_BROKEN = f"""$CATEGORY: {MINE}

// [id:grant] [tag:history]
::Grant::Who's buried in Grant's tomb?{{~Grant ~Jefferson =no one}}

::Broken::What is two plus two?{{#four}}

::Essay::Write about Lambda.{{}}

::Note::Lambda runs code without servers.

// [id:tf]
::Q1:: 42 is the Absolute Answer to everything.{{FALSE#42 is the Ultimate Answer.#You gave the right answer.}}
"""


def run(text: str, *, by=None, dry_run: bool = False, default_category: str | None = None, **kwargs):
    return import_questions(result=gift.parse(text), by=by, now=NOW, default_category=default_category, dry_run=dry_run, **kwargs)


def test_good_questions_import_as_drafts_and_the_rest_are_listed_with_lines(author):
    report = run(GOOD_AND_BROKEN, by=author)
    assert [(item.line, item.name, item.action) for item in report.items] == [
        (4, "Grant", Action.CREATE),
        (8, "Essay", Action.SKIP),
        (10, "Note", Action.SKIP),
        (13, "Q1", Action.CREATE),
    ]
    assert [(error.line, error.name) for error in report.errors] == [(6, "Broken")]
    assert "essay" in report.items[1].message
    assert report.exit_status == 1
    questions = Question.objects.order_by("id")
    assert [(q.source_key, q.category, q.status, q.author, q.tags) for q in questions] == [
        ("grant", MINE, Status.DRAFT, author, ["history"]),
        ("tf", MINE, Status.DRAFT, author, []),
    ]
    content = questions[0].content
    assert content.kind is Kind.SINGLE and [c.fraction for c in content.choices] == [0, 0, 1]
    assert content.stem_html == "<p>Who's buried in Grant's tomb?</p>"  # rendered for the learner's pages


def test_dry_run_writes_nothing_and_says_the_same(author):
    preview = run(GOOD_AND_BROKEN, by=author, dry_run=True)
    assert Question.objects.count() == 0 and QuestionVersion.objects.count() == 0
    done = run(GOOD_AND_BROKEN, by=author)
    assert [(i.line, i.action) for i in preview.items] == [(i.line, i.action) for i in done.items]
    assert preview.summary() == "2 will be created, 2 will be skipped, 1 not readable"
    assert done.summary() == "2 created, 2 skipped, 1 not readable"


def test_a_reimport_revises_instead_of_duplicating(author):
    first = run(f"$CATEGORY: {MINE}\n\n// [id:q1]\nPick one {{=right ~wrong}}\n", by=author)
    question = Question.objects.get()
    again = run(f"$CATEGORY: {MINE}\n\n// [id:q1]\nPick one {{=right ~wrong}}\n", by=author, dry_run=True)
    assert again.items[0].action is Action.UNCHANGED
    revised = run(f"$CATEGORY: {MINE}\n\n// [id:q1] [tag:new]\nPick one {{=right ~wrong ~also wrong}}\n", by=author)
    assert first.items[0].action is Action.CREATE
    assert revised.items[0].action is Action.REVISE and revised.items[0].question_id == question.pk
    assert Question.objects.count() == 1
    question.refresh_from_db()
    assert question.versions.count() == 2 and question.tags == ["new"]
    assert len(question.content.choices) == 3


def test_the_same_id_in_another_category_is_another_question(author):
    run(f"$CATEGORY: {MINE}/a\n\n// [id:q1]\nPick one {{=right ~wrong}}\n\n$CATEGORY: {MINE}/b\n\n// [id:q1]\nPick {{=x ~y}}\n", by=author)
    assert sorted(Question.objects.values_list("category", flat=True)) == [f"{MINE}/a", f"{MINE}/b"]


def test_an_id_twice_in_one_category_is_refused_the_second_time(author):
    report = run(f"$CATEGORY: {MINE}\n\n// [id:q1]\nOne {{=a ~b}}\n\n// [id:q1]\nTwo {{=c ~d}}\n", by=author)
    assert [item.action for item in report.items] == [Action.CREATE, Action.REFUSE]
    assert "first on line 4" in report.items[1].message
    assert Question.objects.count() == 1


def test_an_author_may_not_write_in_a_category_not_theirs(author, other_author):
    text = f"$CATEGORY: {THEIRS}\n\nOne {{=a ~b}}\n\n$CATEGORY: {MINE}/sub\n\nTwo {{=c ~d}}\n"
    report = run(text, by=author)
    assert [item.action for item in report.items] == [Action.REFUSE, Action.CREATE]
    assert THEIRS in report.items[0].message
    assert report.refusals[0].line == 3
    assert list(Question.objects.values_list("category", flat=True)) == [f"{MINE}/sub"]


def test_the_command_line_writes_anywhere(other_author):
    report = run(f"$CATEGORY: {THEIRS}\n\nOne {{=a ~b}}\n", by=None)
    assert report.exit_status == 0 and Question.objects.get().author is None


def test_revising_someone_elses_question_is_refused(author, other_author):
    run(f"$CATEGORY: {THEIRS}\n\n// [id:q1]\nOne {{=a ~b}}\n", by=other_author)
    report = run(f"$CATEGORY: {THEIRS}\n\n// [id:q1]\nChanged {{=a ~b}}\n", by=author)
    assert report.items[0].action is Action.REFUSE
    assert Question.objects.get().versions.count() == 1


def test_questions_from_the_course_notes_are_not_revised(demo_course):
    question = Question.objects.filter(placement__isnull=False).first()
    text = f"$CATEGORY: {question.category}\n\n// [id:{question.source_key}]\nChanged {{=a ~b}}\n"
    report = run(text, by=None)
    assert report.items[0].action is Action.REFUSE and "course notes" in report.items[0].message
    assert question.versions.count() == 1


def test_the_default_category_places_questions_the_file_does_not(author):
    run("One {=a ~b}\n\n$CATEGORY: Lambda\n\nTwo {=c ~d}\n", by=author, default_category=MINE)
    assert list(Question.objects.values_list("category", flat=True)) == [MINE, f"{MINE}/Lambda"]


@pytest.mark.parametrize(
    ("path", "default", "expected"),
    [
        ("", None, CATEGORY_ROOT),
        ("$course$/top/A/B", "$course$/top/Mine", "$course$/top/A/B"),
        ("$system$/top/A", None, "$course$/top/A"),
        ("$module$/Default for quiz", None, "$course$/top/Default for quiz"),
        ("A//B/ ", None, "$course$/top/A/B"),
        ("Lambda", "$course$/top/Mine", "$course$/top/Mine/Lambda"),
        ("", "Mine", "$course$/top/Mine"),
    ],
)
def test_normal_category(path, default, expected):
    assert services.normal_category(path, default=default) == expected


def test_each_question_is_whole_or_absent(author, monkeypatch):
    """A batch that fails is written again one question at a time; a failure while writing one question
    (here its version) then leaves no row of it, and the others stay."""
    from django.db import IntegrityError

    real = bank._write_version
    calls = {"n": 0}

    def failing_batch(**kwargs):
        raise IntegrityError("an id taken meanwhile")

    def flaky(question, content, checksum, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise IntegrityError("boom")
        return real(question, content, checksum, **kwargs)

    monkeypatch.setattr(bank, "create_questions", failing_batch)
    monkeypatch.setattr(bank, "_write_version", flaky)
    report = run(f"$CATEGORY: {MINE}\n\nOne {{=a ~b}}\n\nTwo {{=c ~d}}\n\nThree {{=e ~f}}\n", by=author)
    assert [item.action for item in report.items] == [Action.CREATE, Action.REFUSE, Action.CREATE]
    assert sorted(q.content.stem for q in Question.objects.all()) == ["One", "Three"]
    assert Question.objects.filter(current_version__isnull=True).count() == 0


def test_new_questions_are_written_in_batches(author):
    text = f"$CATEGORY: {MINE}\n\n" + "\n\n".join(f"// [id:q{n}]\nQuestion {n} {{=a ~b}}" for n in range(50))
    with CaptureQueriesContext(connection) as queries:
        report = run(text, by=author)
    assert len(report.of(Action.CREATE)) == 50
    assert len(queries) <= 10  # not five a question: a few for the whole batch
    assert [q.current_version.number for q in Question.objects.select_related("current_version")] == [1] * 50
    assert {q.source_key: q.content.stem for q in Question.objects.all()}["q7"] == "Question 7"


def test_revisions_are_written_in_batches(author):
    text = f"$CATEGORY: {MINE}\n\n" + "\n\n".join(f"// [id:q{n}]\nQuestion {n} {{=a ~b}}" for n in range(50))
    run(text, by=author)
    with CaptureQueriesContext(connection) as queries:
        report = run(text.replace("Question", "Changed question"), by=author)
    assert len(report.of(Action.REVISE)) == 50
    assert len(queries) <= 20  # the same for 50 or 500: not a lock, two reads and three writes a question
    assert {q.content.stem for q in Question.objects.all()} == {f"Changed question {n}" for n in range(50)}
    assert set(QuestionVersion.objects.values_list("number", flat=True)) == {1, 2}


def test_revising_a_published_question_invalidates_cached_pages(author):
    from studyapp.core import versions

    run(f"$CATEGORY: {MINE}\n\n// [id:q]\nOne {{=a ~b}}\n", by=author)
    before = versions.current("content")
    run(f"$CATEGORY: {MINE}\n\n// [id:q]\nOne, a draft still {{=a ~b}}\n", by=author)
    assert versions.current("content") == before  # drafts reach no page
    bank.publish(question=Question.objects.get())
    run(f"$CATEGORY: {MINE}\n\n// [id:q]\nOne, published {{=a ~b}}\n", by=author)
    assert versions.current("content") != before


def test_published_on_request(author):
    run(f"$CATEGORY: {MINE}\n\nOne {{=a ~b}}\n", by=author, status=Status.PUBLISHED)
    assert Question.objects.published().count() == 1


def test_existing_questions_are_read_in_one_query_per_category(author):
    text = f"$CATEGORY: {MINE}\n\n" + "\n\n".join(f"// [id:q{n}]\nQuestion {n} {{=a ~b}}" for n in range(50))
    run(text, by=author)
    with CaptureQueriesContext(connection) as queries:
        report = run(text, by=author, dry_run=True)
    assert {item.action for item in report.items} == {Action.UNCHANGED}
    assert len(queries) <= 3  # the author's categories, then the existing questions


# --- export -----------------------------------------------------------------------------------------


ROUND_TRIP = f"""$CATEGORY: {MINE}/Lambda

// [id:single] [tag:domain-3] [tag:lambda]
::Single::Which service runs code without servers?{{=AWS Lambda#Right.~Amazon EC2#It is a server.####Lambda is serverless.}}

// [id:multi]
::Multi::Pick two {{~%50%a ~%50%b ~%-100%c}}

::TF::Lambda bills per millisecond.{{TRUE#No.#Yes.}}

::Short::Name the service {{=Lambda =AWS Lambda#Both fine}}

::Num::How many GB at most? {{#=10:0.5#About ten =%50%9..11}}

::Match::Pair them {{=Lambda -> functions =EC2 -> servers = -> nothing}}

$CATEGORY: {MINE}/Lambda/deeper

::Missing::Lambda is {{=serverless ~a server}} compute.
"""


def test_export_then_import_gives_back_the_same_questions(author):
    original = gift.parse(ROUND_TRIP)
    assert original.errors == () and len(original.questions) == 7
    run(ROUND_TRIP, by=author)
    exported = export_questions(category=MINE, fmt="gift")
    assert exported.count == 7 and exported.skipped == ()
    again = gift.parse(exported.text)
    assert again.errors == ()

    def seen(questions):
        return [(q.category, q.id, q.tags, q.name, q.content) for q in questions]

    assert seen(again.questions) == seen(original.questions)
    # and into the bank again: the questions with an id are found, worded the same
    report = run(exported.text, by=author, dry_run=True)
    assert [item.action for item in report.items if item.idnumber] == [Action.UNCHANGED, Action.UNCHANGED]


def test_export_leaves_out_retired_and_other_categories(author, other_author):
    run(f"$CATEGORY: {MINE}\n\nKept {{=a ~b}}\n\nRetired {{=c ~d}}\n", by=author)
    run(f"$CATEGORY: {MINE}ish\n\nNot below {{=a ~b}}\n", by=None)
    run(f"$CATEGORY: {THEIRS}\n\nTheirs {{=a ~b}}\n", by=other_author)
    bank.retire(question=Question.objects.get(current_version__data__stem="Retired"))
    text = export_questions(category=MINE, fmt="gift").text
    assert "Kept" in text and "Retired" not in text and "Not below" not in text and "Theirs" not in text
    assert "Theirs" in export_questions(category=None, fmt="gift").text


def test_export_writes_the_latest_version(author):
    run(f"$CATEGORY: {MINE}\n\n// [id:q]\nOld wording {{=a ~b}}\n", by=author)
    run(f"$CATEGORY: {MINE}\n\n// [id:q]\nNew wording {{=a ~b}}\n", by=author)
    text = export_questions(category=MINE, fmt="gift").text
    assert "New wording" in text and "Old wording" not in text


def test_export_lists_what_the_format_cannot_hold(author):
    run(f"$CATEGORY: {MINE}\n\nKept {{=a ~b}}\n", by=author)
    question = Question.objects.get()
    from dataclasses import replace

    bank.add_version(
        question=question,
        content=replace(question.content, kind=Kind.SHORTANSWER, choices=(question.content.choices[0],), case_sensitive=True),
        by=author,
        now=NOW,
    )
    exported = export_questions(category=MINE, fmt="gift")
    assert exported.count == 0 and exported.text == ""
    assert [(s.question_id, s.name) for s in exported.skipped] == [(question.pk, "Kept")]
    assert "case-sensitive" in exported.skipped[0].reason


def test_a_file_too_big_or_not_utf8_is_unusable():
    with pytest.raises(services.UnusableFile, match="larger than 2 MB"):
        services.decode(b"x" * (services.MAX_IMPORT_BYTES + 1))
    with pytest.raises(services.UnusableFile, match="not UTF-8"):
        services.decode("Café {=a ~b}".encode("latin-1"))
    assert services.decode("\ufeffCafé".encode()) == "Café"


def test_fractions_survive_as_decimals(author):
    run(f"$CATEGORY: {MINE}\n\nPick {{~%33.33333%a ~%33.33333%b ~%33.33334%c ~d}}\n", by=author)
    assert [c.fraction for c in Question.objects.get().content.choices] == [
        Decimal("0.3333333"),
        Decimal("0.3333333"),
        Decimal("0.3333334"),
        Decimal(0),
    ]
