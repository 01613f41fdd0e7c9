"""studyapp.core.sqlite: the process's write transactions wait their turn in order, and a wait that
runs out is SQLite's own "database is locked" (core.busy makes it a 503). Each test opens its own
SQLite file, so the suite checks it on PostgreSQL runs too."""

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from studyapp.core.busy import is_lock_timeout
from studyapp.core.sqlite.base import DatabaseWrapper, FairLock


@pytest.fixture
def database(tmp_path: Path, django_db_blocker) -> Iterator[ConnectionHandler]:
    """Connections (one per thread, as Django's are) to a fresh SQLite file holding one table (not
    the test database: pytest-django's blocker is lifted for it alone)."""
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, who TEXT)")
    options = {"transaction_mode": "IMMEDIATE", "timeout": 0.2}
    handler = ConnectionHandler({"default": {"ENGINE": "studyapp.core.sqlite", "NAME": str(path), "OPTIONS": options}})
    with django_db_blocker.unblock():
        yield handler
        handler.close_all()


def begin(connection: DatabaseWrapper) -> None:
    """What transaction.atomic does on entering its outermost block."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(connection: DatabaseWrapper, *, commit: bool = True) -> None:
    """What transaction.atomic does on leaving it."""
    connection.commit() if commit else connection.rollback()
    connection.set_autocommit(True)


def write(connection: DatabaseWrapper, who: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO note (who) VALUES (%s)", [who])


def rows(handler: ConnectionHandler) -> list[str]:
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT who FROM note ORDER BY id")
        return [who for (who,) in cursor.fetchall()]


def test_writers_of_one_process_take_turns_in_the_order_they_came():
    lock, order = FairLock(), list[int]()
    assert lock.acquire(timeout=1)
    threads = []

    def writer(n: int) -> None:
        assert lock.acquire(timeout=5)
        order.append(n)
        lock.release()

    for n in range(8):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        while lock.waiting < n + 1:  # each one queued before the next asks
            time.sleep(0.001)
    lock.release()
    for thread in threads:
        thread.join()
    assert order == list(range(8))


def test_a_writer_waits_for_the_one_in_a_transaction_then_both_writes_are_kept(database):
    first = database["default"]
    begin(first)
    write(first, "first")
    done = []

    def second_writer() -> None:
        connection = database["default"]  # this thread's own connection
        begin(connection)
        write(connection, "second")
        end(connection)
        connection.close()
        done.append(True)

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.05)
    assert not done  # waiting its turn, not failing
    end(first)
    thread.join()
    assert done and rows(database) == ["first", "second"]


def test_a_wait_longer_than_the_timeout_is_database_is_locked_and_writes_nothing(database):
    holder = database["default"]
    begin(holder)
    failures: list[BaseException] = []

    def impatient_writer() -> None:
        connection = database["default"]
        try:
            begin(connection)
            write(connection, "never")
        except OperationalError as error:
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=impatient_writer)
    thread.start()
    thread.join()
    end(holder, commit=False)
    assert len(failures) == 1 and is_lock_timeout(failures[0])
    assert rows(database) == []


def test_another_process_holding_the_lock_is_database_is_locked_too(database):
    other = sqlite3.connect(database["default"].settings_dict["NAME"])  # as a second server would
    other.execute("BEGIN IMMEDIATE")
    connection = database["default"]
    with pytest.raises(OperationalError) as raised:
        begin(connection)
    assert is_lock_timeout(raised.value)
    other.rollback()
    begin(connection)  # the queue was given back when BEGIN failed: the next write goes through
    write(connection, "after")
    end(connection)
    assert rows(database) == ["after"]


def test_a_rolled_back_or_closed_transaction_gives_its_turn_back(database):
    connection = database["default"]
    begin(connection)
    write(connection, "rolled back")
    end(connection, commit=False)
    begin(connection)
    write(connection, "closed")
    connection.close()  # a broken request: the connection goes away inside its transaction
    connection = database["default"]
    connection.connect()
    begin(connection)
    write(connection, "kept")
    end(connection)
    assert rows(database) == ["kept"]


def test_a_writer_that_has_waited_is_not_overtaken_by_newer_ones(database):
    # Four writers each commit and at once begin again, for two seconds, with a timeout of 0.75 s.
    # Under SQLite's busy handler alone the first to get the lock keeps it (the others sleep between
    # tries and never see it free) and they fail with "database is locked"; taken in turn, each
    # waits for three transactions at most.
    database.settings["default"]["OPTIONS"]["timeout"] = 0.75
    errors: list[BaseException] = []
    done: dict[int, int] = {}
    stop_at = time.monotonic() + 2.0

    def busy_writer(n: int) -> None:
        connection = database["default"]
        done[n] = 0
        try:
            while time.monotonic() < stop_at:
                begin(connection)
                write(connection, str(n))
                time.sleep(0.01)
                end(connection)
                done[n] += 1
        except OperationalError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=busy_writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert min(done.values()) >= max(done.values()) // 2  # turns shared out, no writer starved
