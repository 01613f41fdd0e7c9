"""core.prepared: a query compiled once reads what Django's own query reads, with new values each time."""

import random
from unittest import mock

import pytest
from django.db import transaction
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from studyapp.accounts.models import User
from studyapp.core.prepared import Prepared
from studyapp.quizzes import services
from studyapp.quizzes.models import Attempt, AttemptQuestion
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTEMPT = Prepared(lambda pk: Attempt.objects.filter(pk=pk))
SLOT = Prepared(lambda attempt, position: AttemptQuestion.objects.select_related("attempt").filter(attempt_id=attempt, position=position))
MAP = Prepared(lambda attempt: AttemptQuestion.objects.filter(attempt_id=attempt).order_by("position").values_list("position", "flagged"))
LOCKED = Prepared(lambda pk: Attempt.objects.select_for_update(of=("self",)).filter(pk=pk))


@pytest.fixture
def attempt(demo_course) -> Attempt:
    learner: User = UserFactory()
    return services.start_practice(user=learner, choice=services.PracticeChoice(count=3), now=NOW, rng=random.Random(1))


def fields(instance: object) -> dict[str, object]:
    return {k: v for k, v in vars(instance).items() if not k.startswith("_")}


def test_a_row_is_the_one_django_reads_with_its_values_converted(attempt: Attempt) -> None:
    found = ATTEMPT.get(attempt.pk)
    expected = Attempt.objects.get(pk=attempt.pk)
    assert fields(found) == fields(expected)
    assert found.started_at == NOW and isinstance(found.options, dict)  # an aware datetime, a decoded JSON field
    assert found._state.db == "default" and not found._state.adding  # a saved row: save() updates it


def test_new_values_give_their_own_rows_from_sql_compiled_once(attempt: Attempt) -> None:
    ATTEMPT.get(attempt.pk)  # compiled here, if no earlier test did
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiling:
        slots = [SLOT.get(attempt.pk, position) for position in (2, 1, 2)]
    assert [(s.position, s.attempt_id) for s in slots] == [(2, attempt.pk), (1, attempt.pk), (2, attempt.pk)]
    assert compiling.call_count <= 1  # the first SLOT.get of the run compiles it; none after that


def test_select_related_is_filled_with_no_further_query(attempt: Attempt, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        slot = SLOT.get(attempt.pk, 2)
        assert slot.attempt.pk == attempt.pk and slot.attempt.mode == attempt.mode


def test_a_values_list_query(attempt: Attempt) -> None:
    AttemptQuestion.objects.filter(attempt=attempt, position=2).update(flagged=True)
    assert MAP.list(attempt.pk) == [(1, False), (2, True)]  # the demo has two questions


def test_no_row_is_does_not_exist_and_an_integer_no_column_holds_matches_nothing(attempt: Attempt) -> None:
    with pytest.raises(Attempt.DoesNotExist):
        ATTEMPT.get(attempt.pk + 1000)
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        assert SLOT.list(2**63, 1) == [] and SLOT.list(attempt.pk, -(2**63) - 1) == []
    assert not queries.captured_queries


@pytest.mark.parametrize("value", ["1", 1.0, True, None])
def test_only_integers_are_put_in(value: object) -> None:
    with pytest.raises(TypeError):
        ATTEMPT.list(value)  # type: ignore[arg-type]


def test_a_query_that_does_not_use_each_value_once_is_refused() -> None:
    with pytest.raises(ValueError, match="each value must appear once"):
        Prepared(lambda pk: Attempt.objects.filter(pk=1)).list(5)


@pytest.mark.django_db(transaction=True)
def test_a_locked_read_needs_a_transaction(attempt: Attempt) -> None:
    with pytest.raises(transaction.TransactionManagementError):
        LOCKED.get(attempt.pk)
    with transaction.atomic():
        assert LOCKED.get(attempt.pk).pk == attempt.pk
        LOCKED.get(attempt.pk).save()  # and the row read is saved as any other


def test_the_query_cannot_be_changed_after_it_is_built(attempt: Attempt) -> None:
    ATTEMPT.get(attempt.pk)
    from studyapp.core.prepared import _Query

    with pytest.raises(TypeError, match="run as it was built"):
        _Query.clone(mock.Mock(spec=_Query))
