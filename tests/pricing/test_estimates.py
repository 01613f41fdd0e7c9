"""An estimate of several services, carried in its URL: the query in, the priced plan out, and back."""

from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

from django.http import QueryDict

from studyapp.pricing import estimates


def plan_of(query: str, **changes) -> estimates.Plan:
    data = QueryDict(query)
    return estimates.plan_from(data.dict(), data.getlist("line"), **changes)


EXAMPLE = urlencode(estimates.EXAMPLE, doseq=True)


def test_the_example_prices_each_line_and_totals_a_month_and_a_year():
    plan = plan_of(EXAMPLE)
    assert [line.service for line in plan.lines] == ["api_gateway", "lambda", "ecr"]
    assert [line.estimate.total for line in plan.lines if line.estimate] == [Decimal("3.00"), Decimal("2.73"), Decimal("0.20")]
    assert plan.monthly == Decimal("5.93") and plan.yearly == Decimal("71.16")


def test_the_query_gives_the_same_estimate_back_without_defaults():
    plan = plan_of(EXAMPLE + "&s1.architecture=x86_64&s2.free_tier=false")  # both are the defaults
    pairs = plan.query()
    assert ("s1.architecture", "x86_64") not in pairs and ("s2.free_tier", "false") not in pairs
    again = plan_of(urlencode(pairs))
    assert again == plan_of(EXAMPLE) and again.query() == pairs


def test_adding_and_removing_lines_renumbers_their_inputs():
    added = plan_of(EXAMPLE, add="fargate")
    assert [line.service for line in added.lines] == ["api_gateway", "lambda", "ecr", "fargate"]
    removed = plan_of(EXAMPLE, remove=0)
    assert [line.service for line in removed.lines] == ["lambda", "ecr"]
    assert dict(removed.query())["s0.memory_mb"] == "1536"  # Lambda's inputs moved with it
    assert removed.monthly == Decimal("2.93")


def test_unknown_services_and_bad_adds_are_dropped_and_lines_are_capped():
    plan = plan_of("line=ec2&line=lambda&s1.requests=5", add="nothing")
    assert [line.service for line in plan.lines] == ["lambda"] and plan.lines[0].raw == {"requests": "5"}
    many = plan_of(urlencode([("line", "ecr")] * 50), add="ecr")
    assert len(many.lines) == estimates.MAX_LINES


def test_a_line_with_bad_inputs_keeps_its_errors_and_leaves_the_totals():
    plan = plan_of(EXAMPLE + "&s1.memory_mb=5")
    assert not plan.valid
    assert plan.lines[1].estimate is None and plan.lines[1].errors == {"memory_mb": ["must be at least 128"]}
    assert plan.monthly == Decimal("3.20")


def test_csv_rows_list_every_bill_line_then_the_totals():
    rows = estimates.csv_rows(plan_of(EXAMPLE))
    assert rows[0] == ["Service", "Item", "How it is worked out", "Monthly (USD)"]
    assert ["AWS Lambda", "Total for the service", "", "2.73"] in rows
    assert rows[-2:] == [["Monthly total", "", "", "5.93"], ["Yearly total (12 months)", "", "", "71.16"]]
    assert dict(parse_qsl(EXAMPLE))["name"] == "Thumbnail API"
