"""Attendance: the instructor marks each participant, or the participant checks in by QR code.

Every mark is one audit row and one "attendance.recorded" event (for the chamber's webhooks),
written in the same transaction as the Attendance row."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.events import record_event
from core.formatting import iso, local_date, local_time

from ..errors import AttendanceNotAllowed, CheckInClosed
from ..models import Attendance, CourseRun, Enrolment, Session

# Participants may check in from shortly before the start until the session ends.
CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=30)
# Statuses whose holders take part and so have attendance recorded.
ATTENDING_STATUSES = Enrolment.Status.SEATED


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
) -> Attendance:
    """Create or change the attendance of one enrolment at one session."""
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
    if session.status != Session.Status.SCHEDULED:
        raise AttendanceNotAllowed(_("Der Termin wurde abgesagt."), field="session")
    if session.run.status == CourseRun.Status.CANCELLED:
        raise AttendanceNotAllowed(_("Der Kurs wurde abgesagt."), field="session")
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


def checkin_window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    return session.start - CHECKIN_OPENS_BEFORE, session.end


def ensure_checkin_token(*, session: Session) -> str:
    """The token of the session's check-in QR code, made on first use (sessions planned before
    self check-in existed have none). Two coordinators opening the code at once get the same."""
    if not session.checkin_token:
        Session.objects.filter(pk=session.pk, checkin_token="").update(
            checkin_token=secrets.token_urlsafe(24), updated_at=timezone.now()
        )
        session.checkin_token = Session.objects.values_list("checkin_token", flat=True).get(
            pk=session.pk
        )
    return session.checkin_token


def self_check_in(*, token: str, user, now: dt.datetime | None = None) -> Attendance:
    """The participant scanned the session's QR code while logged in: mark them present if they
    hold an active enrolment and the session's window is open; otherwise say why not."""
    now = now or timezone.now()
    session = (
        Session.objects.select_related("run__course", "workshop")
        .filter(checkin_token=token)
        .exclude(checkin_token="")
        .first()
    )
    if session is None:
        raise CheckInClosed(_("Dieser Check-in-Code ist ungültig."), field="token")
    if session.status != Session.Status.SCHEDULED:
        raise CheckInClosed(_("Dieser Termin wurde abgesagt."), field="token")
    opens, closes = checkin_window(session)
    local_opens = timezone.localtime(opens)
    if now < opens:
        raise CheckInClosed(
            _("Der Check-in öffnet erst am %(day)s um %(time)s Uhr (30 Minuten vor Beginn).")
            % {"day": local_date(local_opens), "time": local_time(local_opens)},
            field="token",
        )
    if now > closes:
        raise CheckInClosed(
            _("Der Termin ist vorbei; ein Check-in ist nicht mehr möglich."), field="token"
        )
    enrolment = (
        Enrolment.objects.select_related("business")
        .filter(run_id=session.run_id, participant=user, status=Enrolment.Status.CONFIRMED)
        .first()
    )
    if enrolment is None:
        raise CheckInClosed(
            _("Sie haben keine bestätigte Anmeldung für diesen Kurs."), field="token"
        )
    return record_attendance(
        session=session,
        enrolment=enrolment,
        status=Attendance.Status.PRESENT,
        actor=user,
        method=Attendance.Method.SELF_CHECKIN,
    )
