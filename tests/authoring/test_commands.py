"""``manage.py import_questions`` and ``export_questions``: the interface issue 16 fixes."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from studyapp.authoring import services
from studyapp.questions.models import Question, QuestionVersion, Status

pytestmark = pytest.mark.django_db

MOODLE = """// Moodle's own examples
Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}

Grant is {~buried =entombed ~living} in Grant's tomb.

What two people are entombed in Grant's tomb? {~%-50%No one ~%50%Grant ~%50%Grant's wife ~%-50%Grant's father }

Which answer equals 5? { ~ \\= 2 + 2 = \\= 2 + 3 ~ \\= 2 + 4 }

::Q1:: 42 is the Absolute Answer to everything.{FALSE#42 is the Ultimate Answer.#You gave the right answer.}
"""

BROKEN = """// [id:good]
::Good::Which service runs functions? {=Lambda ~EC2}

::Broken::How many? {#many}

::Essay::Tell me about Lambda. {}
"""

ROUND_TRIP = """$CATEGORY: $course$/top/Mine/Lambda

// [id:single] [tag:domain-3] [tag:lambda]
::Single::Which service runs code without servers?{=AWS Lambda#Right.~Amazon EC2#It is a server.####Lambda is serverless.}

// [id:multi]
::Multi::Pick two {~%50%a ~%50%b ~%-100%c}

::TF::Lambda bills per millisecond.{TRUE#No.#Yes.}

::Short::Name the service {=Lambda =AWS Lambda#Both fine}

::Num::How many GB at most? {#=10:0.5#About ten =%50%9..11}

::Match::Pair them {=Lambda -> functions =EC2 -> servers = -> nothing}

$CATEGORY: $course$/top/Mine/Lambda/deeper

::Missing::Lambda is {=serverless ~a server} compute.
"""


def command(name: str, *args: str) -> tuple[int, str, str]:
    """Run a command as the shell would: its exit status, standard output and standard error."""
    out, err = StringIO(), StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def write(tmp_path: Path):
    def write(text: str | bytes, name: str = "questions.txt") -> str:
        path = tmp_path / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return str(path)

    return write


def test_every_question_imported_is_status_0(write):
    status, out, err = command("import_questions", write(MOODLE), "--format", "gift")
    assert status == 0, err
    assert out.strip().endswith("5 created")
    assert Question.objects.filter(status=Status.DRAFT).count() == 5


def test_some_refused_is_status_1_with_file_line_and_name(write):
    path = write(BROKEN)
    status, out, err = command("import_questions", path, "--format", "gift")
    assert status == 1
    assert f"{path}:4: Broken: not a number: 'many'" in err
    assert f"{path}:6: Essay: " in err and "skipped" in err
    assert "1 created, 1 skipped, 1 not readable" in out
    assert list(Question.objects.values_list("source_key", flat=True)) == ["good"]


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (None, "gift", "No such file"),
        ("Café {=a ~b}".encode("latin-1"), "gift", "not UTF-8"),
        (b"x" * (services.MAX_IMPORT_BYTES + 1), "gift", "larger than 2 MB"),
        ("Who's buried in Grant's tomb?{~Grant =no one}", "moodlexml", "not well-formed XML"),
        ("<html><body>hello</body></html>", "moodlexml", "not <quiz>"),
        ("", "gift", "holds no questions"),
    ],
)
def test_an_unusable_file_is_status_2(write, tmp_path, content, fmt, message):
    path = write(content) if content is not None else str(tmp_path / "missing.txt")
    status, _out, err = command("import_questions", path, "--format", fmt)
    assert status == 2
    assert message in err
    assert Question.objects.count() == 0


def test_json_on_moodles_examples(write):
    status, out, _err = command("import_questions", write(MOODLE), "--format", "gift", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["errors"] == []
    grant, missing, two, equals, q1 = data["questions"]
    assert grant == {
        "type": "multichoice",
        "single": True,
        "name": "",
        "text": "Who's buried in Grant's tomb?",
        "options": [
            {"text": "Grant", "fraction": 0, "feedback": "", "tolerance": None},
            {"text": "Jefferson", "fraction": 0, "feedback": "", "tolerance": None},
            {"text": "no one", "fraction": 1, "feedback": "", "tolerance": None},
        ],
        "general_feedback": "",
        "tags": [],
        "idnumber": None,
        "category": "",
        "line": 2,
    }
    assert missing["text"] == "Grant is _____ in Grant's tomb."
    assert (two["single"], [o["fraction"] for o in two["options"]]) == (False, [-0.5, 0.5, 0.5, -0.5])
    assert [o["text"] for o in equals["options"]] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    assert q1["type"] == "truefalse" and q1["name"] == "Q1"
    assert [(o["text"], o["fraction"]) for o in q1["options"]] == [("True", 0), ("False", 1)]


def test_json_lists_parse_errors_skips_and_the_importers_refusals(write):
    text = BROKEN + "\n// [id:good]\n::Again::Same id in the same category {=a ~b}\n"
    status, out, _err = command("import_questions", write(text), "--format", "gift", "--json")
    assert status == 1
    assert json.loads(out)["errors"] == [
        {"line": 4, "message": "Broken: not a number: 'many'"},
        {"line": 6, "message": "Essay: essay questions are not supported; skipped"},
        {"line": 9, "message": "Again: the id 'good' is used twice in this category (first on line 2)"},
    ]


def test_dry_run_writes_nothing(write):
    path = write(BROKEN)
    status, out, _err = command("import_questions", path, "--format", "gift", "--dry-run")
    assert status == 1
    assert f"{path}:2: Good: will be created in $course$/top" in out
    assert "dry run: nothing was written" in out
    assert Question.objects.count() == 0 and QuestionVersion.objects.count() == 0


def test_category_places_what_the_file_does_not(write):
    command("import_questions", write(MOODLE), "--format", "gift", "--category", "Imported/Moodle")
    assert set(Question.objects.values_list("category", flat=True)) == {"$course$/top/Imported/Moodle"}


def test_import_twice_revises_questions_with_an_id(write):
    command("import_questions", write(BROKEN), "--format", "gift")
    _status, out, _err = command("import_questions", write(BROKEN.replace("runs functions", "runs your functions")), "--format", "gift")
    assert "1 revised" in out
    assert Question.objects.filter(source_key="good").get().versions.count() == 2


def without_lines(data: dict) -> list[dict]:
    return [{key: value for key, value in question.items() if key != "line"} for question in data["questions"]]


@pytest.mark.parametrize("fmt", ["gift", "moodlexml"])
def test_export_then_import_gives_back_the_same_questions(write, fmt):
    original = json.loads(command("import_questions", write(ROUND_TRIP), "--format", "gift", "--json")[1])
    assert len(original["questions"]) == 7
    status, exported, err = command("export_questions", "--format", fmt, "--category", "$course$/top/Mine")
    assert status == 0 and err == ""
    status, out, err = command("import_questions", write(exported, f"export.{fmt}"), "--format", fmt, "--json")
    assert status == 0, out
    assert without_lines(json.loads(out)) == without_lines(original)


def test_aiken_export_says_what_it_skipped(write):
    command("import_questions", write(ROUND_TRIP), "--format", "gift")
    status, out, err = command("export_questions", "--format", "aiken")
    assert status == 0
    assert "Which service runs code without servers?\nA. AWS Lambda\nB. Amazon EC2\nANSWER: A" in out
    assert "Multi" not in out
    assert "skipped question" in err and "(Multi)" in err and "2 exported, 5 skipped" in err


def test_export_of_a_category_only(write):
    command("import_questions", write(ROUND_TRIP), "--format", "gift")
    _status, out, _err = command("export_questions", "--format", "gift", "--category", "$course$/top/Mine/Lambda/deeper")
    assert "Missing" in out and "Single" not in out
