"""The run lock and the seat count read under it.

Every transaction that changes who holds a seat locks the run row first (`lock_run`). That one
lock serialises bookings, cancellations and promotions of a run, so the seat count read after it is
the truth and the waiting-list sequence (max + 1) never repeats. A booking takes the lock and
reads the count in one round trip (`lock_run_for_seats`), but as two statements: one statement
doing both would count with a snapshot taken before it waited for the lock. On SQLite the whole
database is locked by `transaction_mode=IMMEDIATE` instead, which gives the same guarantee.
Lock order, always: the participants' user rows (for the overlap check), then the run."""

from dataclasses import dataclass

from django.db import router
from django.db.models import IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from core.precompiled import Placeholders, Precompiled
from core.roundtrip import RoundTrip
from people.models import User

from ...models import Course, CourseRun, Enrolment
from ...selectors import with_seats

# The statements below run on every booking, most of them while the run is locked: they are
# compiled once per database (see `core.precompiled`).
_RUN_FIELDS = [f.attname for f in CourseRun._meta.concrete_fields]
_COURSE_FIELDS = [f.attname for f in Course._meta.concrete_fields]


def _run_query(p: Placeholders, alias: str, locked: bool) -> QuerySet:
    runs = CourseRun.objects.using(alias)
    if locked:
        runs = runs.select_for_update(of=("self",))
    return runs.filter(pk=p.id("run")).values_list(
        *_RUN_FIELDS, *(f"course__{name}" for name in _COURSE_FIELDS)
    )


_run = Precompiled(_run_query, prepared=True)


def _from_row(alias: str, row: tuple) -> CourseRun:
    split = len(_RUN_FIELDS)
    run = CourseRun.from_db(alias, _RUN_FIELDS, row[:split])
    run.course = Course.from_db(alias, _COURSE_FIELDS, row[split:])
    return run


def _run_with_course(alias: str, run_id: int, *, locked: bool) -> CourseRun | None:
    rows = _run.rows(alias, locked, run=run_id)
    return _from_row(alias, rows[0]) if rows else None


def run_to_book(run_id: int) -> CourseRun | None:
    """The run with its course, unlocked (the booking view's permission check and the booking's
    checks before the lock), or None."""
    return _run_with_course(router.db_for_read(CourseRun), run_id, locked=False)


def lock_run(run: CourseRun | int) -> CourseRun:
    """The run as it is now, its row locked, with its course."""
    run_id = run if isinstance(run, int) else run.pk
    locked = _run_with_course(router.db_for_write(CourseRun), run_id, locked=True)
    if locked is None:
        raise CourseRun.DoesNotExist(f"CourseRun {run_id} does not exist.")
    return locked


def _lock_people_query(p: Placeholders, alias: str, count: int) -> QuerySet:
    return (
        User.objects.using(alias)
        .select_for_update()
        .filter(pk__in=[p.id(f"participant{i}") for i in range(count)])
        .order_by("pk")
        .values_list("pk")
    )


_lock_people = Precompiled(_lock_people_query, prepared=True)


def lock_participants(participants: list[User], *, into: RoundTrip | None = None) -> None:
    """The participants' user rows serialise each person's bookings across runs (so that two
    overlapping runs cannot both be booked at once). Taken before the run lock, in id order.
    With `into`, taken when that round trip is run (before the statements added after)."""
    trip = into or RoundTrip(router.db_for_write(User))
    ids = {f"participant{i}": p.pk for i, p in enumerate(participants)}
    trip.rows(_lock_people, len(ids), **ids)
    if into is None:
        trip.run()


def _touch_query(p: Placeholders, alias: str, _shape) -> UpdateQuery:
    query = CourseRun.objects.using(alias).filter(pk=p.id("run")).query.chain(UpdateQuery)
    query.add_update_values({"updated_at": p.datetime("updated_at")})
    return query


_touch_run = Precompiled(_touch_query, prepared=True)


def touch_run(run: CourseRun, *, into: RoundTrip | None = None) -> None:
    """Seats changed: bump the run's updated_at so API clients syncing with `updated_since` see
    the new seats_left. One UPDATE of that column on the row the caller has already locked (no
    save() of the whole row, which could overwrite a concurrent edit of other fields). With
    `into`, written when that round trip is run."""
    run.updated_at = timezone.now()
    if into is not None:
        into.execute(_touch_run, None, run=run.pk, updated_at=run.updated_at)
        return
    alias = router.db_for_write(CourseRun)
    _touch_run.execute(alias, None, run=run.pk, updated_at=run.updated_at)


@dataclass
class SeatState:
    free: int  # seats not held by confirmed or pending enrolments
    waiting: int  # length of the waiting list
    next_seq: int  # the next waiting-list sequence number (max + 1: never reused)


def _seat_query(p: Placeholders, alias: str, _shape) -> QuerySet:
    """The seat query, built from `with_seats` (the one seat rule) and compiled once per
    database: building and compiling its nested subqueries costs more CPU than running it, and
    it runs while every other booking of the run waits for the lock."""
    max_seq = (
        Enrolment.objects.filter(run_id=OuterRef("pk"), waitlist_seq__isnull=False)
        .order_by()
        .values("run_id")
        .annotate(m=Max("waitlist_seq"))
        .values("m")
    )
    return (
        with_seats(CourseRun.objects.using(alias).filter(pk=p.id("run")))
        .annotate(max_seq=Subquery(max_seq, output_field=IntegerField()))
        .values_list("seats", "taken", "waitlist_length", "max_seq")
    )


_seat_state = Precompiled(_seat_query, prepared=True)


def _seats_from(row: tuple) -> SeatState:
    seats, taken, waiting, max_seq = row
    return SeatState(free=seats - taken, waiting=waiting, next_seq=(max_seq or 0) + 1)


def seat_state(run: CourseRun) -> SeatState:
    """Seats and waiting list in one query, under the caller's run lock."""
    alias = router.db_for_write(CourseRun)
    [row] = _seat_state.rows(alias, None, run=run.pk)
    return _seats_from(row)


def lock_run_for_seats(run: CourseRun, *, new_enrolments: int) -> tuple[CourseRun, SeatState, list]:
    """`lock_run` and then `seat_state` in one round trip, as two statements: the count must
    be read after the lock is granted, with a snapshot of that moment (core.roundtrip). Also
    reserves ids for the `new_enrolments` about to be written (none on SQLite, where they get
    theirs by inserting), so that their audit, event and e-mail rows can go with them."""
    alias = router.db_for_write(CourseRun)
    trip = RoundTrip(alias)
    locked = trip.rows(_run, True, run=run.pk)
    counted = trip.rows(_seat_state, None, run=run.pk)
    ids = trip.reserve_ids(Enrolment, new_enrolments)
    trip.run()
    if not locked:
        raise CourseRun.DoesNotExist(f"CourseRun {run.pk} does not exist.")
    return _from_row(alias, locked[0]), _seats_from(counted[0]), ids
