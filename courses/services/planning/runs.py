"""Runs: one offering of a course (dates, seats, booking window) and its way from draft to
published to completed or cancelled; the daily flag for runs short of their minimum."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.dbretry import atomic_retrying_deadlock
from core.errors import InvalidInput
from core.services.outbox import enqueue_email
from people.models import User
from people.selectors import coordinator_emails
from workshops.models import EquipmentReservation, Workshop

from ...emails import below_minimum_email
from ...errors import InvalidRunTransition
from ...models import Course, CourseRun, Session
from ...selectors import staff_runs
from ...signals import run_published, run_withdrawn
from ..booking.cancel import cancel_run as cancel_bookings
from ..completion import complete_run as settle_run
from . import conflicts
from .capacity import reserve_for_capacity
from .checks import UNSET, Unset, check_instructor, check_run_plausible, passed, require
from .sessions import write_session

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


def _validate_run(*, school_id: int, values: dict, run: CourseRun | None = None) -> None:
    capacity = values.get("capacity")
    require(capacity, "capacity", _("Bitte die Kapazität angeben."))
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
    require(opens, "booking_opens_at", _("Bitte den Buchungsbeginn angeben."))
    require(closes, "booking_closes_at", _("Bitte das Buchungsende angeben."))
    if closes <= opens:
        raise InvalidInput(
            _("Das Buchungsende muss nach dem Buchungsbeginn liegen."), field="booking_closes_at"
        )
    require(
        values.get("cancellation_deadline"),
        "cancellation_deadline",
        _("Bitte die Stornierungsfrist angeben."),
    )
    price = values.get("price_business")
    if price is not None and Decimal(price) < 0:
        raise InvalidInput(_("Der Preis darf nicht negativ sein."), field="price_business")
    workshop = values.get("workshop")
    require(workshop, "workshop", _("Bitte eine Lernwerkstatt wählen."))
    if workshop.school_id != school_id:
        raise InvalidInput(_("Die Lernwerkstatt gehört nicht zu dieser Schule."), field="workshop")
    check_instructor(school_id, values.get("instructor"))
    check_run_plausible(run=run, values=values)


@transaction.atomic
def create_run(
    *,
    course: Course,
    actor: User | None,
    workshop: Workshop,
    capacity: int,
    booking_opens_at: dt.datetime,
    booking_closes_at: dt.datetime,
    cancellation_deadline: dt.datetime,
    instructor: User | None = None,
    title_suffix: str = "",
    min_participants: int = 0,
    price_business: Decimal = Decimal("0"),
    requires_employer_approval: bool = False,
) -> CourseRun:
    """A new run of the course, as a draft."""
    fields = {
        "workshop": workshop,
        "instructor": instructor,
        "title_suffix": title_suffix,
        "capacity": capacity,
        "min_participants": min_participants,
        "booking_opens_at": booking_opens_at,
        "booking_closes_at": booking_closes_at,
        "cancellation_deadline": cancellation_deadline,
        "price_business": price_business,
        "requires_employer_approval": requires_employer_approval,
    }
    _validate_run(school_id=course.school_id, values=fields)
    run = CourseRun.objects.create(
        course=course, school_id=course.school_id, status=CourseRun.Status.DRAFT, **fields
    )
    audit(actor=actor, action="run.created", obj=run, course=course.pk)
    return run


@transaction.atomic
def update_run(
    *,
    run: CourseRun,
    actor: User | None,
    workshop: Workshop | Unset = UNSET,
    instructor: User | None | Unset = UNSET,
    title_suffix: str | Unset = UNSET,
    capacity: int | Unset = UNSET,
    min_participants: int | Unset = UNSET,
    booking_opens_at: dt.datetime | Unset = UNSET,
    booking_closes_at: dt.datetime | Unset = UNSET,
    cancellation_deadline: dt.datetime | Unset = UNSET,
    price_business: Decimal | Unset = UNSET,
    requires_employer_approval: bool | Unset = UNSET,
) -> CourseRun:
    """Change the fields passed (the others keep their values). A new workshop or instructor
    moves the run's future sessions along (`_move_future_sessions`); a higher capacity reserves
    the further equipment for every session ahead, or is refused naming the session short of
    it (NotEnoughEquipment)."""
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    fields = passed(
        workshop=workshop,
        instructor=instructor,
        title_suffix=title_suffix,
        capacity=capacity,
        min_participants=min_participants,
        booking_opens_at=booking_opens_at,
        booking_closes_at=booking_closes_at,
        cancellation_deadline=cancellation_deadline,
        price_business=price_business,
        requires_employer_approval=requires_employer_approval,
    )
    values = {name: getattr(run, name) for name in RUN_FIELDS}
    values.update(fields)
    _validate_run(school_id=run.school_id, values=values, run=run)
    old_workshop_id, old_instructor_id = run.workshop_id, run.instructor_id
    old_capacity = run.capacity
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()
    if run.status not in CourseRun.Status.ENDED and (
        run.workshop_id != old_workshop_id or run.instructor_id != old_instructor_id
    ):
        _move_future_sessions(
            run=run,
            old_workshop_id=old_workshop_id,
            old_instructor_id=old_instructor_id,
            actor=actor,
        )
    if run.status not in CourseRun.Status.ENDED and int(run.capacity) > old_capacity:
        reserve_for_capacity(run=run, actor=actor)
    audit(actor=actor, action="run.updated", obj=run, fields=sorted(fields))
    return run


def _move_future_sessions(
    *,
    run: CourseRun,
    old_workshop_id: int,
    old_instructor_id: int | None,
    actor: User | None,
) -> None:
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
            # Another room: its equipment is reserved anew there (write_session releases the old
            # reservations and reserves what the course needs in the new workshop).
            write_session(
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
            _move_instructor(session, instructor_id)
        audit(actor=actor, action="session.updated", obj=session, via="run.updated")


def _move_instructor(session: Session, instructor_id: int | None) -> None:
    """Only the person changes: the reserved equipment stays as it is."""
    conflicts.check_session_conflicts(
        start=session.start,
        end=session.end,
        workshop_id=session.workshop_id,
        instructor_id=instructor_id,
        exclude_ids=[session.pk],
    )
    session.instructor_id = instructor_id
    session.sequence += 1  # calendar subscribers see the change
    try:
        atomic_retrying_deadlock(
            lambda: session.save(update_fields=["instructor", "sequence", "updated_at"])
        )
    except IntegrityError as exc:
        error = conflicts.db_conflict(
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


@transaction.atomic
def publish_run(*, run: CourseRun, actor: User | None, now: dt.datetime | None = None) -> CourseRun:
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
    run_published.send(sender=CourseRun, run=run, now=run.published_at)
    return run


@transaction.atomic
def unpublish_run(*, run: CourseRun, actor: User | None) -> CourseRun:
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
    run_withdrawn.send(sender=CourseRun, run=run)
    return run


def complete_run(
    *,
    run: CourseRun,
    actor: User | None,
    now: dt.datetime | None = None,
    close_missing: bool = False,
) -> CourseRun:
    """published → completed after the last session; the completion service also settles each
    enrolment's outcome from attendance, so planning delegates instead of duplicating it."""
    return settle_run(run=run, actor=actor, now=now, close_missing=close_missing)


@transaction.atomic
def cancel_run(
    *, run: CourseRun, actor: User | None, reason: str = "", now: dt.datetime | None = None
) -> CourseRun:
    """draft/published → cancelled. The booking service cancels sessions and enrolments, tells
    everyone and records the run.cancelled events; planning then releases the equipment the
    sessions held, in the same transaction."""
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


# --- below the minimum ------------------------------------------------------------------------


def flag_runs_below_minimum(*, now: dt.datetime | None = None) -> int:
    """Published runs starting within MIN_PARTICIPANTS_CHECK_DAYS with fewer confirmed enrolments
    than their minimum: flag each once and e-mail the school's coordinators after commit. Safe to
    run twice: `min_participants_flagged_at` is claimed with a conditional update first."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.MIN_PARTICIPANTS_CHECK_DAYS)
    candidates = (
        staff_runs()
        .filter(
            status=CourseRun.Status.PUBLISHED,
            min_participants_flagged_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=horizon,
        )
        .order_by("starts_at")
    )
    flagged = 0
    for run in candidates:
        if run.confirmed >= run.min_participants:
            continue
        with transaction.atomic():
            claimed = CourseRun.objects.filter(
                pk=run.pk, min_participants_flagged_at__isnull=True
            ).update(min_participants_flagged_at=now)
            if not claimed:
                continue  # another worker got there first
            recipients = coordinator_emails(run.school_id)
            if recipients:
                message = below_minimum_email(run, recipients)
                enqueue_email(message)
        flagged += 1
    return flagged
