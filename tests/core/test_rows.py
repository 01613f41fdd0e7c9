"""Rows read through the cursor give what the ORM would: the same datetimes, the same decimals."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from studyapp.accounts.models import User
from studyapp.core.rows import as_decimal, fetch, utc
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_datetime_read_raw_equals_the_orms() -> None:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(date_joined=datetime(2026, 12, 2, 9, 30, 15, 123456, tzinfo=UTC))
    query = User.objects.filter(pk=user.pk).values_list("date_joined")
    assert [utc(joined) for (joined,) in fetch(query)] == [joined for (joined,) in query]


def test_a_query_that_cannot_match_has_no_rows() -> None:
    UserFactory()
    assert fetch(User.objects.filter(pk__in=[]).values_list("pk")) == []


def test_a_float_sum_becomes_the_decimal_djangos_sqlite_converter_gives() -> None:
    assert as_decimal(0.1 + 0.2) == Decimal("0.300000000000000")
    assert as_decimal(Decimal("0.75")) == Decimal("0.75")
