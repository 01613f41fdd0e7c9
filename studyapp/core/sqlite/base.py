"""Django's SQLite backend, with the process's write transactions taken in turn.

SQLite lets one writer at a time hold the database. Under daphne every request runs in a thread of
its own with a connection of its own, so fifty learners are up to fifty writers, and SQLite's busy
handler makes each wait by polling: it sleeps 1, 2, 5 … then 100 ms between tries, so a writer that
has waited long sleeps longest and loses the lock again and again to newer ones that try at once.
Measured with fifty learners (docs/performance.md), that gave p99 of seconds and some waits past
the 20 s timeout ("database is locked").

Here a write transaction (``BEGIN IMMEDIATE``, which every ``transaction.atomic`` block opens under
the ``transaction_mode`` of ``settings.DATABASES``) first waits for its turn in a first-come,
first-served queue shared by the process's connections to the same file, and holds it until its
commit or rollback. A waiting thread sleeps on a lock (no polling, no CPU, woken the moment its
turn comes); SQLite's own busy handler is then left to wait only for other processes (a second
server, ``manage.py load_content``). A wait longer than the database's ``timeout`` option raises
``OperationalError("database is locked")``, as SQLite itself would (``core.busy`` turns it into a
503 page). Reads and writes outside ``atomic`` (autocommit statements) do not queue.
"""

import threading
from collections import deque
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base


class FairLock:
    """A lock granted in the order it was asked for, with a timeout. ``threading.Lock`` makes no
    promise of order; here each waiter sleeps on a lock of its own, released by the holder's
    ``release()``, which hands the lock straight to the oldest waiter."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=max(timeout, 0)):
            return True  # handed over by release()
        with self._mutex:
            try:
                self._waiters.remove(turn)
            except ValueError:
                return True  # release() handed it over just as the wait ran out: it is ours
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()  # still held: now by the oldest waiter
            else:
                self._held = False

    @property
    def waiting(self) -> int:
        return len(self._waiters)


_locks: dict[str, FairLock] = {}
_locks_mutex = threading.Lock()


def write_lock(name: str) -> FairLock:
    """The process's queue for writers to the database file ``name``."""
    with _locks_mutex:
        return _locks.setdefault(str(name), FairLock())


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._holds_write_lock = False

    def _write_lock(self) -> FairLock | None:
        if getattr(self, "transaction_mode", None) not in {"IMMEDIATE", "EXCLUSIVE"}:
            return None  # DEFERRED: a transaction may stay a reader; SQLite decides at its first write
        return write_lock(self.settings_dict["NAME"])

    def _start_transaction_under_autocommit(self) -> None:
        lock = self._write_lock()
        if lock is not None and not self._holds_write_lock:
            timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
            if not lock.acquire(timeout):
                raise OperationalError("database is locked")
            self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private: not in django-stubs
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            write_lock(self.settings_dict["NAME"]).release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()
