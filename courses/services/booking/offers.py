"""Offers from the waiting list (after the cancellation deadline, see `waitlist`): the person
accepts or declines on their page, or the offer runs out and passes to the next waiting.

Lock order as everywhere: the run, then the enrolment."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from people.models import User

from ...errors import OfferError
from ...models import CourseRun, Enrolment
from .cancel import cancel_locked
from .holds import grant_seat
from .notify import record, send_approval_request_on_commit, send_on_commit
from .seats import lock_run, touch_run
from .waitlist import promote_locked


def _lock_offer(
    enrolment: Enrolment, *, actor: User, now: dt.datetime
) -> tuple[CourseRun, Enrolment]:
    run = lock_run(enrolment.run_id)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("business", "booked_by")
        .get(pk=enrolment.pk)
    )
    enrolment.run = run
    if not actor.has_perm("courses.answer_offer", enrolment):
        raise OfferError(_("Dieses Angebot gilt nicht für Sie."), field="enrolment")
    if enrolment.status != Enrolment.Status.OFFERED:
        raise OfferError(
            _("Für diese Anmeldung liegt kein offenes Angebot vor (%(status)s).")
            % {"status": enrolment.get_status_display()},
            field="enrolment",
        )
    if enrolment.hold_expired(now):
        raise OfferError(_("Die Frist für dieses Angebot ist abgelaufen."), field="enrolment")
    return run, enrolment


def accept_offer(*, enrolment: Enrolment, actor: User, now: dt.datetime | None = None) -> Enrolment:
    """The person takes the offered seat: confirmed, or held for the employer's approval when
    the run asks for it (the hold never outlives the start)."""
    now = now or timezone.now()
    with transaction.atomic():
        run, enrolment = _lock_offer(enrolment, actor=actor, now=now)
        grant_seat(enrolment, run=run, now=now)
        audit(
            actor=actor, action="enrolment.offer_accepted", obj=enrolment, status=enrolment.status
        )
        if enrolment.status == Enrolment.Status.CONFIRMED:
            record("enrolment.confirmed", enrolment)
            send_on_commit(enrolment, "confirmation")
        else:
            send_on_commit(enrolment, "pending")
            send_approval_request_on_commit(enrolment)
        touch_run(run)
        return enrolment


def decline_offer(
    *, enrolment: Enrolment, actor: User, now: dt.datetime | None = None
) -> Enrolment:
    """The person does not want the seat: they leave the waiting list and the seat is offered to
    the next."""
    now = now or timezone.now()
    with transaction.atomic():
        run, enrolment = _lock_offer(enrolment, actor=actor, now=now)
        cancel_locked(enrolment, actor=actor, reason=_("Angebot abgelehnt"), now=now, notify=False)
        promote_locked(run, now=now, actor=actor)
        touch_run(run)
        return enrolment


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """Offers not answered in time lapse and pass to the next waiting (none once the run has
    started): the person whose offer lapsed is told, the next gets the offer e-mail, both
    through the outbox in the run's transaction. Idempotent; one transaction per run. Returns
    the number of offers that lapsed."""
    now = now or timezone.now()
    run_ids = set(
        Enrolment.objects.filter(status=Enrolment.Status.OFFERED, hold_until__lt=now).values_list(
            "run_id", flat=True
        )
    )
    lapsed = 0
    for run_id in sorted(run_ids):
        with transaction.atomic():
            run = lock_run(run_id)
            expired = list(
                Enrolment.objects.select_for_update(of=("self",))
                .filter(run=run, status=Enrolment.Status.OFFERED, hold_until__lt=now)
                .select_related("business")
            )
            for enrolment in expired:
                cancel_locked(
                    enrolment,
                    actor=None,
                    reason=_("Angebot nicht rechtzeitig angenommen"),
                    now=now,
                    notify=False,
                )
                send_on_commit(enrolment, "offer_expired")
            lapsed += len(expired)
            promote_locked(run, now=now)
            if expired:
                touch_run(run)
    return lapsed
