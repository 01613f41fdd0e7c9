"""studyapp.core.concurrency: one server process works on a bounded number of HTTP requests at a
time, the others waiting their turn in order; WebSockets pass untouched."""

import asyncio

import pytest

from studyapp.core.concurrency import LimitConcurrency


def run(scope_type: str, requests: int, limit: int) -> tuple[int, list[int]]:
    """(most requests inside the app at once, the order they got in) for ``requests`` sent together."""
    inside, most, order = 0, 0, []

    async def app(scope, receive, send) -> None:
        nonlocal inside, most
        order.append(scope["n"])
        inside += 1
        most = max(most, inside)
        await asyncio.sleep(0.01)  # a view's time in its thread
        inside -= 1

    limited = LimitConcurrency(app, limit=limit)

    async def main() -> None:
        tasks = []
        for n in range(requests):
            tasks.append(asyncio.ensure_future(limited({"type": scope_type, "n": n}, None, None)))
            await asyncio.sleep(0)  # each request arrives after the one before
        await asyncio.gather(*tasks)

    asyncio.run(main())
    return most, order


def test_at_most_the_limit_of_http_requests_run_at_once_in_the_order_they_came():
    most, order = run("http", requests=20, limit=3)
    assert most == 3
    assert order == list(range(20))


@pytest.mark.parametrize(("scope_type", "limit"), [("websocket", 3), ("http", 0)])
def test_websockets_and_a_limit_of_zero_are_not_held_back(scope_type, limit):
    most, _ = run(scope_type, requests=20, limit=limit)
    assert most == 20


def test_the_served_application_is_limited():
    from studyapp.asgi import application

    assert isinstance(application.application_mapping["http"], LimitConcurrency)
