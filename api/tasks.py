"""Celery tasks: thin and idempotent; they import their service inside the function (services
import the tasks they enqueue at module level)."""

from celery import shared_task


@shared_task(name="api.tasks.deliver", ignore_result=True)
def deliver(delivery_id: int) -> None:
    from .services.deliveries import attempt_delivery

    attempt_delivery(delivery_id=delivery_id)


@shared_task(name="api.tasks.deliver_due", ignore_result=True)
def deliver_due() -> int:
    """Beat, every minute: deliveries for events whose receiver never ran, retries that are due,
    and anything a dead worker left behind."""
    from .services.deliveries import deliver_due as deliver_due_deliveries

    return deliver_due_deliveries()


@shared_task(name="api.tasks.purge_idempotency_records", ignore_result=True)
def purge_idempotency_records() -> int:
    """Beat, hourly: idempotency records older than 24 hours go (they hold personal data)."""
    from .services.idempotency import purge_expired_idempotency_records

    return purge_expired_idempotency_records()
