"""Writes that meet an exclusion constraint, repeated once when PostgreSQL picks them as a
deadlock victim.

Two transactions inserting overlapping rows each find the other's uncommitted row while checking
the exclusion constraint and wait for it; PostgreSQL aborts one of them (SQLSTATE 40P01). Repeated
in a fresh savepoint, the victim's write then waits for the winner and meets the constraint
violation, which the caller turns into a message naming the winner."""

from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, transaction

DEADLOCK_DETECTED = "40P01"
T = TypeVar("T")


def is_deadlock(exc: OperationalError) -> bool:
    cause = exc.__cause__
    return DEADLOCK_DETECTED in (getattr(cause, "sqlstate", None), getattr(cause, "pgcode", None))


def atomic_retrying_deadlock(write: Callable[[], T], attempts: int = 3) -> T:
    """Run `write` in a savepoint; a deadlock rolls back only the savepoint and runs it again."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as exc:
            if not is_deadlock(exc) or attempt == attempts:
                raise
    raise AssertionError("unreachable")
