"""Starting and answering practice quizzes."""

import random
from datetime import timedelta

import pytest

from studyapp.content.loader import load
from studyapp.content.sync import sync_content
from studyapp.questions.models import Question
from studyapp.quizzes import services
from studyapp.quizzes.models import Attempt, AttemptQuestion
from studyapp.srs.models import ReviewState
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(db):
    return UserFactory()


def start(learner, **choice):
    return services.start_practice(user=learner, choice=services.PracticeChoice(**({"count": 5} | choice)), now=NOW, rng=random.Random(1))


def right_positions(slot: AttemptQuestion) -> list[int]:
    options = slot.version.data["options"]
    return [shown for shown, stored in enumerate(slot.option_order) if float(options[stored]["fraction"]) > 0]


def test_practice_draws_the_chosen_questions_with_their_version(learner, demo_course):
    attempt = start(learner)
    slots = list(attempt.slots.all())
    assert len(slots) == 2  # the demo bank has two questions
    assert all(slot.version == slot.question.current_version for slot in slots)
    assert sorted(slots[0].option_order) == list(range(len(slots[0].version.data["options"])))


def test_topic_and_domain_filters(learner, demo_course):
    assert [s.question.domain for s in start(learner, domains=["domain-1"]).slots.all()] == ["domain-1"]
    with pytest.raises(services.EmptyPool):
        start(learner, topic_ids=[demo_course.topics.get(slug="functions").pk])


def test_right_answer_scores_and_wrong_answer_enters_the_review_queue(learner, demo_course):
    attempt = start(learner)
    first, second = attempt.slots.all()
    answered = services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=right_positions(first), now=NOW)
    assert answered.correct
    wrong = [p for p in range(len(second.option_order)) if p not in right_positions(second)][:1]
    answered = services.answer(user=learner, attempt_id=attempt.pk, position=2, shown=wrong, now=NOW)
    assert answered.fraction == 0
    assert ReviewState.objects.get(user=learner).question == second.question
    attempt.refresh_from_db()
    assert attempt.finished_at == NOW


def test_multiple_response_is_all_or_nothing(learner, demo_course):
    attempt = start(learner, domains=["domain-1"])
    slot = attempt.slots.get()
    half = right_positions(slot)[:1]
    assert services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=half, now=NOW).fraction == 0


def test_an_answer_counts_once(learner, demo_course):
    attempt = start(learner)
    slot = attempt.slots.first()
    services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=right_positions(slot), now=NOW)
    again = services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=[0, 1], now=NOW)
    assert again.correct  # the first answer stands


@pytest.mark.parametrize("shown", [[], [99], [-1]])
def test_invalid_answers_change_nothing(learner, demo_course, shown):
    attempt = start(learner)
    with pytest.raises(services.InvalidAnswer):
        services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=shown, now=NOW)
    assert not attempt.slots.filter(answered_at__isnull=False).exists()


def test_two_answers_for_a_single_answer_question_are_refused(learner, demo_course):
    attempt = start(learner, domains=["domain-3"])
    with pytest.raises(services.InvalidAnswer):
        services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=[0, 1], now=NOW)


def test_another_learners_attempt_is_out_of_reach(learner, demo_course):
    attempt = start(learner)
    with pytest.raises(AttemptQuestion.DoesNotExist):
        services.answer(user=UserFactory(), attempt_id=attempt.pk, position=1, shown=[0], now=NOW)


def test_only_missed_and_only_unseen(learner, demo_course):
    attempt = start(learner)
    first, second = attempt.slots.all()
    services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=right_positions(first), now=NOW)
    wrong = [p for p in range(len(second.option_order)) if p not in right_positions(second)][:1]
    services.answer(user=learner, attempt_id=attempt.pk, position=2, shown=wrong, now=NOW)
    assert [s.question for s in start(learner, only="missed").slots.all()] == [second.question]
    with pytest.raises(services.EmptyPool):
        start(learner, only="unseen")


def test_an_attempt_keeps_the_version_it_showed_after_an_edit(learner, demo_course, demo_root):
    attempt = start(learner, domains=["domain-3"])
    slot = attempt.slots.get()
    note = demo_root / "demo" / "01-containers.md"
    note.write_text(note.read_text().replace("Which service runs containers", "Which AWS service runs containers"))
    sync_content(load(demo_root), now=NOW)
    slot.refresh_from_db()
    assert slot.version.number == 1 and slot.question.current_version.number == 2
    assert services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=right_positions(slot), now=NOW).correct
    assert Question.objects.get(pk=slot.question_id).versions.count() == 2


# A start repeated within REPEAT_WINDOW with the same choices (a double click, a resent form)
# resumes the attempt it made.
def test_ten_starts_of_the_same_practice_make_one_attempt(learner, demo_course):
    made = {
        services.start_practice(
            user=learner, choice=services.PracticeChoice(count=5), now=NOW + n * services.REPEAT_WINDOW / 10, rng=random.Random(n)
        ).pk
        for n in range(10)
    }
    assert len(made) == 1 and Attempt.objects.count() == 1


def test_other_choices_or_a_start_after_the_window_make_a_new_attempt(learner, demo_course):
    first = start(learner)
    assert start(learner, domains=["domain-1"]).pk != first.pk
    assert start(learner, count=6).pk != first.pk
    after = NOW + services.REPEAT_WINDOW + timedelta(seconds=1)
    later = services.start_practice(user=learner, choice=services.PracticeChoice(count=5), now=after, rng=random.Random(1))
    assert later.pk != first.pk
    assert start(UserFactory()).pk != first.pk  # another learner's same choice
    assert Attempt.objects.count() == 5


def test_a_finished_practice_is_not_resumed(learner, demo_course):
    first = start(learner)
    Attempt.objects.filter(pk=first.pk).update(finished_at=NOW)
    assert start(learner).pk != first.pk


def test_ten_retries_of_the_same_attempt_make_one_attempt_and_another_attempt_its_own(learner, demo_course):
    missed = [start(learner), start(learner, domains=["domain-1"])]
    retries = [services.start_retry(user=learner, attempt=missed[n % 2], now=NOW, rng=random.Random(n)).pk for n in range(10)]
    assert len(set(retries)) == 2 and Attempt.objects.count() == 4
    with pytest.raises(services.NothingMissed):
        AttemptQuestion.objects.filter(attempt=missed[0]).update(fraction=1)
        services.start_retry(user=learner, attempt=Attempt.objects.get(pk=missed[0].pk), now=NOW, rng=random.Random(1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_starts_make_one_attempt(learner, demo_course):
    import threading

    from django.db import connection

    barrier, made, errors = threading.Barrier(10), [], []

    def click(n: int) -> None:
        try:
            barrier.wait()
            made.append(services.start_practice(user=learner, choice=services.PracticeChoice(count=5), now=NOW, rng=random.Random(n)).pk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(made)) == 1 and Attempt.objects.count() == 1
