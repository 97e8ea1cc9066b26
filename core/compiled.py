"""Querysets compiled to SQL once per database and run again with other values.

Building and compiling a queryset costs more CPU than the database needs for a small indexed
query. A hot query whose shape never changes is therefore built once per database alias with
placeholder values (distinctive values no real row has); each run substitutes the real values
for them and applies the same conversions Django would apply to the parameters and the results."""

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

_FIRST_ID = -7_654_321
_FIRST_DATETIME = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


class Placeholders:
    """Hands out the values a queryset is built with; each stands for a named argument."""

    def __init__(self, alias: str) -> None:
        self._ops = connections[alias].ops
        self.datetimes: set[str] = set()
        self.by_value: dict[object, str] = {}

    def _new(self, name: str, value, as_param) -> object:
        if name in self.by_value.values():
            raise ValueError(f"placeholder {name!r} is handed out twice")
        self.by_value[as_param] = name
        return value

    def id(self, name: str) -> int:
        value = _FIRST_ID - len(self.by_value)
        return self._new(name, value, value)

    def datetime(self, name: str) -> dt.datetime:
        value = _FIRST_DATETIME + dt.timedelta(seconds=len(self.by_value))
        self.datetimes.add(name)
        return self._new(name, value, self._ops.adapt_datetimefield_value(value))


@dataclass(frozen=True)
class CompiledQuery:
    alias: str
    sql: str
    # Per SQL parameter: (the argument's name, None), or (None, a constant of the query).
    slots: tuple[tuple[str | None, object], ...]
    datetimes: frozenset[str]  # the arguments adapted as the ORM adapts a DateTimeField value
    # Per result column: (converters, expression), applied as Django's compiler applies them.
    converters: dict

    def rows(self, **values) -> list[tuple]:
        connection = connections[self.alias]
        adapt = connection.ops.adapt_datetimefield_value
        for name in self.datetimes:
            values[name] = adapt(values[name])
        params = tuple(values[name] if name else constant for name, constant in self.slots)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not self.converters or not rows:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for pos, (functions, expression) in self.converters.items():
                for convert in functions:
                    row[pos] = convert(row[pos], expression, connection)
            converted.append(tuple(row))
        return converted


_compiled: dict[tuple[Hashable, str], CompiledQuery] = {}


def compiled_query(
    key: Hashable, alias: str, build: Callable[[Placeholders], QuerySet]
) -> CompiledQuery:
    """The query `build` returns (a values_list queryset on `alias`), compiled on first use for
    this database. `key` names the query's shape: everything `build` decides other than the
    placeholder values (which fields are compared, how many ids are excluded)."""
    cached = _compiled.get((key, alias))
    if cached is not None:
        return cached
    placeholders = Placeholders(alias)
    compiler = build(placeholders).query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    slots = tuple(
        (placeholders.by_value[p], None)
        if isinstance(p, Hashable) and p in placeholders.by_value
        else (None, p)
        for p in params
    )
    missing = set(placeholders.by_value.values()) - {name for name, _ in slots}
    if missing:
        raise ValueError(f"placeholders not in the compiled query: {sorted(missing)}")
    fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
    query = CompiledQuery(
        alias=alias,
        sql=sql,
        slots=slots,
        datetimes=frozenset(placeholders.datetimes),
        converters=compiler.get_converters(fields),
    )
    _compiled[(key, alias)] = query
    return query
