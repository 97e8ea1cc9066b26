"""Several statements sent to the database in one round trip.

Each statement of a transaction waits for the database's answer in turn; inside a row lock every
other writer of that row waits for those answers too. A RoundTrip collects statements (precompiled
queries, inserts of model instances, ids to reserve) and sends them together when it is run: on
PostgreSQL as one query string (Django's client-side parameter binding allows several statements in
one), elsewhere one after the other, always in the order they were added. Meant for the inside of a
transaction: on PostgreSQL in autocommit mode the statements would commit together.

PostgreSQL runs them in order, and each takes its own snapshot (READ COMMITTED): a statement after
one that waited for a row lock sees what the lock's holder committed. A single statement doing both
would not: its snapshot is taken before the wait. So a count under a lock stays a statement of its
own, and the round trip makes that free.

An insert here writes the instance's fields as `Model.save()` would (auto_now, defaults, the
database's adaptation), compiled once per model, but without what save() adds around the INSERT: no
pre_save/post_save signals, no UPDATE attempt for an instance that has a pk, no expressions as
values. For rows of models that have no such receivers (an insert of one that has is refused),
written in hot transactions."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

from .precompiled import Precompiled


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: tuple[Field, ...]
    returning: tuple[Field, ...]  # set on the instance from the inserted row


_inserts: dict[tuple[str, type[Model], bool], _Insert] = {}


def _compiled_insert(alias: str, model: type[Model], with_pk: bool) -> _Insert:
    key = (alias, model, with_pk)
    if key not in _inserts:
        meta = model._meta
        if meta.parents:
            raise ValueError(f"{meta.label}: inserts of inherited models go through save()")
        # The fields save() writes, in its order (Model._save_table).
        fields = [
            f
            for f in meta.local_concrete_fields
            if not f.generated and (with_pk or f is not meta.auto_field)
        ]
        returning = meta.db_returning_fields
        query = InsertQuery(model)
        query.insert_values(fields, [model()])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = returning
        [(sql, params)] = compiler.as_sql()
        if len(params) != len(fields):  # a field with a placeholder of its own
            raise ValueError(f"{meta.label}: not one parameter per field in {sql}")
        if not connections[alias].features.can_return_columns_from_insert:
            returning = []
        _inserts[key] = _Insert(sql, tuple(fields), tuple(returning))
    return _inserts[key]


def _together(connection) -> bool:
    """Whether several statements with parameters can go as one query string here."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3 and not connection.settings_dict["OPTIONS"].get("server_side_binding")


def _outermost(connection) -> bool:
    """Inside a transaction.atomic() that is not nested in another and began the transaction
    itself (not a block entered with autocommit already off), which has not failed."""
    return (
        connection.in_atomic_block
        and len(connection.atomic_blocks) == 1
        and not connection.savepoint_ids
        and connection.commit_on_exit
        and not connection.needs_rollback
    )


class RoundTrip:
    """Statements collected by `rows`, `execute`, `insert` and `reserve_ids`, sent by `run`
    (which may be called again for the statements added after it)."""

    def __init__(self, alias: str):
        self.alias = alias
        self._statements: list[tuple[str, tuple, Callable | None]] = []

    def rows(self, query: Precompiled, shape: Hashable, /, **values) -> list[tuple]:
        """A list that `run` fills with the query's rows, converted as the ORM converts them."""
        connection = connections[self.alias]
        compiled = query.compiled(self.alias, shape)
        result: list[tuple] = []

        def fetched(cursor) -> None:
            result.extend(Precompiled.converted(compiled, connection, cursor.fetchall()))

        sql = query.statement(compiled, connection)
        self._statements.append((sql, query.params(compiled, connection, values), fetched))
        return result

    def execute(self, query: Precompiled, shape: Hashable, /, **values) -> None:
        connection = connections[self.alias]
        compiled = query.compiled(self.alias, shape)
        params = query.params(compiled, connection, values)
        self._statements.append((query.statement(compiled, connection), params, None))

    def insert(self, obj: Model) -> None:
        """Insert `obj` as save() would; its pk (when it had none) is set by `run`."""
        connection = connections[self.alias]
        if pre_save.has_listeners(type(obj)) or post_save.has_listeners(type(obj)):
            raise ValueError(f"{obj._meta.label} has save signal receivers: use save()")
        obj._prepare_related_fields_for_save(operation_name="save")
        compiled = _compiled_insert(self.alias, type(obj), obj.pk is not None)
        params = []
        for field in compiled.fields:
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                raise ValueError(f"{field}: an expression is written by save(), not here")
            params.append(field.get_db_prep_save(value, connection))

        def inserted(cursor) -> None:
            if compiled.returning:
                for field, value in zip(compiled.returning, cursor.fetchone(), strict=True):
                    setattr(obj, field.attname, value)
            elif obj.pk is None:
                meta = obj._meta
                obj.pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
            obj._state.adding = False
            obj._state.db = self.alias

        self._statements.append((compiled.sql, tuple(params), inserted))

    def reserve_ids(self, model: type[Model], count: int) -> list[int]:
        """A list that `run` fills with `count` new ids of `model`, ascending, so that the rows
        which name a new row can be sent with it. Empty on a database that gives ids only by
        inserting (SQLite): insert the row first there, then build the rows that name it."""
        connection = connections[self.alias]
        result: list[int] = []
        if connection.vendor != "postgresql" or count < 1:
            return result
        sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
        table = connection.ops.quote_name(model._meta.db_table)

        def fetched(cursor) -> None:
            result.extend(sorted(row[0] for row in cursor.fetchall()))

        self._statements.append((sql, (table, model._meta.pk.column, count), fetched))
        return result

    def run(self, *, last: bool = False) -> None:
        """Send the statements. `last`: they are the transaction's last, and when it is the
        outermost atomic block its COMMIT goes with them, so that the row locks are released
        without another round trip (the block's own commit then has nothing to do: psycopg sends
        no COMMIT outside a transaction). Nested (a savepoint, a test's transaction) or on
        another database, the block commits on exit as usual. After `last`, nothing more may be
        written in the block: it would be a transaction of its own."""
        statements, self._statements = self._statements, []
        if not statements:
            return
        connection = connections[self.alias]
        if last and _together(connection) and _outermost(connection):
            statements.append(("COMMIT", (), None))
        with connection.cursor() as cursor:
            if len(statements) > 1 and _together(connection):
                # Each statement bound on its own: psycopg caches the parsing of a statement
                # that is not too long, which the joined string would be.
                cursor.execute(
                    ";\n".join(cursor.mogrify(sql, params) for sql, params, _then in statements)
                )
                for index, (_sql, _params, then) in enumerate(statements):
                    if index:
                        cursor.nextset()
                    if then is not None:
                        then(cursor)
                return
            for sql, params, then in statements:
                cursor.execute(sql, params)
                if then is not None:
                    then(cursor)
