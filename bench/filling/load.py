"""Loading the big tables with COPY: explicit ids, indexes and constraints rebuilt in bulk
afterwards, the id sequence reset."""

import sys
import time

from django.db import connection
from django.utils import timezone
from psycopg.types.json import Jsonb


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order) into the model's table; other NOT NULL columns get
    their field default (or now() for auto_now fields), computed once."""
    now = timezone.now()
    fixed = []
    for field in model._meta.concrete_fields:
        if field.attname in columns or field.name in columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif field.blank and field.get_internal_type() in {"CharField", "TextField", "FileField"}:
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        if field.get_internal_type() == "JSONField":
            value = Jsonb(value)
        fixed.append((field.column, value))
    column_names = [model._meta.get_field(c).column if c != "id" else "id" for c in columns]
    all_columns = column_names + [c for c, _ in fixed]
    fixed_values = tuple(v for _, v in fixed)
    sql = 'COPY "{}" ({}) FROM STDIN'.format(
        model._meta.db_table, ", ".join(f'"{c}"' for c in all_columns)
    )
    count = 0
    started = time.monotonic()
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # The rows are generated consistent; skipping the per-row foreign-key triggers while loading
        # makes the load several times faster (the database user of these machines is a superuser).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        # Indexes and unique/exclusion constraints are dropped during the load and built again in
        # bulk afterwards: much faster than row by row, and the rebuild still checks every row
        # (no overlapping sessions, no duplicate active enrolment).
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'x')",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND i.indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'x'))",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + fixed_values)
            count += 1
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
        cursor.execute(f'SELECT setval({sequence}, (SELECT max(id) FROM "{table}"))')  # noqa: S608
        cursor.execute("SET session_replication_role = DEFAULT")
    print(f"{model.__name__}: {count} rows in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return count
