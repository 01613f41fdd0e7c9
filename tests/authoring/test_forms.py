"""The editor's form: every validation rule, and warnings (exam shape) that never block a save."""

from decimal import Decimal

import pytest

from studyapp.authoring.forms import MAX_ROWS, MORE_ROWS, START_ROWS, QuestionForm
from studyapp.questions.content import Kind

CATEGORY = "$course$/top/Mine"
TOPICS = [("lambda", "AWS Lambda"), ("ec2", "Amazon EC2")]


def form(kind: Kind, options: list[dict[str, str]] | None = None, **fields: str) -> QuestionForm:
    data = {"name": "A question", "stem": "Which one?", "category": CATEGORY, **fields}
    for index, row in enumerate(options or []):
        data |= {f"opt-{index}-{part}": value for part, value in row.items()}
    if options and len(options) > START_ROWS.get(kind, 0):
        data.setdefault("rows", str(len(options)))
    return QuestionForm(data, kind=kind, categories=[CATEGORY], topics=TOPICS)


def opts(*grades: str) -> list[dict[str, str]]:
    return [{"text": f"Option {n}", "fraction": grade} for n, grade in enumerate(grades, 1)]


def errors_of(f: QuestionForm) -> dict[str, list[str]]:
    assert not f.is_valid()
    return {name: [str(message) for message in messages] for name, messages in f.errors.items()}


def test_a_single_answer_question_builds_its_content():
    f = form(Kind.SINGLE, [{"text": "Lambda", "fraction": "100", "feedback": "Yes"}, *opts("", "0", "")[0:3]])
    assert f.is_valid(), f.errors
    content = f.content
    assert content is not None and content.kind is Kind.SINGLE
    assert [c.fraction for c in content.choices] == [Decimal(1), Decimal(0), Decimal(0), Decimal(0)]
    assert content.choices[0].feedback == "Yes" and content.choices[0].feedback_html == "Yes"
    assert content.stem_html == "<p>Which one?</p>"
    assert f.warnings == []


@pytest.mark.parametrize("grades", [("0", "0", "0", "0"), ("100", "100", "0", "0"), ("50", "50", "0", "0")])
def test_a_single_answer_question_needs_exactly_one_option_at_100(grades):
    assert "exactly one option graded 100 %" in errors_of(form(Kind.SINGLE, opts(*grades)))["rows"][0]


def test_a_single_answer_question_with_other_than_4_options_is_a_warning_only():
    f = form(Kind.SINGLE, opts("100", "0", "0"))
    assert f.is_valid()
    assert f.warnings == ["Exam-style questions have exactly 4 options; this one has 3. Fine for practice."]


def test_fewer_than_two_options_is_an_error():
    assert errors_of(form(Kind.SINGLE, opts("100")))["rows"] == ["Write at least two options."]


@pytest.mark.parametrize(
    ("grades", "total"), [(("50", "40", "0", "0", "0"), "90"), (("50", "50", "50", "0", "0"), "150"), (("0", "0", "0", "0", "0"), "0")]
)
def test_a_multiple_answer_questions_positive_grades_add_up_to_100(grades, total):
    message = errors_of(form(Kind.MULTIPLE, opts(*grades)))["rows"][0]
    assert message == f"The positive grades of a several-answer question must add up to 100 %; these add up to {total} %."


def test_thirds_written_as_moodle_writes_them_add_up_to_100():
    f = form(Kind.MULTIPLE, opts("33.33333", "33.33333", "33.33333", "-100", "0"))
    assert f.is_valid(), f.errors
    assert f.warnings == []


def test_negative_grades_do_not_count_towards_the_100():
    assert form(Kind.MULTIPLE, opts("50", "50", "-50", "-50", "0")).is_valid()


@pytest.mark.parametrize(("grades", "says"), [(("100", "0", "0", "0", "0"), "1 right of 5"), (("50", "50", "0", "0"), "2 right of 4")])
def test_exam_style_multiple_response_is_a_warning_for_practice(grades, says):
    f = form(Kind.MULTIPLE, opts(*grades))
    assert f.is_valid(), f.errors
    assert len(f.warnings) == 1 and says in f.warnings[0] and "at least 2 right answers among at least 5 options" in f.warnings[0]


@pytest.mark.parametrize("grade", ["101", "-100.5", "lots", "1e9", "NaN", "Infinity"])
def test_grades_outside_minus_100_to_100_or_not_numbers_are_errors_beside_the_option(grade):
    errors = errors_of(form(Kind.SINGLE, opts("100", grade, "0", "0")))
    assert errors == {"opt-1-fraction": ["Write a grade from -100 to 100 (a percentage, such as 50 or 33.33333)."]}


@pytest.mark.parametrize("grade", ["-100", "99.99", "50%", " 12.5 ", "-33.33333", "0"])
def test_any_grade_from_minus_100_to_100_is_accepted(grade):
    f = form(Kind.SINGLE, opts("100", grade, "0", "0"))
    assert f.is_valid(), f.errors


def test_an_option_with_feedback_but_no_text_is_an_error_beside_its_text():
    rows = [*opts("100", "0", "0"), {"text": "", "feedback": "orphan"}]
    assert errors_of(form(Kind.SINGLE, rows)) == {"opt-3-text": ["Write the option's text, or clear its grade and feedback."]}


def test_blank_rows_are_ignored():
    rows = [*opts("100"), {}, {"text": "Other", "fraction": "0"}]
    f = form(Kind.SINGLE, rows)
    assert f.is_valid(), f.errors
    assert f.content is not None and [c.text for c in f.content.choices] == ["Option 1", "Other"]


def test_the_stem_name_and_category_are_required_and_the_category_must_be_one_offered():
    errors = errors_of(form(Kind.SINGLE, opts("100", "0"), stem="", name="", category="$course$/top/Theirs"))
    assert set(errors) == {"stem", "name", "category"}


def test_true_false_needs_the_answer_and_keeps_each_feedback():
    assert "answer" in errors_of(form(Kind.TRUEFALSE))
    f = form(Kind.TRUEFALSE, answer="false", feedback_true="No: it is false.", feedback_false="Right.")
    assert f.is_valid(), f.errors
    assert f.content is not None
    assert [(c.text, c.fraction, c.feedback) for c in f.content.choices] == [("True", 0, "No: it is false."), ("False", 1, "Right.")]


def test_short_answer_needs_an_answer_at_100_and_blank_grades_are_100():
    assert errors_of(form(Kind.SHORTANSWER))["rows"] == ["Write at least one accepted answer."]
    assert "grade of 100 %" in errors_of(form(Kind.SHORTANSWER, [{"text": "lambda", "fraction": "50"}]))["rows"][0]
    f = form(Kind.SHORTANSWER, [{"text": "AWS Lambda"}, {"text": "Lambda", "fraction": "50"}], case_sensitive="on")
    assert f.is_valid(), f.errors
    assert f.content is not None and f.content.case_sensitive
    assert [c.fraction for c in f.content.choices] == [1, Decimal("0.5")]


@pytest.mark.parametrize(("value", "tolerance", "field", "message"), [
    ("forty", "", "opt-0-value", "Write the answer as a number, such as 42, -0.5 or 1.5e3."),
    ("", "1", "opt-0-value", "Write the answer as a number, such as 42, -0.5 or 1.5e3."),
    ("42", "-1", "opt-0-tolerance", "The tolerance is a number of 0 or more (0: only the exact number is right)."),
    ("42", "a bit", "opt-0-tolerance", "The tolerance is a number of 0 or more (0: only the exact number is right)."),
])  # fmt: skip
def test_numerical_answers_must_be_numbers_and_tolerance_at_least_0(value, tolerance, field, message):
    assert errors_of(form(Kind.NUMERICAL, [{"value": value, "tolerance": tolerance}]))[field] == [message]


def test_a_numerical_question_builds_its_answers():
    assert errors_of(form(Kind.NUMERICAL))["rows"] == ["Write at least one accepted number."]
    f = form(Kind.NUMERICAL, [{"value": "15", "tolerance": "0.5"}, {"value": "1.5e1", "fraction": "50"}])
    assert f.is_valid(), f.errors
    assert f.content is not None
    assert [(a.value, a.tolerance, a.fraction) for a in f.content.numerical] == [(15, Decimal("0.5"), 1), (15, 0, Decimal("0.5"))]


def test_matching_needs_two_pairs_and_warns_below_moodles_three_answers():
    one = errors_of(form(Kind.MATCHING, [{"question": "S3", "answer": "storage"}, {"question": "", "answer": "queue"}]))
    assert one["rows"] == ["A matching question needs at least 2 pairs with a question; this one has 1."]
    assert errors_of(form(Kind.MATCHING, [{"question": "S3", "answer": ""}]))["opt-0-answer"] == ["Write the answer this question matches."]
    two = form(Kind.MATCHING, [{"question": "S3", "answer": "storage"}, {"question": "EC2", "answer": "compute"}])
    assert two.is_valid(), two.errors
    assert len(two.warnings) == 1 and "at least 2 questions and 3 answers" in two.warnings[0]
    three = form(Kind.MATCHING, [{"question": "S3", "answer": "storage"}, {"question": "EC2", "answer": "compute"}, {"answer": "queue"}])
    assert three.is_valid() and three.warnings == []


def test_more_rows_are_added_by_the_button_and_capped():
    assert QuestionForm(kind=Kind.SINGLE, categories=[CATEGORY], topics=TOPICS).row_count == START_ROWS[Kind.SINGLE]
    more = form(Kind.SINGLE, more="1", rows="5")
    assert more.row_count == 5 + MORE_ROWS and "opt-7-text" in more.fields
    assert form(Kind.SINGLE, more="1", rows="999").row_count == MAX_ROWS
    assert form(Kind.SINGLE, rows="-3").row_count == START_ROWS[Kind.SINGLE]


def test_tags_and_topic_become_the_questions_tags():
    f = form(Kind.SINGLE, opts("100", "0", "0", "0"), tags="exam, lambda, exam ,  ", topic="ec2", domain="domain-3")
    assert f.is_valid(), f.errors
    assert f.details() == {"category": CATEGORY, "domain": "domain-3", "tags": ["exam", "ec2"]}


def test_an_unknown_domain_or_topic_is_an_error():
    assert set(errors_of(form(Kind.SINGLE, opts("100", "0"), domain="domain-9", topic="nope"))) == {"domain", "topic"}


def test_content_that_the_question_type_refuses_is_a_form_error_not_an_exception():
    # A numerical value past the content's exponent limit: QuestionContent raises InvalidContent.
    errors = errors_of(form(Kind.NUMERICAL, [{"value": "1e10000"}]))
    assert list(errors) == ["__all__"] and errors["__all__"][0].startswith("This question cannot be saved: numerical answer 1: the value")
