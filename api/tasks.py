"""Celery tasks: thin, idempotent wrappers over api.webhooks."""

from celery import shared_task

from . import webhooks


@shared_task(name="api.tasks.deliver", ignore_result=True)
def deliver(delivery_id: int) -> None:
    webhooks.attempt(delivery_id)


@shared_task(name="api.tasks.deliver_due", ignore_result=True)
def deliver_due() -> int:
    """Beat, every minute: deliveries for events whose receiver never ran, retries that are due,
    and anything a dead worker left behind."""
    webhooks.schedule_missing()
    ids = webhooks.due_delivery_ids()
    for pk in ids:
        webhooks.attempt(pk)
    return len(ids)
