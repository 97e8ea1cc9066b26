"""The waiting list: free seats go to the first waiting, in order (lowest sequence first).

Deadlines decide how: until the run's cancellation deadline the first waiting moves up at once;
after it (when a seat is freed, nobody can be expected to take it unasked) the seat is offered
and held for their answer (`offers`); once the first session has started nobody moves up."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.formatting import iso
from people.models import User

from ...models import CourseRun, Enrolment
from ...selectors import with_seats
from .holds import grant_seat, offer_fields
from .notify import record, send_approval_request_on_commit, send_on_commit
from .seats import lock_run, seat_state, touch_run


def promote_locked(
    run: CourseRun, *, now: dt.datetime, actor: User | None = None
) -> list[Enrolment]:
    """Fill free seats from the waiting list in order (lowest sequence first): promoted before
    the cancellation deadline, offered after it, nothing once the run has started.
    The caller holds the run lock."""
    if run.status != CourseRun.Status.PUBLISHED:
        return []
    if run.starts_at is not None and now >= run.starts_at:
        return []
    free = seat_state(run).free
    if free <= 0:
        return []
    waiting = list(
        Enrolment.objects.filter(run=run, status=Enrolment.Status.WAITLISTED)
        .select_related("business", "participant")
        .order_by("waitlist_seq")[:free]
    )
    if now > run.cancellation_deadline:
        return [_offer(enrolment, run=run, now=now, actor=actor) for enrolment in waiting]
    return [promote_one_locked(enrolment, run=run, now=now, actor=actor) for enrolment in waiting]


def promote_one_locked(
    enrolment: Enrolment, *, run: CourseRun, now: dt.datetime, actor: User | None
) -> Enrolment:
    """Give one waiting person a seat: confirmed, or held for the employer's approval when the run
    asks for it. The caller holds the run lock and has checked that a seat is free."""
    grant_seat(enrolment, run=run, now=now)
    audit(actor=actor, action="enrolment.promoted", obj=enrolment, status=enrolment.status)
    if enrolment.status == Enrolment.Status.CONFIRMED:
        record("enrolment.confirmed", enrolment)
        send_on_commit(enrolment, "promotion")
    else:
        send_on_commit(enrolment, "pending")
        send_approval_request_on_commit(enrolment)
    return enrolment


def _offer(enrolment: Enrolment, *, run: CourseRun, now: dt.datetime, actor: User | None):
    """Hold the seat for the person's answer and tell them (accept or decline on /my/)."""
    for name, value in offer_fields(now, run).items():
        setattr(enrolment, name, value)
    enrolment.save(update_fields=["status", "hold_until", "updated_at"])
    audit(actor=actor, action="enrolment.offered", obj=enrolment, until=iso(enrolment.hold_until))
    send_on_commit(enrolment, "offer")
    return enrolment


def promote_waiting(
    *, run: CourseRun | int, actor: User | None = None, now: dt.datetime | None = None
) -> list[Enrolment]:
    """Seats freed up (more capacity, repaired equipment): move the first waiting up, at once."""
    with transaction.atomic():
        locked = lock_run(run)
        promoted = promote_locked(locked, now=now or timezone.now(), actor=actor)
        if promoted:
            touch_run(locked)
        return promoted


def promote_all_waiting(
    *, workshop_id: int | None = None, run_id: int | None = None, now: dt.datetime | None = None
) -> int:
    """Safety net and hook for changes outside this module (capacity raised, equipment repaired):
    promote on every published run with a waiting list and free seats."""
    now = now or timezone.now()
    qs = CourseRun.objects.filter(
        status=CourseRun.Status.PUBLISHED, enrolments__status=Enrolment.Status.WAITLISTED
    )
    if workshop_id is not None:
        qs = qs.filter(workshop_id=workshop_id)
    if run_id is not None:
        qs = qs.filter(pk=run_id)
    candidates = with_seats(CourseRun.objects.filter(pk__in=qs.values("pk"))).filter(
        seats_left__gt=0
    )
    count = 0
    for pk in candidates.values_list("pk", flat=True):
        count += len(promote_waiting(run=pk, now=now))
    return count
