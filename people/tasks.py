"""E-mails of the people services, sent once the service's transaction has committed."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60, name="people.tasks.send_email")
def send_email(self, subject: str, body: str, to: list[str]) -> int:
    from django.core.mail import EmailMessage

    try:
        return EmailMessage(subject=subject, body=body, to=to).send()
    except OSError as exc:  # SMTP down: try again later instead of losing the e-mail
        raise self.retry(exc=exc) from exc
