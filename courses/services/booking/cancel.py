"""Cancelling: one enrolment (deadline rules in `can_cancel`) or a whole run. A freed seat goes
to the first on the waiting list in the same transaction."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.events import record_event
from core.formatting import local_datetime
from people.models import User

from ...errors import CancellationNotAllowed
from ...models import CourseRun, Enrolment, Session
from .notify import chamber_id, record, send_on_commit
from .seats import lock_run, touch_run
from .waitlist import promote_locked


def can_cancel(*, enrolment: Enrolment, actor: User | None, now: dt.datetime | None = None) -> bool:
    """Participant and business until the run's cancellation deadline; after it only the
    coordinator. Leaving the waiting list is always possible: it takes nobody's seat; so is
    turning down an offered seat (it passes to the next)."""
    now = now or timezone.now()
    if enrolment.status not in Enrolment.Status.ACTIVE:
        return False
    if actor is None:  # the system itself (expired holds, account deletion)
        return True
    if not actor.has_perm("courses.cancel_enrolment", enrolment):
        return False
    if (
        enrolment.status in (Enrolment.Status.WAITLISTED, Enrolment.Status.OFFERED)
        or now <= enrolment.run.cancellation_deadline
    ):
        return True
    return actor.has_perm("courses.cancel_after_deadline", enrolment.run)


def cancel_locked(
    enrolment: Enrolment, *, actor: User | None, reason: str, now: dt.datetime, notify: bool = True
) -> Enrolment:
    """Cancel under the caller's run lock (no promotion: the caller decides)."""
    previous = enrolment.status
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.cancelled_at = now
    enrolment.cancel_reason = reason[:200]
    enrolment.hold_until = None
    enrolment.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "hold_until", "updated_at"]
    )
    audit(
        actor=actor, action="enrolment.cancelled", obj=enrolment, previous=previous, reason=reason
    )
    record("enrolment.cancelled", enrolment)
    if notify:
        send_on_commit(enrolment, "cancellation")
    return enrolment


def cancel(
    *, enrolment: Enrolment, actor: User | None, reason: str = "", now: dt.datetime | None = None
) -> Enrolment:
    """Cancel an enrolment (deadline rules in `can_cancel`); a freed seat goes to the first
    on the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        run = lock_run(enrolment.run_id)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("business")
            .get(pk=enrolment.pk)
        )
        enrolment.run = run
        if enrolment.status not in Enrolment.Status.ACTIVE:
            raise CancellationNotAllowed(
                _("Diese Anmeldung ist nicht mehr aktiv (%(status)s).")
                % {"status": enrolment.get_status_display()},
                field="enrolment",
            )
        if not can_cancel(enrolment=enrolment, actor=actor, now=now):
            raise CancellationNotAllowed(
                _(
                    "Die Stornierungsfrist ist am %(date)s abgelaufen. Bitte wenden Sie sich "
                    "an die Koordination der Schule."
                )
                % {"date": local_datetime(run.cancellation_deadline)},
                field="enrolment",
            )
        freed_seat = enrolment.status in Enrolment.Status.SEAT_HOLDING
        cancel_locked(enrolment, actor=actor, reason=reason, now=now)
        if freed_seat:
            promote_locked(run, now=now, actor=actor)
        touch_run(run)
        return enrolment


def cancel_run(
    *, run: CourseRun, actor: User | None, reason: str, now: dt.datetime | None = None
) -> CourseRun:
    """A coordinator calls off a whole run: every active enrolment is cancelled and told, the
    sessions are cancelled (their iCal SEQUENCE bumped), and each chamber involved hears of it."""
    now = now or timezone.now()
    with transaction.atomic():
        run = lock_run(run)
        if run.status in CourseRun.Status.ENDED:
            raise CancellationNotAllowed(_("Dieser Kurs ist bereits abgeschlossen oder abgesagt."))
        run.status = CourseRun.Status.CANCELLED
        run.cancelled_at = now
        run.cancel_reason = reason
        run.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        for session in run.sessions.filter(status=Session.Status.SCHEDULED):
            session.status = Session.Status.CANCELLED
            session.sequence += 1
            session.save(update_fields=["status", "sequence", "updated_at"])
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(run=run, status__in=Enrolment.Status.ACTIVE)
            .select_related("business")
        )
        chambers = set()
        for enrolment in enrolments:
            cancel_locked(enrolment, actor=actor, reason=reason or _("Kurs abgesagt"), now=now)
            chambers.add(chamber_id(enrolment))
        audit(
            actor=actor, action="run.cancelled", obj=run, reason=reason, enrolments=len(enrolments)
        )
        payload = {"id": run.pk, "course": run.course_id, "status": run.status, "reason": reason}
        for chamber in sorted(chambers, key=lambda c: (c is None, c)) or [None]:
            record_event(type="run.cancelled", payload=payload, chamber_id=chamber)
        return run
