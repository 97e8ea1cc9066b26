"""Attendance: the instructor marks each participant (self check-in: services/checkin.py).

Every mark is one audit row and one "attendance.recorded" event (for the chamber's webhooks),
written in the same transaction as the Attendance row."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.events import record_event
from core.formatting import iso, local_date, local_time

from ..errors import AttendanceNotAllowed
from ..models import Attendance, CourseRun, Enrolment, Session

# Statuses whose holders take part and so have attendance recorded.
ATTENDING_STATUSES = Enrolment.Status.SEATED
# Attendance opens with the self check-in, shortly before the start, when people arrive; a session
# that has not begun cannot have anyone present (or absent) yet.
OPENS_BEFORE = dt.timedelta(minutes=30)


def attendance_opens_at(session: Session) -> dt.datetime:
    return session.start - OPENS_BEFORE


def attendance_is_open(session: Session, *, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= attendance_opens_at(session)


def check_attendance_open(session: Session, *, now: dt.datetime | None = None) -> None:
    """Refuse marks for a cancelled session or one not started yet (naming when it opens)."""
    if session.status != Session.Status.SCHEDULED:
        raise AttendanceNotAllowed(_("Der Termin wurde abgesagt."), field="session")
    if session.run.status == CourseRun.Status.CANCELLED:
        raise AttendanceNotAllowed(_("Der Kurs wurde abgesagt."), field="session")
    if not attendance_is_open(session, now=now):
        opens = timezone.localtime(attendance_opens_at(session))
        raise AttendanceNotAllowed(
            _(
                "Der Termin hat noch nicht begonnen; die Anwesenheit kann ab %(day)s, "
                "%(time)s Uhr erfasst werden."
            )
            % {"day": local_date(opens), "time": local_time(opens)},
            field="session",
        )


def _chamber_id(enrolment: Enrolment) -> int | None:
    business = enrolment.business
    return business.chamber_id if business is not None else None


@transaction.atomic
def record_attendance(
    *,
    session: Session,
    enrolment: Enrolment,
    status: str,
    reason: str = "",
    actor,
    method: str = Attendance.Method.MANUAL,
    minutes: int | None = None,
    now: dt.datetime | None = None,
) -> Attendance:
    """Create or change the attendance of one enrolment at one session (once it has begun, as
    of `now`)."""
    if status not in Attendance.Status.values:
        raise InvalidInput(_("Bitte anwesend, abwesend oder entschuldigt wählen."), field="status")
    if method not in Attendance.Method.values:
        raise InvalidInput(_("Unbekannte Erfassungsart."), field="method")
    if enrolment.run_id != session.run_id:
        raise AttendanceNotAllowed(
            _("Diese Anmeldung gehört nicht zu diesem Kurs."), field="enrolment"
        )
    if enrolment.status not in ATTENDING_STATUSES:
        raise AttendanceNotAllowed(
            _("Für diese Anmeldung (%(status)s) wird keine Anwesenheit erfasst.")
            % {"status": enrolment.get_status_display()},
            field="enrolment",
        )
    check_attendance_open(session, now=now)
    if minutes is not None and (minutes < 0 or minutes > session.hours * 60):
        raise InvalidInput(
            _("Die Minuten müssen zwischen 0 und der Dauer des Termins liegen."), field="minutes"
        )
    reason = (reason or "").strip()[:200]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        enrolment=enrolment,
        session=session,
        defaults={
            "status": status,
            "reason": reason,
            "method": method,
            "minutes": minutes,
            "recorded_by": actor_obj,
        },
    )
    if not created:
        attendance.status = status
        attendance.reason = reason
        attendance.method = method
        attendance.minutes = minutes
        attendance.recorded_by = actor_obj
        attendance.save()
    audit(
        actor=actor,
        action="attendance.recorded",
        obj=attendance,
        status=status,
        method=method,
        reason=reason,
    )
    record_event(
        type="attendance.recorded",
        payload={
            "id": attendance.pk,
            "session": session.pk,
            "run": session.run_id,
            "enrolment": enrolment.pk,
            "participant": enrolment.participant_id,
            "business": enrolment.business_id,
            "status": status,
            "reason": reason,
            "method": method,
            "minutes": minutes,
            "session_start": iso(session.start),
            "session_end": iso(session.end),
        },
        chamber_id=_chamber_id(enrolment),
    )
    return attendance


@transaction.atomic
def mark_all_present(*, session: Session, actor) -> int:
    """ "All present": every participant of the session without a mark yet is recorded present
    (one audit row and event each, as a single mark would write). Marks already given, such as
    an absence, stay. Returns how many were marked."""
    check_attendance_open(session)
    marked = Attendance.objects.filter(session=session).values_list("enrolment_id", flat=True)
    enrolments = (
        Enrolment.objects.filter(run_id=session.run_id, status__in=ATTENDING_STATUSES)
        .exclude(pk__in=marked)
        .select_related("business")
        .order_by("pk")
    )
    count = 0
    for enrolment in enrolments:
        record_attendance(
            session=session, enrolment=enrolment, status=Attendance.Status.PRESENT, actor=actor
        )
        count += 1
    audit(actor=actor, action="attendance.all_present", obj=session, marked=count)
    return count
