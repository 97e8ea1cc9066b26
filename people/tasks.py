"""Tasks of people. The services write their e-mails into the outbox (core.services.outbox)."""

from celery import shared_task


@shared_task(name="people.tasks.send_email", ignore_result=True)
def send_email(subject: str, body: str, to: list[str]) -> int:
    """Only for messages queued before the outbox: they go into it and out from there."""
    from django.core.mail import EmailMessage

    from core.services.outbox import enqueue_email

    enqueue_email(EmailMessage(subject=subject, body=body, to=to))
    return 1
