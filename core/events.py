"""Record domain events in the caller's transaction; announce them only after commit.

`event_committed` is the extension point: the `api` app listens and schedules webhook deliveries.
A rolled-back change leaves no event and announces nothing."""

from django.db import transaction
from django.dispatch import Signal

from .models import DomainEvent


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


def record_event(*, type: str, payload: dict, chamber_id: int | None = None) -> DomainEvent:
    if type not in EventType.ALL:
        raise ValueError(f"unknown event type {type!r}")
    event = DomainEvent.objects.create(type=type, payload=payload, chamber_id=chamber_id)
    transaction.on_commit(lambda: event_committed.send(sender=DomainEvent, event=event))
    return event
