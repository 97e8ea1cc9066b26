"""Completion: once the last session has passed and the attendance of every held session is
recorded, each confirmed enrolment becomes completed (attended hours at or above the course's
threshold), not completed, or no-show (never present). While attendance is missing the run stays
open: the coordinator is reminded (once a day) and may close it explicitly, seeing what is
missing. The coordinator reviews and corrects before certificates go out."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.events import record_event
from core.formatting import local_datetime
from core.services.outbox import enqueue_email
from people.selectors import coordinator_emails

from ..emails import attendance_missing_email
from ..errors import CompletionNotAllowed
from ..hours import present_minutes, session_minutes
from ..models import Attendance, CourseRun, Enrolment, Session
from ..signals import outcome_change_requested

FINAL_STATUSES = Enrolment.Status.OUTCOMES


def attendance_minutes(run: CourseRun) -> tuple[int, dict[int, tuple[int, bool]]]:
    """(minutes of all scheduled sessions, {enrolment_id: (minutes present, ever present)}).
    Two queries, however many participants. `minutes` empty on a present row means the whole
    session; excused absence counts as absence (the certificate says who was there)."""
    sessions = {
        s.pk: s
        for s in Session.objects.filter(run=run, status=Session.Status.SCHEDULED).only(
            "start", "end"
        )
    }
    total = sum(session_minutes(s) for s in sessions.values())
    present: dict[int, list] = defaultdict(lambda: [0, False])
    rows = Attendance.objects.filter(
        session_id__in=list(sessions), status=Attendance.Status.PRESENT
    ).values_list("enrolment_id", "session_id", "status", "minutes")
    for enrolment_id, session_id, status, minutes in rows:
        present[enrolment_id][0] += present_minutes(
            session=sessions[session_id], status=status, minutes=minutes
        )
        present[enrolment_id][1] = True
    return total, {k: (v[0], v[1]) for k, v in present.items()}


def outcome(*, attended: int, total: int, ever_present: bool, threshold: int) -> str:
    if not ever_present:
        return Enrolment.Status.NO_SHOW
    if total > 0 and Decimal(attended) * 100 >= Decimal(total) * threshold:
        return Enrolment.Status.COMPLETED
    return Enrolment.Status.NOT_COMPLETED


@dataclass(frozen=True)
class MissingAttendance:
    session: Session
    names: list[str]  # the seated participants without an attendance entry for it


def missing_attendance(
    run: CourseRun, *, now: dt.datetime | None = None
) -> list[MissingAttendance]:
    """Per held session (scheduled and over), the confirmed participants for whom nobody has
    recorded present, absent or excused. Empty: the attendance is complete. Three queries."""
    now = now or timezone.now()
    sessions = list(
        Session.objects.filter(run=run, status=Session.Status.SCHEDULED, end__lte=now).order_by(
            "start"
        )
    )
    seated = dict(
        Enrolment.objects.filter(run=run, status=Enrolment.Status.CONFIRMED)
        .order_by("participant_name", "id")
        .values_list("pk", "participant_name")
    )
    recorded = set(
        Attendance.objects.filter(session__in=sessions, enrolment_id__in=list(seated)).values_list(
            "session_id", "enrolment_id"
        )
    )
    missing = []
    for session in sessions:
        names = [name or "–" for pk, name in seated.items() if (session.pk, pk) not in recorded]
        if names:
            missing.append(MissingAttendance(session=session, names=names))
    return missing


def describe_missing(missing: list[MissingAttendance]) -> str:
    return ", ".join(
        _("%(when)s (%(count)s ohne Eintrag)")
        % {"when": local_datetime(m.session.start), "count": len(m.names)}
        for m in missing
    )


def last_session_end(run: CourseRun) -> dt.datetime | None:
    return (
        run.sessions.filter(status=Session.Status.SCHEDULED).aggregate(m=Max("end"))["m"]
        or run.ends_at
    )


def _record(enrolment: Enrolment) -> None:
    chamber_id = enrolment.business.chamber_id if enrolment.business else None
    record_event(
        type="enrolment.completed",
        payload={
            "id": enrolment.pk,
            "run": enrolment.run_id,
            "participant": enrolment.participant_id,
            "business": enrolment.business_id,
            "status": enrolment.status,
        },
        chamber_id=chamber_id,
    )


def complete_run(
    *, run: CourseRun, actor=None, now: dt.datetime | None = None, close_missing: bool = False
) -> CourseRun:
    """Idempotent: a run already completed is returned unchanged (corrections are kept).
    Refused while attendance of a held session is missing, unless the coordinator closes it
    explicitly (`close_missing`: whoever has no entry counts as absent there)."""
    now = now or timezone.now()
    with transaction.atomic():
        run = (
            CourseRun.objects.select_for_update(of=("self",))
            .select_related("course")
            .get(pk=run.pk)
        )
        if run.status == CourseRun.Status.COMPLETED:
            return run
        if run.status != CourseRun.Status.PUBLISHED:
            raise CompletionNotAllowed(_("Nur veröffentlichte Kurse können abgeschlossen werden."))
        end = last_session_end(run)
        if end is None or end > now:
            raise CompletionNotAllowed(_("Der letzte Termin dieses Kurses ist noch nicht vorbei."))
        missing = missing_attendance(run, now=now)
        if missing and not close_missing:
            raise CompletionNotAllowed(
                _("Für diese Termine fehlt die Anwesenheit: %(sessions)s.")
                % {"sessions": describe_missing(missing)}
            )
        total, present = attendance_minutes(run)
        threshold = run.course.attendance_threshold
        counts: dict[str, int] = defaultdict(int)
        enrolments = (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(run=run)
            .select_related("business")
        )
        for enrolment in enrolments:
            if enrolment.status == Enrolment.Status.CONFIRMED:
                attended, ever = present.get(enrolment.pk, (0, False))
                enrolment.status = outcome(
                    attended=attended, total=total, ever_present=ever, threshold=threshold
                )
                enrolment.completed_at = now
                enrolment.save(update_fields=["status", "completed_at", "updated_at"])
                audit(
                    actor=actor,
                    action="enrolment.completed",
                    obj=enrolment,
                    status=enrolment.status,
                )
                _record(enrolment)
                counts[enrolment.status] += 1
            elif enrolment.status in Enrolment.Status.ACTIVE:  # pending or waiting
                # Nobody moves up any more: the course is over. Quietly closed, no e-mail.
                enrolment.status = Enrolment.Status.CANCELLED
                enrolment.cancelled_at = now
                enrolment.cancel_reason = "Kurs beendet"
                enrolment.hold_until = None
                enrolment.save(
                    update_fields=[
                        "status",
                        "cancelled_at",
                        "cancel_reason",
                        "hold_until",
                        "updated_at",
                    ]
                )
                counts["closed"] += 1
        run.status = CourseRun.Status.COMPLETED
        run.save(update_fields=["status", "updated_at"])
        audit(
            actor=actor,
            action="run.completed",
            obj=run,
            missing_attendance=sum(len(m.names) for m in missing),
            **counts,
        )
        return run


def set_completion_status(
    *, enrolment: Enrolment, status: str, actor, reason: str = ""
) -> Enrolment:
    """The coordinator corrects an outcome after review (before certificates go out)."""
    if status not in FINAL_STATUSES:
        raise CompletionNotAllowed(_("Ungültiger Status."), field="status")
    with transaction.atomic():
        CourseRun.objects.select_for_update().filter(pk=enrolment.run_id).values_list("pk").get()
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("run", "business")
            .get(pk=enrolment.pk)
        )
        if (
            enrolment.run.status != CourseRun.Status.COMPLETED
            or enrolment.status not in FINAL_STATUSES
        ):
            raise CompletionNotAllowed(
                _("Nur Anmeldungen abgeschlossener Kurse können korrigiert werden."), field="status"
            )
        if enrolment.status == status:
            return enrolment
        # Apps above courses may veto (certificates: not while a valid certificate exists).
        outcome_change_requested.send(sender=Enrolment, enrolment=enrolment, status=status)
        previous = enrolment.status
        enrolment.status = status
        enrolment.completed_at = enrolment.completed_at or timezone.now()
        enrolment.save(update_fields=["status", "completed_at", "updated_at"])
        audit(
            actor=actor,
            action="enrolment.completion_corrected",
            obj=enrolment,
            previous=previous,
            status=status,
            reason=reason,
        )
        _record(enrolment)
        return enrolment


def complete_due_runs(*, now: dt.datetime | None = None) -> int:
    """Periodic: complete every published run whose last session has ended and whose attendance
    is complete; for the others remind the coordinators (at most once a day per run)."""
    now = now or timezone.now()
    due = (
        CourseRun.objects.filter(status=CourseRun.Status.PUBLISHED)
        .annotate(
            last_end=Max("sessions__end", filter=Q(sessions__status=Session.Status.SCHEDULED))
        )
        .filter(Q(last_end__lte=now) | Q(last_end__isnull=True, ends_at__lte=now))
        .values_list("pk", flat=True)
    )
    done = 0
    for run_id in list(due):
        run = CourseRun.objects.select_related("course").get(pk=run_id)
        missing = missing_attendance(run, now=now)
        if missing:
            _remind(run, missing, now=now)
            continue
        try:
            complete_run(run=run, now=now)
            done += 1
        except CompletionNotAllowed:
            continue
    return done


def _remind(run: CourseRun, missing: list[MissingAttendance], *, now: dt.datetime) -> None:
    """E-mail the coordinators (and the run's instructor) that attendance is missing. Claimed
    per local day with a conditional update, so a second task run or beat sends nothing."""
    today = timezone.localdate(now)
    with transaction.atomic():
        claimed = (
            CourseRun.objects.filter(pk=run.pk)
            .filter(Q(attendance_reminded_on__isnull=True) | Q(attendance_reminded_on__lt=today))
            .update(attendance_reminded_on=today)
        )
        if not claimed:
            return
        recipients = coordinator_emails(run.school_id)
        if run.instructor_id and run.instructor.email not in recipients:
            recipients.append(run.instructor.email)
        if recipients:
            message = attendance_missing_email(run, recipients, missing)
            enqueue_email(message)
