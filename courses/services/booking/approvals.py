"""The employer's decision on a held seat: approve, decline, or let the hold run out."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from people.models import User

from ...errors import ApprovalError
from ...models import CourseRun, Enrolment
from .cancel import cancel_locked
from .notify import record, send_on_commit
from .seats import lock_run, touch_run
from .waitlist import promote_locked


def _pending(enrolment_id: int) -> Enrolment:
    enrolment = Enrolment.objects.filter(pk=enrolment_id).only("pk", "run_id").first()
    if enrolment is None:
        raise ApprovalError(_("Dieser Freigabe-Link ist ungültig."), field="token")
    return enrolment


def _check_pending(enrolment: Enrolment, run: CourseRun, now: dt.datetime) -> None:
    if enrolment.status != Enrolment.Status.PENDING:
        raise ApprovalError(
            _("Über diese Anmeldung wurde bereits entschieden (%(status)s).")
            % {"status": enrolment.get_status_display()},
            field="token",
        )
    if enrolment.hold_expired(now) or (run.starts_at is not None and run.starts_at <= now):
        raise ApprovalError(_("Die Frist für die Freigabe ist abgelaufen."), field="token")


def _lock_decision(
    enrolment_id: int, *, actor: User, now: dt.datetime, refused: str
) -> tuple[CourseRun, Enrolment]:
    """The run and the pending enrolment, locked in that order, once the actor may decide about
    it (`refused` is the message when not) and it is still undecided. The approval link only
    finds the enrolment; the actor's permission decides."""
    found = _pending(enrolment_id)
    run = lock_run(found.run_id)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=found.pk)
    )
    if not actor.has_perm("courses.approve_enrolment", enrolment):
        raise ApprovalError(refused, field="token")
    _check_pending(enrolment, run, now)
    return run, enrolment


def approve(*, enrolment_id: int, actor: User, now: dt.datetime | None = None) -> Enrolment:
    """The employer approves: the held seat becomes a confirmed booking."""
    now = now or timezone.now()
    with transaction.atomic():
        run, enrolment = _lock_decision(
            enrolment_id,
            actor=actor,
            now=now,
            refused=_("Sie dürfen diese Anmeldung nicht freigeben."),
        )
        enrolment.status = Enrolment.Status.CONFIRMED
        enrolment.confirmed_at = now
        enrolment.hold_until = None
        enrolment.save(update_fields=["status", "confirmed_at", "hold_until", "updated_at"])
        touch_run(run)
        audit(actor=actor, action="enrolment.approved", obj=enrolment)
        record("enrolment.confirmed", enrolment)
        send_on_commit(enrolment, "confirmation")
        return enrolment


def decline(
    *, enrolment_id: int, actor: User, reason: str = "", now: dt.datetime | None = None
) -> Enrolment:
    """The employer declines: the enrolment is cancelled and the seat goes to the first waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        run, enrolment = _lock_decision(
            enrolment_id,
            actor=actor,
            now=now,
            refused=_("Sie dürfen diese Anmeldung nicht ablehnen."),
        )
        cancel_locked(
            enrolment, actor=actor, reason=reason or _("Vom Arbeitgeber abgelehnt"), now=now
        )
        promote_locked(run, now=now, actor=actor)
        touch_run(run)
        return enrolment


def release_expired_holds(*, now: dt.datetime | None = None) -> int:
    """Holds whose approval did not come in time are released and the next waiting promoted.
    A hold never outlives the run's start (also one made before holds were capped at it).
    Idempotent: an already released hold is no longer pending. One transaction per run."""
    now = now or timezone.now()
    expired_q = Q(hold_until__lt=now) | Q(run__starts_at__lte=now)
    run_ids = set(
        Enrolment.objects.filter(expired_q, status=Enrolment.Status.PENDING).values_list(
            "run_id", flat=True
        )
    )
    released = 0
    for run_id in sorted(run_ids):
        with transaction.atomic():
            run = lock_run(run_id)
            expired = list(
                Enrolment.objects.select_for_update(of=("self",))
                .filter(expired_q, run=run, status=Enrolment.Status.PENDING)
                .select_related("business")
            )
            for enrolment in expired:
                cancel_locked(
                    enrolment, actor=None, reason=_("Freigabe nicht rechtzeitig erteilt"), now=now
                )
            released += len(expired)
            promote_locked(run, now=now)
            if expired:
                touch_run(run)
    return released
