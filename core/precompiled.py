"""Queries built by the ORM and compiled once per database, then run with fresh values.

Building and compiling a query costs more CPU than running it (a query with nested subqueries many
times more), which matters for the statements of every request (the session, the user, the
user's roles), of every booking (several while every other booking of the run waits for its lock)
and of every session conflict check. So such a query is built from the ORM (the rules stay in
their selectors) with placeholders: named stand-in values no row holds (negative ids, seconds of
1901, text no key is made of). It is compiled once per database and shape, and each call puts its
values where the placeholders' parameters were, as the ORM would have adapted them, and converts
the rows as the ORM would have.

Compiling in Python is half of it: PostgreSQL parses and plans every statement it is sent, which
for a join of a few tables costs it several times what running it does. A Precompiled made with
`prepared=True` is therefore a prepared statement on PostgreSQL (PREPARE once per connection,
then EXECUTE with the values; see `statement`)."""

import datetime as dt
import itertools
import re
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql import Query

_FIRST_ID = -7_654_321
_FIRST_DATETIME = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
_TEXT_PREFIX = "precompiled placeholder "


_names = itertools.count()
# The prepared statements of each open PostgreSQL connection (psycopg's), by name.
_prepared_on: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()


class Placeholders:
    """Hands out the stand-in values a query is built with, one per named argument of a call;
    asking again for a name gives the same value (one argument may be used in several places)."""

    def __init__(self, alias: str) -> None:
        self._ops = connections[alias].ops
        self.datetimes: set[str] = set()
        self.by_param: dict[object, str] = {}  # the stand-in as it appears among the parameters
        self._values: dict[str, object] = {}

    def _get(self, name: str, value, as_param) -> object:
        if name in self._values:
            if (name in self.datetimes) != isinstance(value, dt.datetime):
                raise ValueError(f"placeholder {name!r} is handed out as an id and a datetime")
            return self._values[name]
        self._values[name] = value
        self.by_param[as_param] = name
        return value

    def id(self, name: str) -> int:
        value = _FIRST_ID - len(self._values)
        return self._get(name, value, value)

    def text(self, name: str) -> str:
        value = f"{_TEXT_PREFIX}{len(self._values)}"
        return self._get(name, value, value)

    def datetime(self, name: str) -> dt.datetime:
        value = _FIRST_DATETIME + dt.timedelta(seconds=len(self._values))
        if name not in self._values:
            self.datetimes.add(name)
        return self._get(name, value, self._ops.adapt_datetimefield_value(value))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per SQL parameter: (the argument's name, None), or (None, a constant of the query).
    slots: tuple[tuple[str | None, object], ...]
    datetimes: tuple[str, ...]  # arguments adapted as the ORM adapts a DateTimeField value
    # Per result column: (converters, expression), applied as Django's compiler applies them.
    converters: dict
    # A prepared statement (PostgreSQL, when asked for): its name, how to PREPARE it (values as
    # $1, $2, …; their types inferred from the columns they are compared with), how to EXECUTE.
    prepared: tuple[str, str, str] | None


class Precompiled:
    """`build(placeholders, alias, shape)` returns the queryset (rows) or query (an UPDATE run by
    `execute`) built with `placeholders.id(name)` / `.datetime(name)`; `shape` is everything
    else `build` decides (which fields are compared, how many ids are excluded).
    `rows(alias, shape, **values)` runs it with a value for every placeholder name."""

    def __init__(
        self,
        build: Callable[[Placeholders, str, Hashable], QuerySet | Query],
        *,
        prepared: bool = False,
    ):
        self.build = build
        self.prepared = prepared
        self._compiled: dict[tuple[str, Hashable], _Compiled] = {}

    def compiled(self, alias: str, shape: Hashable = None) -> _Compiled:
        key = (alias, shape)
        if key not in self._compiled:
            self._compiled[key] = self._compile(alias, shape)
        return self._compiled[key]

    def _compile(self, alias: str, shape: Hashable) -> _Compiled:
        placeholders = Placeholders(alias)
        built = self.build(placeholders, alias, shape)
        query = built.query if isinstance(built, QuerySet) else built
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        by_param = placeholders.by_param
        slots = tuple(
            (by_param[p], None) if isinstance(p, Hashable) and p in by_param else (None, p)
            for p in params
        )
        # A placeholder the ORM dropped or rewrote (a lookup that transforms its value) would
        # leave every call's value unused without a trace.
        missing = set(by_param.values()) - {name for name, _constant in slots}
        if missing:
            raise ValueError(f"placeholders not in the compiled query: {sorted(missing)}")
        converters = {}
        if isinstance(built, QuerySet):
            selected = [column[0] for column in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(selected)
        prepared = None
        if self.prepared and connections[alias].vendor == "postgresql":
            name = f"precompiled_{next(_names)}"
            prepared = (name, *prepare_and_execute(name, sql, len(slots)))
        return _Compiled(sql, slots, tuple(placeholders.datetimes), converters, prepared)

    def rows(self, alias: str, shape: Hashable, /, **values) -> list[tuple]:
        compiled = self.compiled(alias, shape)
        connection = connections[alias]
        with connection.cursor() as cursor:
            sql = self.statement(compiled, connection)
            cursor.execute(sql, self.params(compiled, connection, values))
            rows = cursor.fetchall()
        return self.converted(compiled, connection, rows)

    @staticmethod
    def converted(compiled: _Compiled, connection, rows: list[tuple]) -> list[tuple]:
        """The rows as the ORM would have returned them."""
        if not compiled.converters or not rows:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in compiled.converters.items():
                for convert in functions:
                    row[position] = convert(row[position], expression, connection)
            converted.append(tuple(row))
        return converted

    def execute(self, alias: str, shape: Hashable, /, **values) -> None:
        compiled = self.compiled(alias, shape)
        connection = connections[alias]
        with connection.cursor() as cursor:
            sql = self.statement(compiled, connection)
            cursor.execute(sql, self.params(compiled, connection, values))

    @staticmethod
    def statement(compiled: _Compiled, connection) -> str:
        """The SQL to send: the query, or EXECUTE of its prepared statement."""
        if compiled.prepared is None:
            return compiled.sql
        name, prepare, execute = compiled.prepared
        return execute if on_connection(connection, name, prepare) else compiled.sql

    @staticmethod
    def params(compiled: _Compiled, connection, values: dict) -> tuple:
        # A datetime reaches the SQL parameters as the database adapts it (text on SQLite).
        adapt = connection.ops.adapt_datetimefield_value
        for name in compiled.datetimes:
            values[name] = adapt(values[name])
        # A missing value raises KeyError: a stand-in must never be run as if it were real.
        return tuple(values[name] if name else constant for name, constant in compiled.slots)


def on_connection(connection, name: str, prepare: str) -> bool:
    """Whether the statement `name` is prepared on the connection (PostgreSQL), with `prepare`
    (PREPARE name AS …) sent first where the connection does not hold it yet. Called with a
    cursor open or before a RoundTrip runs, so that the connection is the one the statement will
    run on."""
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is not None:
        # psycopg prepares statements itself (server-side binding) and deallocates them all
        # on a rollback, ours included: leave it to psycopg then.
        return False
    names = _prepared_on.setdefault(raw, set())
    if name not in names:
        # Once per connection and outside Django's statement log, as its own connection
        # setup is. A prepared statement outlives its transaction, even one rolled back.
        with connection.wrap_database_errors:
            raw.execute(prepare)
        names.add(name)
    return True


def prepare_and_execute(name: str, sql: str, params: int) -> tuple[str, str]:
    """PREPARE of `sql` (with `params` %s parameters) as `name`, and the EXECUTE that runs it
    with those parameters (to be sent with them, through `on_connection`)."""
    numbers = itertools.count(1)
    # Sent without parameters, so an escaped % is written as itself.
    body = re.sub(r"%%|%s", lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)
    values = f"({', '.join(['%s'] * params)})" if params else ""
    return f"PREPARE {name} AS {body}", f"EXECUTE {name}{values}"
