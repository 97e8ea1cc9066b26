"""Certificate numbers: gapless per school and year.

The sequence row is taken in one statement, an UPDATE that adds one and returns the new number
(a prepared statement on PostgreSQL): the UPDATE locks the row until the transaction ends, as
SELECT ... FOR UPDATE did, and a writer that waited for the lock adds one to the number its
holder committed. So a number is only taken in the transaction that stores the certificate
printing it, and issuing within one school and year is serial."""

from django.db import connections, router

from core.precompiled import on_connection, prepare_and_execute
from people.models import School

from ..models import CertificateSequence

_PREPARED = "certificate_next_number"


def _statement(connection) -> str:
    meta = CertificateSequence._meta
    quote = connection.ops.quote_name
    column = quote(meta.get_field("last_number").column)
    return (
        f"UPDATE {quote(meta.db_table)} SET {column} = {column} + 1 "  # noqa: S608 - our table
        f"WHERE {quote(meta.get_field('school').column)} = %s "
        f"AND {quote(meta.get_field('year').column)} = %s RETURNING {column}"
    )


def _take(alias: str, school_id: int, year: int) -> int | None:
    connection = connections[alias]
    sql = _statement(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            prepare, execute = prepare_and_execute(_PREPARED, sql, 2)
            if on_connection(connection, _PREPARED, prepare):
                sql = execute
        cursor.execute(sql, (school_id, year))
        row = cursor.fetchone()
    return row[0] if row else None


def next_number(*, school: School, year: int) -> str:
    alias = router.db_for_write(CertificateSequence)
    last = _take(alias, school.pk, year)
    if last is None:
        # The first certificate of a new year: two first issuers race to create the row and the
        # loser of the unique constraint goes on with the winner's (get_or_create uses a
        # savepoint).
        CertificateSequence.objects.using(alias).get_or_create(school=school, year=year)
        last = _take(alias, school.pk, year)
    return f"{school.code}-{year}-{last:05d}"
