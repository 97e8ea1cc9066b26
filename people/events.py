"""Record domain events in the caller's transaction; announce them only after commit.

`event_committed` is the extension point: the `api` app listens and schedules webhook deliveries.
A rolled-back change leaves no event and announces nothing."""

from django.db import transaction
from django.dispatch import Signal

from .models import DomainEvent

event_committed = Signal()  # sender=DomainEvent, event=<DomainEvent>


def record_event(*, type: str, payload: dict, chamber_id: int | None = None) -> DomainEvent:
    event = DomainEvent.objects.create(type=type, payload=payload, chamber_id=chamber_id)
    transaction.on_commit(lambda: event_committed.send(sender=DomainEvent, event=event))
    return event
