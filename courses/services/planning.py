"""Planning: courses, runs, sessions and series, conflicts, equipment reservations for sessions.

Conflicts (same workshop, same instructor, same equipment item in overlapping sessions) are
checked inside the writing transaction so that the message can name the other session. On
PostgreSQL the database holds the rule too (exclusion constraints, migrations courses 0003 and
workshops 0003): of two coordinators saving at the same moment, the loser's INSERT waits for the
winner's commit and then fails; that IntegrityError is turned into the same SessionConflict."""

import datetime as dt
import math
import secrets
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.formatting import local_date
from people.models import Membership
from workshops.errors import EquipmentUnavailable, ReservationConflict
from workshops.models import Equipment, EquipmentReservation, Workshop
from workshops.services import (
    constraint_name,
    format_range,
    free_units,
    overlapping_reservations,
    reserve_items,
)

from ..errors import InvalidRunTransition, NotEnoughEquipment, SessionConflict
from ..models import Course, CourseEquipment, CourseRun, Session, SessionReservation
from ..selectors import seats_of
from ..signals import run_published

SESSION_CONSTRAINTS = {
    "session_no_workshop_overlap": "workshop",
    "session_no_instructor_overlap": "instructor",
}
MAX_SERIES_LENGTH = 200
MAX_SESSION_LENGTH = dt.timedelta(hours=24)
WEEKLY, DAILY = "weekly", "daily"

COURSE_FIELDS = (
    "topic",
    "title",
    "summary",
    "description",
    "level",
    "target_group",
    "hours",
    "learning_outcomes",
    "prerequisites",
    "attendance_threshold",
    "is_active",
)
RUN_FIELDS = (
    "workshop",
    "instructor",
    "title_suffix",
    "capacity",
    "min_participants",
    "booking_opens_at",
    "booking_closes_at",
    "cancellation_deadline",
    "price_business",
    "requires_employer_approval",
)


# --- descriptions for messages ---------------------------------------------------------------


def describe_session(session: Session) -> str:
    """Course, time and room of a session, as the conflict messages name it."""
    return _("„%(course)s“ am %(when)s in %(room)s") % {
        "course": session.run.course.title,
        "when": format_range(session.start, session.end),
        "room": session.workshop,
    }


def _session_qs():
    return Session.objects.select_related("run__course", "workshop", "instructor")


def _conflict(kind: str, other: Session) -> SessionConflict:
    if kind == "workshop":
        text = _("Die Lernwerkstatt ist zu dieser Zeit belegt: %(other)s.")
        field = "workshop"
    else:
        text = _("%(person)s ist zu dieser Zeit schon eingeplant: %(other)s.")
        field = "instructor"
    message = text % {"other": describe_session(other), "person": other.instructor}
    return SessionConflict(message, field=field, other_session=other.pk)


def _reservation_conflict(other: EquipmentReservation | None) -> SessionConflict:
    """Name the session that holds the item, or the external reservation."""
    if other is None:
        return SessionConflict(_("Ein benötigtes Gerät ist zu dieser Zeit schon reserviert."))
    link = (
        SessionReservation.objects.select_related(
            "session__run__course", "session__workshop", "session__instructor"
        )
        .filter(reservation=other)
        .first()
    )
    if link is not None:
        message = _("Gerät %(item)s ist zu dieser Zeit schon reserviert für %(other)s.") % {
            "item": other.equipment.inventory_number,
            "other": describe_session(link.session),
        }
        return SessionConflict(message, field="equipment", other_session=link.session_id)
    message = _("Gerät %(item)s ist zu dieser Zeit schon verliehen: %(what)s, %(when)s.") % {
        "item": other.equipment.inventory_number,
        "what": other.purpose or other.get_kind_display(),
        "when": format_range(other.start, other.end),
    }
    return SessionConflict(message, field="equipment", other_reservation=other.pk)


# --- validation ------------------------------------------------------------------------------


def _require(value, field: str, message: str):
    if value is None or value == "":
        raise InvalidInput(message, field=field)


def _validate_course(fields: dict) -> None:
    if "title" in fields:
        _require((fields["title"] or "").strip(), "title", _("Bitte einen Titel angeben."))
    if "hours" in fields:
        _require(fields["hours"], "hours", _("Bitte die Unterrichtsstunden angeben."))
        if Decimal(fields["hours"]) <= 0:
            raise InvalidInput(_("Die Stundenzahl muss größer als 0 sein."), field="hours")
    threshold = fields.get("attendance_threshold")
    if threshold is not None and not 0 <= int(threshold) <= 100:
        raise InvalidInput(
            _("Die Mindestanwesenheit muss zwischen 0 und 100 % liegen."),
            field="attendance_threshold",
        )


def _check_instructor(school_id: int, instructor) -> None:
    if instructor is None:
        return
    ok = Membership.objects.filter(
        user=instructor,
        school_id=school_id,
        role__in=[Membership.Role.INSTRUCTOR, Membership.Role.COORDINATOR],
    ).exists()
    if not ok:
        raise InvalidInput(
            _("%(person)s unterrichtet nicht an dieser Schule.") % {"person": instructor},
            field="instructor",
        )


def _validate_run(*, school_id: int, values: dict) -> None:
    capacity = values.get("capacity")
    _require(capacity, "capacity", _("Bitte die Kapazität angeben."))
    if int(capacity) < 0:
        raise InvalidInput(_("Die Kapazität darf nicht negativ sein."), field="capacity")
    minimum = values.get("min_participants") or 0
    if int(minimum) < 0:
        raise InvalidInput(_("Die Mindestzahl darf nicht negativ sein."), field="min_participants")
    if int(minimum) > int(capacity):
        raise InvalidInput(
            _("Die Mindestzahl darf die Kapazität nicht übersteigen."), field="min_participants"
        )
    opens, closes = values.get("booking_opens_at"), values.get("booking_closes_at")
    _require(opens, "booking_opens_at", _("Bitte den Buchungsbeginn angeben."))
    _require(closes, "booking_closes_at", _("Bitte das Buchungsende angeben."))
    if closes <= opens:
        raise InvalidInput(
            _("Das Buchungsende muss nach dem Buchungsbeginn liegen."), field="booking_closes_at"
        )
    _require(
        values.get("cancellation_deadline"),
        "cancellation_deadline",
        _("Bitte die Stornierungsfrist angeben."),
    )
    price = values.get("price_business")
    if price is not None and Decimal(price) < 0:
        raise InvalidInput(_("Der Preis darf nicht negativ sein."), field="price_business")
    workshop = values.get("workshop")
    _require(workshop, "workshop", _("Bitte eine Lernwerkstatt wählen."))
    if workshop.school_id != school_id:
        raise InvalidInput(_("Die Lernwerkstatt gehört nicht zu dieser Schule."), field="workshop")
    _check_instructor(school_id, values.get("instructor"))


def _validate_times(start, end) -> None:
    if start is None:
        raise InvalidInput(_("Bitte den Beginn angeben."), field="start")
    if end is None:
        raise InvalidInput(_("Bitte das Ende angeben."), field="end")
    if end <= start:
        raise InvalidInput(_("Das Ende muss nach dem Beginn liegen."), field="end")
    if end - start > MAX_SESSION_LENGTH:
        raise InvalidInput(_("Ein Termin darf höchstens 24 Stunden dauern."), field="end")


def _check_run_open_for_planning(run: CourseRun) -> None:
    if run.status in (CourseRun.Status.CANCELLED, CourseRun.Status.COMPLETED):
        raise InvalidRunTransition(
            _("Die Kursdurchführung ist %(status)s und kann nicht mehr geplant werden.")
            % {"status": run.get_status_display()}
        )


# --- courses ---------------------------------------------------------------------------------


def _set_equipment_types(course: Course, equipment_types: Iterable) -> None:
    wanted = {t.pk for t in equipment_types}
    CourseEquipment.objects.filter(course=course).exclude(equipment_type_id__in=wanted).delete()
    have = set(
        CourseEquipment.objects.filter(course=course).values_list("equipment_type_id", flat=True)
    )
    CourseEquipment.objects.bulk_create(
        [CourseEquipment(course=course, equipment_type_id=pk) for pk in sorted(wanted - have)]
    )


@transaction.atomic
def create_course(*, school, actor, equipment_types: Iterable = (), **fields) -> Course:
    fields = {k: v for k, v in fields.items() if k in COURSE_FIELDS}
    _validate_course({"title": "", "hours": None, **fields})
    course = Course.objects.create(school=school, **fields)
    _set_equipment_types(course, equipment_types)
    audit(actor=actor, action="course.created", obj=course, title=course.title)
    return course


@transaction.atomic
def update_course(*, course: Course, actor, equipment_types: Iterable | None = None, **fields):
    fields = {k: v for k, v in fields.items() if k in COURSE_FIELDS}
    _validate_course(fields)
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    if equipment_types is not None:
        _set_equipment_types(course, equipment_types)
    audit(actor=actor, action="course.updated", obj=course, fields=sorted(fields))
    return course


# --- runs ------------------------------------------------------------------------------------


@transaction.atomic
def create_run(*, course: Course, actor, **fields) -> CourseRun:
    fields = {k: v for k, v in fields.items() if k in RUN_FIELDS}
    fields.setdefault("min_participants", 0)
    _validate_run(school_id=course.school_id, values=fields)
    run = CourseRun.objects.create(
        course=course, school_id=course.school_id, status=CourseRun.Status.DRAFT, **fields
    )
    audit(actor=actor, action="run.created", obj=run, course=course.pk)
    return run


@transaction.atomic
def update_run(*, run: CourseRun, actor, **fields) -> CourseRun:
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    fields = {k: v for k, v in fields.items() if k in RUN_FIELDS}
    values = {name: getattr(run, name) for name in RUN_FIELDS}
    values.update(fields)
    _validate_run(school_id=run.school_id, values=values)
    old_workshop_id, old_instructor_id = run.workshop_id, run.instructor_id
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()
    if run.status not in (CourseRun.Status.CANCELLED, CourseRun.Status.COMPLETED) and (
        run.workshop_id != old_workshop_id or run.instructor_id != old_instructor_id
    ):
        _move_future_sessions(
            run=run,
            old_workshop_id=old_workshop_id,
            old_instructor_id=old_instructor_id,
            actor=actor,
        )
    audit(actor=actor, action="run.updated", obj=run, fields=sorted(fields))
    return run


def _move_future_sessions(*, run: CourseRun, old_workshop_id, old_instructor_id, actor) -> None:
    """A new room or instructor for the run applies to its future scheduled sessions that followed
    the run's old value (a session deliberately planned elsewhere keeps its own), with the same
    conflict checks as editing a session. Runs inside update_run's transaction: one conflict and
    nothing of the run's change is kept (SessionConflict names the other session)."""
    sessions = list(
        Session.objects.select_for_update()
        .filter(run=run, status=Session.Status.SCHEDULED, start__gt=timezone.now())
        .order_by("start")
    )
    for session in sessions:
        workshop_id = session.workshop_id
        instructor_id = session.instructor_id
        if run.workshop_id != old_workshop_id and workshop_id == old_workshop_id:
            workshop_id = run.workshop_id
        if run.instructor_id != old_instructor_id and instructor_id == old_instructor_id:
            instructor_id = run.instructor_id
        if (workshop_id, instructor_id) == (session.workshop_id, session.instructor_id):
            continue
        if workshop_id != session.workshop_id:
            # Another room: its equipment is reserved anew there (_write_session releases the old
            # reservations and reserves what the course needs in the new workshop).
            _write_session(
                run=run,
                session=session,
                start=session.start,
                end=session.end,
                workshop=run.workshop,
                instructor=run.instructor
                if instructor_id == run.instructor_id
                else session.instructor,
                equipment=(),
                actor=actor,
            )
        else:
            # Only the person changes: the reserved equipment stays as it is.
            check_session_conflicts(
                start=session.start,
                end=session.end,
                workshop_id=session.workshop_id,
                instructor_id=instructor_id,
                exclude_ids=[session.pk],
            )
            session.instructor_id = instructor_id
            session.sequence += 1  # calendar subscribers see the change
            try:
                with transaction.atomic():
                    session.save(update_fields=["instructor", "sequence", "updated_at"])
            except IntegrityError as exc:
                error = _db_conflict(
                    exc,
                    start=session.start,
                    end=session.end,
                    workshop_id=session.workshop_id,
                    instructor_id=instructor_id,
                    exclude_ids=[session.pk],
                )
                if error is None:
                    raise
                raise error from exc
        audit(actor=actor, action="session.updated", obj=session, via="run.updated")


@transaction.atomic
def publish_run(*, run: CourseRun, actor, now=None) -> CourseRun:
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    if run.status != CourseRun.Status.DRAFT:
        raise InvalidRunTransition(
            _("Nur Entwürfe können veröffentlicht werden (Status: %(status)s).")
            % {"status": run.get_status_display()}
        )
    if not run.sessions.filter(status=Session.Status.SCHEDULED).exists():
        raise InvalidRunTransition(_("Bitte zuerst mindestens einen Termin planen."))
    run.status = CourseRun.Status.PUBLISHED
    run.published_at = now or timezone.now()
    run.save(update_fields=["status", "published_at", "updated_at"])
    audit(actor=actor, action="run.published", obj=run)
    transaction.on_commit(lambda: run_published.send(sender=CourseRun, run=run))
    return run


@transaction.atomic
def unpublish_run(*, run: CourseRun, actor) -> CourseRun:
    """Back to draft, only while nobody has booked."""
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    if run.status != CourseRun.Status.PUBLISHED:
        raise InvalidRunTransition(_("Nur veröffentlichte Kurse können zurückgezogen werden."))
    if run.enrolments.exists():
        raise InvalidRunTransition(
            _("Es gibt schon Anmeldungen; bitte den Kurs stattdessen absagen.")
        )
    run.status = CourseRun.Status.DRAFT
    run.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="run.unpublished", obj=run)
    return run


def complete_run(*, run: CourseRun, actor, now=None) -> CourseRun:
    """published → completed after the last session; the completion service also settles each
    enrolment's outcome from attendance, so planning delegates instead of duplicating it."""
    from .completion import complete_run as settle

    return settle(run=run, actor=actor, now=now)


@transaction.atomic
def cancel_run(*, run: CourseRun, actor, reason: str = "", now=None) -> CourseRun:
    """draft/published → cancelled. The booking service cancels sessions and enrolments, tells
    everyone and records the run.cancelled events; planning then releases the equipment the
    sessions held, in the same transaction."""
    from .booking import cancel_run as cancel_bookings

    run = cancel_bookings(run=run, actor=actor, reason=reason, now=now)
    release_run_equipment(run)
    return run


def release_run_equipment(run: CourseRun) -> int:
    """Deactivate the reservations of the run's cancelled sessions (idempotent)."""
    return EquipmentReservation.objects.filter(
        is_active=True,
        session_link__session__run=run,
        session_link__session__status=Session.Status.CANCELLED,
    ).update(is_active=False, updated_at=timezone.now())


# --- sessions --------------------------------------------------------------------------------


def sync_run_dates(run: CourseRun) -> None:
    """Keep the denormalised run.starts_at/ends_at equal to its scheduled sessions' span."""
    span = run.sessions.filter(status=Session.Status.SCHEDULED).aggregate(
        first=Min("start"), last=Max("end")
    )
    CourseRun.objects.filter(pk=run.pk).update(
        starts_at=span["first"], ends_at=span["last"], updated_at=timezone.now()
    )
    run.starts_at, run.ends_at = span["first"], span["last"]


def find_conflict(
    *, start, end, workshop_id: int | None, instructor_id: int | None, exclude_ids=()
) -> SessionConflict | None:
    """The first scheduled session overlapping [start, end) in the same workshop or with the
    same instructor, as the error to raise (None when free). One indexed query, and a second
    only to name the session that clashes."""
    clash = Q(workshop_id=workshop_id)
    if instructor_id:
        clash |= Q(instructor_id=instructor_id)
    # Only ids first: most checks find nothing, and a narrow query compiles and runs fast; the
    # full row (course, room, instructor) is loaded for the message only when there is a clash.
    hit = (
        Session.objects.filter(
            clash,
            status=Session.Status.SCHEDULED,
            start__lt=end,
            end__gt=start,
            # Sessions last at most MAX_SESSION_LENGTH, so this bound lets the (workshop, start)
            # and (instructor, start) indexes read a few rows instead of all earlier ones.
            start__gt=start - MAX_SESSION_LENGTH,
        )
        .exclude(pk__in=list(exclude_ids))
        .order_by("start")
        .values_list("pk", flat=True)
        .first()
    )
    if hit is None:
        return None
    other = _session_qs().get(pk=hit)
    return _conflict("workshop" if other.workshop_id == workshop_id else "instructor", other)


def check_session_conflicts(*, start, end, workshop_id, instructor_id, exclude_ids=()) -> None:
    error = find_conflict(
        start=start,
        end=end,
        workshop_id=workshop_id,
        instructor_id=instructor_id,
        exclude_ids=exclude_ids,
    )
    if error is not None:
        raise error


def _reservation_purpose(run: CourseRun, workshop: Workshop) -> str:
    return f"{run.course.title} ({workshop})"[:200]


def units_needed(seats: int, participants_per_unit: int) -> int:
    return math.ceil(seats / max(participants_per_unit, 1)) if seats > 0 else 0


def _reserve_for_session(*, session: Session, actor, equipment: Iterable[Equipment]) -> None:
    """Reserve the explicitly chosen items, then enough further working units of each type the
    course needs for the run's seats (units = ceil(seats / participants per unit))."""
    run = session.run
    chosen = list(equipment)
    for item in chosen:
        if item.school_id != run.school_id:
            raise InvalidInput(_("Das Gerät gehört nicht zu dieser Schule."), field="equipment")
    seats = seats_of(run)
    needs = CourseEquipment.objects.filter(course_id=run.course_id).select_related("equipment_type")
    items = list(chosen)
    for need in needs:
        etype = need.equipment_type
        wanted = units_needed(seats, etype.participants_per_unit)
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
                message += " " + _reservation_conflict(blocking).message
            raise NotEnoughEquipment(message, field="equipment")
        items.extend(candidates[: wanted - have])
    if not items:
        return
    try:
        reservations = reserve_items(
            items=items,
            start=session.start,
            end=session.end,
            actor=actor,
            kind=EquipmentReservation.Kind.SESSION,
            purpose=_reservation_purpose(run, session.workshop),
        )
    except ReservationConflict as exc:
        raise _reservation_conflict(exc.other) from exc
    except EquipmentUnavailable as exc:
        raise InvalidInput(exc.message, field="equipment") from exc
    SessionReservation.objects.bulk_create(
        [SessionReservation(session=session, reservation=r) for r in reservations]
    )


def _release_reservations(session: Session, *, delete: bool) -> None:
    ids = list(session.session_reservations.values_list("reservation_id", flat=True))
    if delete:
        EquipmentReservation.objects.filter(pk__in=ids).delete()
    else:
        EquipmentReservation.objects.filter(pk__in=ids).update(
            is_active=False, updated_at=timezone.now()
        )


def _db_conflict(exc: IntegrityError, *, start, end, workshop_id, instructor_id, exclude_ids=()):
    """Turn an exclusion violation (PostgreSQL) into the SessionConflict naming the winner."""
    kind = SESSION_CONSTRAINTS.get(constraint_name(exc))
    if kind is None:
        return None
    other = (
        _session_qs()
        .filter(
            Q(workshop_id=workshop_id) if kind == "workshop" else Q(instructor_id=instructor_id),
            status=Session.Status.SCHEDULED,
            start__lt=end,
            end__gt=start,
        )
        .exclude(pk__in=list(exclude_ids))
        .first()
    )
    if other is None:
        return SessionConflict(_("Ein anderer Termin wurde gerade zur selben Zeit gespeichert."))
    return _conflict(kind, other)


def _write_session(
    *, run, session, start, end, workshop, instructor, equipment, actor, series=None
) -> Session:
    """Check, save and reserve one session inside a savepoint; conflicts raise SessionConflict."""
    exclude = [session.pk] if session is not None else []
    check_session_conflicts(
        start=start,
        end=end,
        workshop_id=workshop.pk,
        instructor_id=getattr(instructor, "pk", None),
        exclude_ids=exclude,
    )
    try:
        with transaction.atomic():
            if session is None:
                session = Session.objects.create(
                    run=run,
                    start=start,
                    end=end,
                    workshop=workshop,
                    instructor=instructor,
                    series=series,
                    checkin_token=secrets.token_urlsafe(24),
                )
            else:
                _release_reservations(session, delete=True)
                session.start, session.end = start, end
                session.workshop, session.instructor = workshop, instructor
                session.sequence += 1
                session.save()
            session.run = run
            _reserve_for_session(session=session, actor=actor, equipment=equipment)
    except IntegrityError as exc:
        error = _db_conflict(
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
    return session


def _session_target(run, workshop, instructor):
    workshop = workshop or run.workshop
    if workshop.school_id != run.school_id:
        raise InvalidInput(_("Die Lernwerkstatt gehört nicht zu dieser Schule."), field="workshop")
    _check_instructor(run.school_id, instructor)
    return workshop


@transaction.atomic
def add_session(
    *,
    run: CourseRun,
    start: dt.datetime,
    end: dt.datetime,
    actor,
    workshop: Workshop | None = None,
    instructor=None,
    equipment: Iterable[Equipment] = (),
    use_run_instructor: bool = True,
) -> Session:
    run = CourseRun.objects.select_for_update().select_related("course").get(pk=run.pk)
    _check_run_open_for_planning(run)
    _validate_times(start, end)
    if instructor is None and use_run_instructor:
        instructor = run.instructor
    workshop = _session_target(run, workshop, instructor)
    session = _write_session(
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
    audit(actor=actor, action="session.created", obj=session, start=start.isoformat())
    return session


@transaction.atomic
def update_session(
    *,
    session: Session,
    actor,
    start: dt.datetime,
    end: dt.datetime,
    workshop: Workshop | None = None,
    instructor=None,
    equipment: Iterable[Equipment] = (),
) -> Session:
    """Change one session only: the other sessions of its series stay as they are."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    run = CourseRun.objects.select_for_update().select_related("course").get(pk=session.run_id)
    _check_run_open_for_planning(run)
    if session.status != Session.Status.SCHEDULED:
        raise InvalidInput(_("Ein abgesagter Termin kann nicht geändert werden."), field="start")
    _validate_times(start, end)
    workshop = _session_target(run, workshop or session.workshop, instructor)
    session = _write_session(
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
    audit(actor=actor, action="session.updated", obj=session, start=start.isoformat())
    return session


def _cancel_session(*, session: Session) -> None:
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    _release_reservations(session, delete=False)


@transaction.atomic
def cancel_session(*, session: Session, actor) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    run = CourseRun.objects.select_for_update().get(pk=session.run_id)
    if session.status == Session.Status.CANCELLED:
        return session
    _cancel_session(session=session)
    sync_run_dates(run)
    audit(actor=actor, action="session.cancelled", obj=session)
    return session


@transaction.atomic
def reserve_equipment_for_session(*, session: Session, actor, equipment: Iterable[Equipment]):
    """Add items to a planned session (e.g. an extra laser cutter)."""
    session = Session.objects.select_for_update().select_related("run__course").get(pk=session.pk)
    held = set(session.reservations.filter(is_active=True).values_list("equipment_id", flat=True))
    items = [e for e in equipment if e.pk not in held]
    if not items:
        return session
    try:
        with transaction.atomic():
            for item in items:
                if item.school_id != session.run.school_id:
                    raise InvalidInput(
                        _("Das Gerät gehört nicht zu dieser Schule."), field="equipment"
                    )
            reservations = reserve_items(
                items=items,
                start=session.start,
                end=session.end,
                actor=actor,
                kind=EquipmentReservation.Kind.SESSION,
                purpose=_reservation_purpose(session.run, session.workshop),
            )
            SessionReservation.objects.bulk_create(
                [SessionReservation(session=session, reservation=r) for r in reservations]
            )
    except ReservationConflict as exc:
        raise _reservation_conflict(exc.other) from exc
    except EquipmentUnavailable as exc:
        raise InvalidInput(exc.message, field="equipment") from exc
    session.sequence += 1
    session.save(update_fields=["sequence", "updated_at"])
    audit(
        actor=actor, action="session.equipment_reserved", obj=session, items=[i.pk for i in items]
    )
    return session


# --- series ----------------------------------------------------------------------------------


def series_dates(
    *,
    first_date: dt.date,
    frequency: str,
    until: dt.date | None = None,
    count: int | None = None,
    skip_dates: Iterable[dt.date] = (),
) -> list[dt.date]:
    """Dates of a series: every week or every day from `first_date`, until a date (inclusive) or
    until `count` sessions exist, leaving out `skip_dates` (holidays; they do not count)."""
    if frequency not in (WEEKLY, DAILY):
        raise InvalidInput(_("Bitte „wöchentlich“ oder „täglich“ wählen."), field="frequency")
    if until is None and not count:
        raise InvalidInput(
            _("Bitte ein Enddatum oder eine Anzahl von Terminen angeben."), field="until"
        )
    if count is not None and count < 0:
        raise InvalidInput(_("Die Anzahl darf nicht negativ sein."), field="count")
    if until is not None and until < first_date:
        raise InvalidInput(_("Das Enddatum liegt vor dem ersten Termin."), field="until")
    step = dt.timedelta(days=7 if frequency == WEEKLY else 1)
    skip = set(skip_dates)
    dates: list[dt.date] = []
    day = first_date
    # Bounded walk: a series of only skipped dates must end, not loop.
    for _step in range(MAX_SERIES_LENGTH * 4):
        if until is not None and day > until:
            break
        if count and len(dates) >= count:
            break
        if day not in skip:
            dates.append(day)
        day += step
    if len(dates) > MAX_SERIES_LENGTH:
        raise InvalidInput(
            _("Eine Serie darf höchstens %(n)s Termine haben.") % {"n": MAX_SERIES_LENGTH},
            field="until",
        )
    if not dates:
        raise InvalidInput(_("Die Serie enthält keine Termine."), field="until")
    return dates


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock time on a date in the school's time zone (DST-safe per date)."""
    return timezone.make_aware(dt.datetime.combine(day, time))


@transaction.atomic
def create_series(
    *,
    run: CourseRun,
    actor,
    first_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    frequency: str = WEEKLY,
    until: dt.date | None = None,
    count: int | None = None,
    skip_dates: Iterable[dt.date] = (),
    workshop: Workshop | None = None,
    instructor=None,
    equipment: Iterable[Equipment] = (),
) -> list[Session]:
    """All sessions of the series or none: the first conflict rolls the whole series back and
    its message names the date and the other session."""
    if start_time is None or end_time is None:
        raise InvalidInput(_("Bitte Beginn und Ende angeben."), field="start_time")
    if end_time <= start_time:
        raise InvalidInput(_("Das Ende muss nach dem Beginn liegen."), field="end_time")
    dates = series_dates(
        first_date=first_date, frequency=frequency, until=until, count=count, skip_dates=skip_dates
    )
    run = CourseRun.objects.select_for_update().select_related("course").get(pk=run.pk)
    _check_run_open_for_planning(run)
    instructor = instructor or run.instructor
    workshop = _session_target(run, workshop, instructor)
    series = uuid.uuid4()
    equipment = list(equipment)
    sessions = []
    for day in dates:
        start, end = local_datetime(day, start_time), local_datetime(day, end_time)
        try:
            session = _write_session(
                run=run,
                session=None,
                start=start,
                end=end,
                workshop=workshop,
                instructor=instructor,
                equipment=equipment,
                actor=actor,
                series=series,
            )
        except SessionConflict as exc:
            exc.message = _("Termin am %(day)s: %(message)s") % {
                "day": local_date(day),
                "message": exc.message,
            }
            exc.args = (exc.message,)
            raise
        sessions.append(session)
    sync_run_dates(run)
    audit(
        actor=actor,
        action="session.series_created",
        obj=run,
        series=str(series),
        count=len(sessions),
        frequency=frequency,
    )
    return sessions
