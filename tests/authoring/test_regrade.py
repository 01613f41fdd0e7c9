"""Regrade after a key change: the rule (pure), the dry run, the change and its audit, reworded
questions left alone, and class grades that follow."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest

from studyapp.accounts.models import Role, User
from studyapp.authoring import regrade
from studyapp.authoring.models import Regrade
from studyapp.classrooms import gradebook
from studyapp.classrooms import services as class_services
from studyapp.questions import services as question_services
from studyapp.questions.content import Choice, Kind, Policy, QuestionContent
from studyapp.questions.models import Question, QuestionVersion, Status
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.models import Attempt, AttemptQuestion
from tests.classrooms.conftest import enrol, fixed_quiz
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import MINE

TEXTS = ("Amazon EC2", "AWS Lambda", "AWS Fargate", "Amazon Lightsail")


def content(
    key: str, *, kind: Kind = Kind.SINGLE, texts: tuple[str, ...] = TEXTS, stem: str = "Which service runs code without servers?"
) -> QuestionContent:
    """A choice question over ``texts``; ``key`` names the right options by letter ("B", or "BC":
    half a mark each)."""
    share = Decimal(1) / len(key)
    choices = tuple(Choice(text=text, fraction=share if "ABCD"[i] in key else Decimal(0)) for i, text in enumerate(texts))
    return QuestionContent(kind=kind, stem=stem, choices=choices)


def authored(by: User, key: str = "A", **kwargs: object) -> Question:
    return question_services.create_question(
        content=content(key, **kwargs),  # type: ignore[arg-type]
        by=by,
        now=NOW,
        category=f"{MINE}/Compute",
        status=Status.PUBLISHED,
    )


def rekey(question: Question, key: str, by: User, **kwargs: object) -> QuestionVersion:
    return question_services.add_version(question=question, content=content(key, **kwargs), by=by, now=NOW + timedelta(days=1))  # type: ignore[arg-type]


def practise(user: User, questions: list[Question], picks: dict[int, str], *, now=NOW) -> Attempt:
    """A practice attempt of ``questions``, each answered with the options ``picks`` names by letter."""
    attempt = quiz_services.start_questions(user=user, question_ids=[q.pk for q in questions], now=now, rng=random.Random(7))
    for slot in attempt.slots.all():
        shown = [slot.option_order.index("ABCD".index(letter)) for letter in picks[slot.question_id]]
        quiz_services.answer(user=user, attempt_id=attempt.pk, position=slot.position, shown=shown, now=now)
    attempt.refresh_from_db()
    assert attempt.finished_at is not None
    return attempt


def mark(attempt: Attempt, question: Question) -> Decimal:
    fraction = AttemptQuestion.objects.get(attempt=attempt, question=question).fraction
    assert fraction is not None
    return fraction


# --- the rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "key", "selected", "policy", "old", "new", "reason"),
    [
        (content("A"), content("B"), [1], Policy.ALL_OR_NOTHING, "0", "1", ""),
        (content("A"), content("B"), [0], Policy.ALL_OR_NOTHING, "1", "0", ""),
        (content("A"), content("B"), [], Policy.ALL_OR_NOTHING, "0", "0", ""),  # unanswered stays 0
        (content("AB", kind=Kind.MULTIPLE), content("ABC", kind=Kind.MULTIPLE), [0, 1], Policy.PARTIAL, "1", "0.6666667", ""),
        (content("AB", kind=Kind.MULTIPLE), content("ABC", kind=Kind.MULTIPLE), [0, 1], Policy.ALL_OR_NOTHING, "1", "0", ""),
        (content("A"), content("B", texts=("EC2", *TEXTS[1:])), [1], Policy.ALL_OR_NOTHING, "0", "0", "the options changed"),
        (content("A"), content("B", texts=TEXTS[:3]), [1], Policy.ALL_OR_NOTHING, "0", "0", "the options changed"),
        (content("A"), content("B", kind=Kind.MULTIPLE), [1], Policy.ALL_OR_NOTHING, "0", "0", "the kind of question changed"),
    ],
)
def test_remark_uses_the_new_fractions_only_when_the_options_are_the_same(shown, key, selected, policy, old, new, reason):
    result = regrade.remark(shown=shown, key=key, selected=selected, policy=policy, old=Decimal(old))
    assert (result.fraction, result.not_regraded) == (Decimal(new), reason)


def test_a_reworded_stem_alone_does_not_stop_a_regrade():
    shown, key = content("A"), content("B", stem="Which service is serverless compute?")
    assert regrade.why_not(shown, key) == ""


# --- dry run and apply -------------------------------------------------------------------------------


@pytest.fixture
def learners(db) -> list[User]:
    return [UserFactory(username=name, first_name=name.title()) for name in ("ann", "bob", "cy", "dee")]


def test_dry_run_lists_exactly_the_answers_whose_mark_changes_with_old_and_new(author, learners):
    question, other = authored(author, "A"), authored(author, "A", stem="Another question")
    ann, bob, cy, dee = learners
    ann_attempt = practise(ann, [question, other], {question.pk: "B", other.pk: "A"})  # wrong, becomes right
    bob_attempt = practise(bob, [question, other], {question.pk: "A", other.pk: "A"})  # right, becomes wrong
    practise(cy, [question], {question.pk: "C"})  # wrong before and after: not listed
    new = rekey(question, "B", author)
    practise(dee, [question], {question.pk: "A"}, now=NOW + timedelta(days=2))  # saw the new version: not listed

    changes = regrade.dry_run(question=question, to_version=new)

    assert [(c.learner, c.attempt_id, c.old, c.new, c.attempt_old, c.attempt_new, c.questions) for c in changes] == [
        ("Ann", ann_attempt.pk, 0, 1, 1, 2, 2),
        ("Bob", bob_attempt.pk, 1, 0, 2, 1, 2),
    ]
    assert all(c.regraded and c.version == 1 for c in changes)
    assert mark(ann_attempt, question) == 0, "a dry run writes nothing"
    assert not Regrade.objects.exists()


def test_apply_re_marks_the_answers_writes_one_audit_row_and_a_second_apply_changes_nothing(author, learners):
    question = authored(author, "A")
    ann, bob, *_ = learners
    ann_attempt, bob_attempt = practise(ann, [question], {question.pk: "B"}), practise(bob, [question], {question.pk: "A"})
    new = rekey(question, "B", author)

    done = regrade.apply(question=question, to_version=new, by=author, now=NOW + timedelta(days=3))

    assert (mark(ann_attempt, question), mark(bob_attempt, question)) == (1, 0)
    assert Regrade.objects.get() == done
    assert (done.from_version.number, done.to_version, done.by, done.at) == (1, new, author, NOW + timedelta(days=3))
    assert [(c["attempt"], c["user"], c["old"], c["new"]) for c in done.changes] == [
        (ann_attempt.pk, ann.pk, "0", "1"),
        (bob_attempt.pk, bob.pk, "1", "0"),
    ]
    assert regrade.dry_run(question=question, to_version=new) == []
    with pytest.raises(regrade.NothingToRegrade, match="Nothing to regrade"):
        regrade.apply(question=question, to_version=new, by=author, now=NOW + timedelta(days=4))
    assert Regrade.objects.count() == 1
    assert (mark(ann_attempt, question), mark(bob_attempt, question)) == (1, 0)


def test_answers_to_a_reworded_version_are_listed_as_not_regraded_and_left_alone(author, learners):
    question = authored(author, "A")
    ann, bob, *_ = learners
    ann_attempt = practise(ann, [question], {question.pk: "B"})  # v1: the old texts
    reworded = ("Amazon EC2", "AWS Lambda", "AWS Fargate on ECS", "Amazon Lightsail")
    rekey(question, "A", author, texts=reworded)
    bob_attempt = practise(bob, [question], {question.pk: "B"}, now=NOW + timedelta(days=1))  # v2: reworded, same key
    v3 = question_services.add_version(question=question, content=content("B", texts=reworded), by=author, now=NOW + timedelta(days=2))

    changes = regrade.dry_run(question=question, to_version=v3)

    assert [(c.learner, c.version, c.regraded, c.not_regraded, c.old, c.new) for c in changes] == [
        ("Ann", 1, False, "the options changed", 0, 0),
        ("Bob", 2, True, "", 0, 1),
    ]
    done = regrade.apply(question=question, to_version=v3, by=author, now=NOW + timedelta(days=3))
    assert [c["attempt"] for c in done.changes] == [bob_attempt.pk]
    assert (mark(ann_attempt, question), mark(bob_attempt, question)) == (0, 1)
    with pytest.raises(regrade.NothingToRegrade):  # only Ann's is left, and it cannot be re-marked
        regrade.apply(question=question, to_version=v3, by=author, now=NOW + timedelta(days=4))


def test_an_exam_still_under_way_is_left_for_its_submission_and_a_later_regrade_picks_it_up(author, learners, demo_course):
    question = authored(author, "A")
    teacher = UserFactory(username="teacher", role=Role.INSTRUCTOR)
    classroom = class_services.create_classroom(by=teacher, name="Evening group", course=demo_course, now=NOW)
    enrol(learners[0], classroom)
    assignment = fixed_quiz(teacher, classroom, [question.pk])
    attempt = class_services.start_assignment_quiz(user=learners[0], assignment_id=assignment.pk, now=NOW, rng=random.Random(1))
    slot = attempt.slots.get()
    quiz_services.save_answer(user=learners[0], attempt_id=attempt.pk, position=1, shown=[slot.option_order.index(1)], now=NOW)
    new = rekey(question, "B", author)

    assert regrade.dry_run(question=question, to_version=new) == []
    quiz_services.submit_mock(user=learners[0], attempt_id=attempt.pk, now=NOW + timedelta(days=1, minutes=5))
    assert mark(attempt, question) == 0, "submitted with the version it showed"
    regrade.apply(question=question, to_version=new, by=author, now=NOW + timedelta(days=2))
    assert mark(attempt, question) == 1


def test_a_version_of_another_question_is_refused(author):
    question, other = authored(author, "A"), authored(author, "B")
    assert other.current_version is not None
    with pytest.raises(ValueError, match="not a version of question"):
        regrade.dry_run(question=question, to_version=other.current_version)


# --- class grades follow ----------------------------------------------------------------------------


def test_after_apply_the_learners_gradebook_grade_follows(author, learners, demo_course):
    question, other = authored(author, "A"), authored(author, "A", stem="Another question")
    teacher = UserFactory(username="teacher", role=Role.INSTRUCTOR)
    classroom = class_services.create_classroom(by=teacher, name="Evening group", course=demo_course, now=NOW)
    ann = learners[0]
    enrol(ann, classroom)
    assignment = fixed_quiz(teacher, classroom, [question.pk, other.pk])
    attempt = class_services.start_assignment_quiz(user=ann, assignment_id=assignment.pk, now=NOW, rng=random.Random(1))
    for slot in attempt.slots.all():  # "B" to both: wrong under the old keys
        quiz_services.save_answer(user=ann, attempt_id=attempt.pk, position=slot.position, shown=[slot.option_order.index(1)], now=NOW)
    quiz_services.submit_mock(user=ann, attempt_id=attempt.pk, now=NOW + timedelta(minutes=5))

    def grade() -> Decimal | None:
        book = gradebook.build(classroom, now=NOW + timedelta(days=1))
        (row,) = book.rows
        return row.cells[0].grade

    assert grade() == 0
    new = rekey(question, "B", author)
    regrade.apply(question=question, to_version=new, by=author, now=NOW + timedelta(days=1))
    assert grade() == 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_applies_re_mark_once_and_write_one_audit_row(author, learners, monkeypatch):
    import threading
    import time

    from django.db import connection

    plan = regrade._plan

    def slow_plan(*args, **kwargs):  # widen the window between reading the marks and writing them
        changes = plan(*args, **kwargs)
        time.sleep(0.3)
        return changes

    monkeypatch.setattr(regrade, "_plan", slow_plan)

    question = authored(author, "A")
    attempt = practise(learners[0], [question], {question.pk: "B"})
    new = rekey(question, "B", author)
    barrier, applied, nothing, errors = threading.Barrier(4), [], [], []

    def click() -> None:
        try:
            barrier.wait()
            applied.append(regrade.apply(question=question, to_version=new, by=author, now=NOW + timedelta(days=2)))
        except regrade.NothingToRegrade:
            nothing.append(True)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert (len(applied), len(nothing)) == (1, 3)
    assert Regrade.objects.count() == 1
    assert mark(attempt, question) == 1
