"""Queries built by the ORM and compiled once per database, then run with fresh values.

Building and compiling a query costs more CPU than running it (a query with nested subqueries many
times more), which matters for the statements of every request (the user's roles) and of every
booking (several while every other booking of the run waits for its lock). So such a query is
built from the ORM (the rules stay in their selectors) with stand-in values, compiled once per
database and shape, and each call puts the real values in place of the stand-ins in the
parameter list. Stand-ins are values no row holds: negative ids and days in 1900."""

import datetime as dt
from collections.abc import Callable, Hashable
from contextlib import contextmanager

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql import Query


def stand_in_id(n: int) -> int:
    """The n-th stand-in for an id (no row has it: primary keys are positive)."""
    return -7_654_320 - n


def stand_in_datetime(n: int) -> dt.datetime:
    return dt.datetime(1900, 1, n, tzinfo=dt.UTC)


class Precompiled:
    """`build(alias, shape)` returns the queryset or query (built with the stand-ins above);
    `rows(alias, shape, {stand_in: value})` runs its SQL with the values put in and returns the
    rows, `execute` runs a statement that returns none (an UPDATE)."""

    def __init__(self, build: Callable[[str, Hashable], QuerySet | Query]):
        self.build = build
        self._sql: dict[tuple[str, Hashable], tuple[str, tuple, dict]] = {}

    def sql(self, alias: str, shape: Hashable = None) -> tuple[str, tuple, dict]:
        """The SQL, its parameters and the converters of the selected columns by position (what
        the ORM applies to each value it reads: text to datetime on SQLite, for instance)."""
        key = (alias, shape)
        if key not in self._sql:
            built = self.build(alias, shape)
            query = built.query if isinstance(built, QuerySet) else built
            compiler = query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            converters = {}
            if isinstance(built, QuerySet):
                selected = [column[0] for column in compiler.select[: compiler.col_count]]
                converters = compiler.get_converters(selected)
            self._sql[key] = sql, params, converters
        return self._sql[key]

    def rows(self, alias: str, shape: Hashable, values: dict) -> list[tuple]:
        converters = self.sql(alias, shape)[2]
        with self._cursor(alias, shape, values) as cursor:
            rows = cursor.fetchall()
        if not converters:
            return rows
        connection = connections[alias]
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(tuple(row))
        return converted

    def execute(self, alias: str, shape: Hashable, values: dict) -> None:
        with self._cursor(alias, shape, values):
            pass

    @contextmanager
    def _cursor(self, alias: str, shape: Hashable, values: dict):
        sql, params, _converters = self.sql(alias, shape)
        ops = connections[alias].ops
        # A datetime reaches the SQL parameters as the database adapts it (text on SQLite).
        values = {
            (ops.adapt_datetimefield_value(k) if isinstance(k, dt.datetime) else k): (
                ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
            )
            for k, v in values.items()
        }
        params = tuple(values.get(p, p) if isinstance(p, Hashable) else p for p in params)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            yield cursor
