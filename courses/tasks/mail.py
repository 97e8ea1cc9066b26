"""The booking e-mails, enqueued by the booking service once its transaction commits.

The task names stay those of their first home (courses.tasks.booking), so that messages queued
before a deploy still find their task."""

import uuid

from celery import shared_task

__all__ = ["send_enrolment_email", "send_approval_request"]


@shared_task(
    bind=True,
    max_retries=5,
    default_retry_delay=60,
    name="courses.tasks.booking.send_enrolment_email",
)
def send_enrolment_email(
    self, enrolment_id: int, kind: str, message_id: str = "", session_id: int | None = None
) -> bool:
    from ..services.mail import send_enrolment_email as send

    try:
        return send(
            enrolment_id=enrolment_id,
            kind=kind,
            message_id=message_id or uuid.uuid4().hex,
            session_id=session_id,
        )
    except OSError as exc:  # SMTP down: try again later instead of losing the e-mail
        raise self.retry(exc=exc) from exc


@shared_task(
    bind=True,
    max_retries=5,
    default_retry_delay=60,
    name="courses.tasks.booking.send_approval_request",
)
def send_approval_request(self, enrolment_id: int, token: str) -> int:
    from ..services.mail import send_approval_request as send

    try:
        return send(enrolment_id=enrolment_id, token=token)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
