"""Record domain events in the caller's transaction; announce them only after commit.

`event_committed` is the extension point: the `api` app listens and schedules webhook deliveries.
A rolled-back change leaves no event and announces nothing.

A listener that serves some chambers only registers an audience check (`register_audience`): an
event of a chamber no check claims is recorded but not announced, so the request that recorded
it runs no listener's query for nobody. The listener's sweep, which looks for events never
dispatched, settles it (a check that answered from a stale cache delays an event, never loses
it)."""

import logging
from collections.abc import Callable

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import DomainEvent

logger = logging.getLogger(__name__)


class EventType:
    """Every event the outbox carries; chambers subscribe to these names."""

    ENROLMENT_CREATED = "enrolment.created"
    ENROLMENT_CONFIRMED = "enrolment.confirmed"
    ENROLMENT_CANCELLED = "enrolment.cancelled"
    ENROLMENT_COMPLETED = "enrolment.completed"
    ATTENDANCE_RECORDED = "attendance.recorded"
    CERTIFICATE_ISSUED = "certificate.issued"
    CERTIFICATE_REVOKED = "certificate.revoked"
    RUN_CANCELLED = "run.cancelled"

    ALL = (
        ENROLMENT_CREATED,
        ENROLMENT_CONFIRMED,
        ENROLMENT_CANCELLED,
        ENROLMENT_COMPLETED,
        ATTENDANCE_RECORDED,
        CERTIFICATE_ISSUED,
        CERTIFICATE_REVOKED,
        RUN_CANCELLED,
    )


event_committed = Signal()  # sender=DomainEvent, event=<DomainEvent>

_audiences: list[Callable[[int], bool]] = []


def register_audience(check: Callable[[int], bool]) -> None:
    """`check(chamber_id)`: whether anything may want that chamber's events now. Cheap (it runs
    in the request, once per change); a false yes costs a query after the commit, a false no
    only delays the event until the listener's sweep."""
    if check not in _audiences:
        _audiences.append(check)


def _heard(chamber_id: int | None) -> bool:
    if chamber_id is None or not _audiences:
        return True  # receivers ignore it at no cost, or nobody registered a narrower audience
    return any(check(chamber_id) for check in _audiences)


def record_event(
    *, type: str, payload: dict, chamber_id: int | None = None, into=None
) -> DomainEvent:
    return record_events([(type, payload)], chamber_id=chamber_id, into=into)[0]


def record_events(
    events: list[tuple[str, dict]], *, chamber_id: int | None = None, into=None
) -> list:
    """Several events of one change in one INSERT (a booking that confirms at once is created
    and confirmed), announced in order after the commit when anyone may hear them. With `into`
    (a core.roundtrip.RoundTrip) they are written when that is run, with the statements around
    them."""
    for type_, _payload in events:
        if type_ not in EventType.ALL:
            raise ValueError(f"unknown event type {type_!r}")
    # Webhooks belong to a chamber: an event without one reaches nobody, so it is dispatched as
    # it is recorded (no transaction after the commit only to say so).
    dispatched_at = timezone.now() if chamber_id is None else None
    rows = [
        DomainEvent(type=t, payload=p, chamber_id=chamber_id, dispatched_at=dispatched_at)
        for t, p in events
    ]
    if into is None:
        DomainEvent.objects.bulk_create(rows)
    else:
        for row in rows:
            into.insert(row)
    if _heard(chamber_id):
        transaction.on_commit(lambda: _announce(rows))
    return rows


def _announce(events: list[DomainEvent]) -> None:
    # After the commit a receiver's error must not reach the request; its sweep (the webhook
    # recovery in `api`) covers what it missed.
    for event in events:
        for receiver, result in event_committed.send_robust(sender=DomainEvent, event=event):
            if isinstance(result, Exception):
                logger.error(
                    "receiver %r of event %s failed",
                    receiver,
                    event.pk,
                    exc_info=(type(result), result, result.__traceback__),
                )
