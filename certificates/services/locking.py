"""What issuing reads under the enrolment's lock.

A bulk job issues certificate after certificate, each in its own transaction, and each starts the
same way: lock the enrolment (with its participant and business, which the certificate prints and
its event names), see whether it has a valid certificate already, read the attendance the
certificate sums up, see whether a random status-list bit is free, and (on PostgreSQL) reserve
the new certificate's id, so that its row goes to the database with the rows that name it. Those
statements go to the database together (`RoundTrip`), compiled once per process and prepared on
PostgreSQL; the ORM built and compiled the lock's join anew for every certificate, which cost
more CPU than the rest of the transaction's statements together. A bit or an id drawn for an
enrolment that is then not issued a certificate is simply not used.

PostgreSQL runs the statements of one round trip in order, each with its own snapshot: the reads
after the lock see what the previous holder of the lock committed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import router
from django.db.models import Model, QuerySet

from core.precompiled import Placeholders, Precompiled
from core.roundtrip import RoundTrip
from courses.models import CourseRun, Enrolment
from people.models import Business, User

from ..models import Certificate
from ..snapshot import read_attendance
from ..status_list import Entry, SchoolLists

# The columns of the lock's row, model by model: the enrolment's own, then (through the nullable
# foreign keys, so possibly all NULL) its participant's and its business's.
_PARTS: tuple[tuple[str, type[Model]], ...] = (
    ("", Enrolment),
    ("participant__", User),
    ("business__", Business),
)


def _attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _locked_query(p: Placeholders, alias: str, _shape) -> QuerySet:
    columns = [prefix + name for prefix, model in _PARTS for name in _attnames(model)]
    # `of=("self",)`: PostgreSQL cannot lock the nullable side of an outer join.
    locked = Enrolment.objects.using(alias).select_for_update(of=("self",))
    return locked.filter(pk=p.id("enrolment")).values_list(*columns)


_locked = Precompiled(_locked_query, prepared=True)


def _valid_certificate_query(p: Placeholders, alias: str, _shape) -> QuerySet:
    valid = Certificate.objects.using(alias).filter(revoked_at__isnull=True)
    return valid.filter(enrolment_id=p.id("enrolment")).values_list("pk")[:1]


valid_certificate = Precompiled(_valid_certificate_query, prepared=True)


def _instances(alias: str, row: tuple) -> list[Model | None]:
    """The row as model instances, as the ORM's select_related makes them: None for a foreign
    key that is NULL."""
    instances, at = [], 0
    for _prefix, model in _PARTS:
        names = _attnames(model)
        values = row[at : at + len(names)]
        at += len(names)
        pk_value = values[names.index(model._meta.pk.attname)]
        instances.append(None if pk_value is None else model.from_db(alias, names, values))
    return instances


@dataclass(frozen=True)
class Locked:
    enrolment: Enrolment
    # The enrolment's valid certificate, if it has one.
    certificate_id: int | None
    # The enrolment's attendance as `snapshot.build_data(present=…)` takes it; None when the
    # enrolment is not of the run it was read with (then build_data reads it).
    present: dict[int, int] | None
    # Gives the status-list bit of the certificate (from `SchoolLists.propose`): called only
    # when it is issued.
    status_entry: Callable[[], Entry]
    # The new certificate's id, or None where ids come only from inserting (SQLite).
    certificate_pk: int | None


def lock_for_issuing(enrolment_id: int, *, run: CourseRun, lists: SchoolLists) -> Locked:
    """The enrolment, locked until the transaction ends, with its valid certificate's id, its
    attendance at `run`'s sessions, a status-list bit and an id for its certificate. `run`: the
    enrolment's run as `_run_for_issuing` reads it, and `lists`: its school's status-list
    allocator, both shared by the certificates of a bulk job. Inside a transaction. Raises
    Enrolment.DoesNotExist as the ORM's get() would."""
    alias = router.db_for_write(Enrolment)
    trip = RoundTrip(alias)
    rows = trip.rows(_locked, None, enrolment=enrolment_id)
    existing = trip.rows(valid_certificate, None, enrolment=enrolment_id)
    present = read_attendance(trip, enrolment_id=enrolment_id, sessions=run.scheduled_sessions_list)
    status_entry = lists.propose(trip)
    ids = trip.reserve_ids(Certificate, 1)
    trip.run()
    if not rows:
        raise Enrolment.DoesNotExist(f"no enrolment {enrolment_id}")
    enrolment, participant, business = _instances(alias, rows[0])
    enrolment.participant = participant
    enrolment.business = business
    if enrolment.run_id == run.pk:
        enrolment.run = run
    return Locked(
        enrolment,
        existing[0][0] if existing else None,
        dict(present) if enrolment.run_id == run.pk else None,
        status_entry,
        ids[0] if ids else None,
    )
