"""Celery tasks of the kernel: thin; each imports its service inside the function (services
import the tasks they enqueue at module level)."""

from celery import shared_task


@shared_task(name="core.tasks.send_outbox_email", ignore_result=True)
def send_outbox_email(email_id: int) -> bool:
    """One e-mail: what hand-offs sent before they were gathered into batches; kept so that such
    messages still queued when a new release starts are delivered."""
    from .services.outbox import deliver_email

    return deliver_email(email_id=email_id)


@shared_task(name="core.tasks.send_outbox_emails", ignore_result=True)
def send_outbox_emails(email_ids: list[int]) -> int:
    """A batch of committed e-mails (core.handoff.Gathered); returns how many went out."""
    from .services.outbox import deliver_email

    return sum(deliver_email(email_id=email_id) for email_id in email_ids)


@shared_task(name="core.tasks.send_due_emails", ignore_result=True)
def send_due_emails() -> int:
    """Beat, every minute: e-mails whose hand-off never happened and retries that are due."""
    from .services.outbox import deliver_due_emails

    return deliver_due_emails()


@shared_task(name="core.tasks.purge_email_bodies", ignore_result=True)
def purge_email_bodies() -> int:
    """Beat, daily: bodies of delivered, failed and withdrawn e-mails past their retention."""
    from .services.outbox import purge_email_bodies as purge

    return purge()


@shared_task(name="core.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat, every 30 s: proves that beat, the broker and a worker all work (see /readyz)."""
    from .services.heartbeat import record_heartbeat

    record_heartbeat()
