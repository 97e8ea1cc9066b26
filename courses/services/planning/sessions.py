"""Sessions: plan, change and cancel one meeting of a run, and reserve the equipment it needs
(enough working units of each type the course needs for the run's seats)."""

import datetime as dt
import math
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.dbretry import atomic_retrying_deadlock, is_deadlock
from core.errors import InvalidInput
from core.formatting import iso
from people.models import User
from workshops.errors import EquipmentUnavailable, ReservationConflict
from workshops.models import Equipment, EquipmentReservation, Workshop, usable_during
from workshops.services import free_units, overlapping_reservations, reserve_items

from ...errors import NotEnoughEquipment, SessionConflict
from ...models import CourseEquipment, CourseRun, Session, SessionReservation
from ..booking.notify import send_session_change_on_commit
from . import conflicts
from .checks import (
    check_instructor,
    check_run_open_for_planning,
    check_session_dates,
    validate_times,
)


def sync_run_dates(run: CourseRun) -> None:
    """Keep the denormalised run.starts_at/ends_at equal to its scheduled sessions' span."""
    span = run.sessions.filter(status=Session.Status.SCHEDULED).aggregate(
        first=Min("start"), last=Max("end")
    )
    CourseRun.objects.filter(pk=run.pk).update(
        starts_at=span["first"], ends_at=span["last"], updated_at=timezone.now()
    )
    run.starts_at, run.ends_at = span["first"], span["last"]


def _reservation_purpose(run: CourseRun, workshop: Workshop) -> str:
    return f"{run.course.title} ({workshop})"[:200]


def units_needed(seats: int, participants_per_unit: int) -> int:
    return math.ceil(seats / max(participants_per_unit, 1)) if seats > 0 else 0


def _check_school(items: Iterable[Equipment], school_id: int) -> None:
    for item in items:
        if item.school_id != school_id:
            raise InvalidInput(_("Das Gerät gehört nicht zu dieser Schule."), field="equipment")


def _reserve_for_session(
    *, session: Session, actor: User | None, equipment: Iterable[Equipment]
) -> None:
    """Reserve the explicitly chosen items, then enough further units of each type the course
    needs for the run's seats (units = ceil(seats / participants per unit)), at most as many as
    the workshop has in service during the session (its status then, not today's). Units that
    exist but are reserved elsewhere then are a conflict, named in the message."""
    run = session.run
    chosen = list(equipment)
    _check_school(chosen, run.school_id)
    seats = min(run.capacity, session.workshop.seats)
    needs = CourseEquipment.objects.filter(course_id=run.course_id).select_related("equipment_type")
    items = list(chosen)
    for need in needs:
        etype = need.equipment_type
        in_service = (
            Equipment.objects.filter(usable_during(session.start, session.end))
            .filter(type_id=etype.pk, workshop=session.workshop)
            .count()
        )
        wanted = min(units_needed(seats, etype.participants_per_unit), in_service)
        have = sum(1 for item in items if item.type_id == etype.pk)
        if have >= wanted:
            continue
        candidates = [
            item
            for item in free_units(
                equipment_type_id=etype.pk,
                workshop=session.workshop,
                start=session.start,
                end=session.end,
            )
            if item not in items
        ]
        if len(candidates) < wanted - have:
            blocking = (
                overlapping_reservations(
                    equipment_ids=Equipment.objects.filter(
                        type_id=etype.pk, workshop=session.workshop
                    ).values_list("pk", flat=True),
                    start=session.start,
                    end=session.end,
                )
                .exclude(pk__in=session.session_reservations.values("reservation_id"))
                .first()
            )
            message = _("Nicht genug %(type)s frei: benötigt %(wanted)s, frei %(free)s.") % {
                "type": etype.name,
                "wanted": wanted,
                "free": have + len(candidates),
            }
            if blocking is not None:
                message += " " + conflicts.reservation_conflict(blocking).message
            raise NotEnoughEquipment(message, field="equipment")
        items.extend(candidates[: wanted - have])
    if items:
        reserve_items_for_session(session=session, items=items, actor=actor)


def reserve_items_for_session(
    *, session: Session, items: list[Equipment], actor: User | None
) -> None:
    """Reserve the items for the session's time and link each reservation to the session."""
    try:
        reservations = reserve_items(
            items=items,
            start=session.start,
            end=session.end,
            actor=actor,
            kind=EquipmentReservation.Kind.SESSION,
            purpose=_reservation_purpose(session.run, session.workshop),
        )
    except ReservationConflict as exc:
        raise conflicts.reservation_conflict(exc.other) from exc
    except EquipmentUnavailable as exc:
        raise InvalidInput(exc.message, field="equipment") from exc
    SessionReservation.objects.bulk_create(
        [SessionReservation(session=session, reservation=r) for r in reservations]
    )


def release_reservations(session: Session, *, delete: bool) -> None:
    ids = list(session.session_reservations.values_list("reservation_id", flat=True))
    if delete:
        EquipmentReservation.objects.filter(pk__in=ids).delete()
    else:
        EquipmentReservation.objects.filter(pk__in=ids).update(
            is_active=False, updated_at=timezone.now()
        )


def write_session(
    *,
    run: CourseRun,
    session: Session | None,
    start: dt.datetime,
    end: dt.datetime,
    workshop: Workshop,
    instructor: User | None,
    equipment: Iterable[Equipment],
    actor: User | None,
    series: uuid.UUID | None = None,
) -> Session:
    """Check, save and reserve one session inside a savepoint; conflicts raise SessionConflict."""
    exclude = [session.pk] if session is not None else []
    conflicts.check_session_conflicts(
        start=start,
        end=end,
        workshop_id=workshop.pk,
        instructor_id=getattr(instructor, "pk", None),
        exclude_ids=exclude,
    )
    sequence = session.sequence + 1 if session is not None else 0

    def write() -> Session:
        if session is None:
            saved = Session.objects.create(
                run=run,
                start=start,
                end=end,
                workshop=workshop,
                instructor=instructor,
                series=series,
            )
        else:
            saved = session
            release_reservations(saved, delete=True)
            saved.start, saved.end = start, end
            saved.workshop, saved.instructor = workshop, instructor
            saved.sequence = sequence
            saved.save()
        saved.run = run
        _reserve_for_session(session=saved, actor=actor, equipment=equipment)
        return saved

    try:
        session = atomic_retrying_deadlock(write)
    except IntegrityError as exc:
        error = conflicts.db_conflict(
            exc,
            start=start,
            end=end,
            workshop_id=workshop.pk,
            instructor_id=getattr(instructor, "pk", None),
            exclude_ids=exclude,
        )
        if error is None:
            raise
        raise error from exc
    except OperationalError as exc:
        # Still a deadlock after the repeats: two plans cross each other; this one gives way.
        if not is_deadlock(exc):
            raise
        raise SessionConflict(
            _("Ein anderer Termin wurde gerade zur selben Zeit gespeichert."), field="workshop"
        ) from exc
    return session


def session_target(run: CourseRun, workshop: Workshop | None, instructor: User | None) -> Workshop:
    """The workshop a session of the run takes place in (the run's unless another is chosen),
    checked to belong to the run's school, as the instructor is."""
    workshop = workshop or run.workshop
    if workshop.school_id != run.school_id:
        raise InvalidInput(_("Die Lernwerkstatt gehört nicht zu dieser Schule."), field="workshop")
    check_instructor(run.school_id, instructor)
    return workshop


@transaction.atomic
def add_session(
    *,
    run: CourseRun,
    start: dt.datetime,
    end: dt.datetime,
    actor: User | None,
    workshop: Workshop | None = None,
    instructor: User | None = None,
    equipment: Iterable[Equipment] = (),
    use_run_instructor: bool = True,
) -> Session:
    # The workshop joined (a session takes place in the run's unless another is chosen), not
    # locked: the same rows locked as without it.
    run = (
        CourseRun.objects.select_for_update(of=("self", "course"))
        .select_related("course", "workshop")
        .get(pk=run.pk)
    )
    check_run_open_for_planning(run)
    validate_times(start, end)
    check_session_dates(start)
    if instructor is None and use_run_instructor:
        instructor = run.instructor
    workshop = session_target(run, workshop, instructor)
    session = write_session(
        run=run,
        session=None,
        start=start,
        end=end,
        workshop=workshop,
        instructor=instructor,
        equipment=equipment,
        actor=actor,
    )
    sync_run_dates(run)
    audit(actor=actor, action="session.created", obj=session, start=iso(start))
    return session


@transaction.atomic
def update_session(
    *,
    session: Session,
    actor: User | None,
    start: dt.datetime,
    end: dt.datetime,
    workshop: Workshop | None = None,
    instructor: User | None = None,
    equipment: Iterable[Equipment] = (),
) -> Session:
    """Change one session only: the other sessions of its series stay as they are."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    run = CourseRun.objects.select_for_update().select_related("course").get(pk=session.run_id)
    check_run_open_for_planning(run)
    if session.status != Session.Status.SCHEDULED:
        raise InvalidInput(_("Ein abgesagter Termin kann nicht geändert werden."), field="start")
    validate_times(start, end)
    check_session_dates(start, before=session.start)
    workshop = session_target(run, workshop or session.workshop, instructor)
    before = (session.start, session.end, session.workshop_id)
    session = write_session(
        run=run,
        session=session,
        start=start,
        end=end,
        workshop=workshop,
        instructor=instructor,
        equipment=equipment,
        actor=actor,
    )
    sync_run_dates(run)
    audit(actor=actor, action="session.updated", obj=session, start=iso(start))
    if before != (session.start, session.end, session.workshop_id):
        send_session_change_on_commit(session, "session_moved")
    return session


@transaction.atomic
def cancel_session(*, session: Session, actor: User | None) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    run = CourseRun.objects.select_for_update().get(pk=session.run_id)
    if session.status == Session.Status.CANCELLED:
        return session
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    release_reservations(session, delete=False)
    sync_run_dates(run)
    audit(actor=actor, action="session.cancelled", obj=session)
    send_session_change_on_commit(session, "session_cancelled")
    return session


@transaction.atomic
def reserve_equipment_for_session(
    *, session: Session, actor: User | None, equipment: Iterable[Equipment]
) -> Session:
    """Add items to a planned session (e.g. an extra laser cutter)."""
    session = Session.objects.select_for_update().select_related("run__course").get(pk=session.pk)
    held = set(session.reservations.filter(is_active=True).values_list("equipment_id", flat=True))
    items = [e for e in equipment if e.pk not in held]
    if not items:
        return session
    with transaction.atomic():
        _check_school(items, session.run.school_id)
        reserve_items_for_session(session=session, items=items, actor=actor)
    session.sequence += 1
    session.save(update_fields=["sequence", "updated_at"])
    audit(
        actor=actor, action="session.equipment_reserved", obj=session, items=[i.pk for i in items]
    )
    return session
