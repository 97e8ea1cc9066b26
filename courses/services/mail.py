"""Sending the booking e-mails the booking service enqueues (courses.tasks.mail runs these).

Safe to run twice: each message carries an id and is remembered once sent, so a redelivered task
sends nothing. SMTP errors (OSError) reach the task, which retries later."""

from collections.abc import Callable

from django.core.cache import cache

from ..emails import approval_request_emails, enrolment_email
from ..models import Enrolment

SENT_TTL = 60 * 60 * 24 * 14


def _once(message_id: str, send: Callable[[], object]) -> bool:
    key = f"courses:mail-sent:{message_id}"
    if cache.get(key):
        return False
    send()
    cache.set(key, 1, SENT_TTL)
    return True


def _enrolments():
    return Enrolment.objects.select_related("run__course", "run__school", "participant", "business")


def send_enrolment_email(
    *, enrolment_id: int, kind: str, message_id: str, session_id: int | None = None
) -> bool:
    """Tell the participant about their enrolment (`kind` names the e-mail, see emails.KINDS;
    `session_id` the session a change is about). False when there is nothing to send or it was
    sent already."""
    enrolment = _enrolments().filter(pk=enrolment_id).first()
    if enrolment is None:
        return False
    message = enrolment_email(enrolment, kind, session_id=session_id)
    if message is None:
        return False
    return _once(message_id, message.send)


def send_approval_request(*, enrolment_id: int, token: str) -> int:
    """Ask the employer's contacts to approve a held seat; nothing when the enrolment was decided
    or released meanwhile (the token no longer matches a pending enrolment)."""
    enrolment = (
        _enrolments()
        .filter(pk=enrolment_id, status=Enrolment.Status.PENDING, approval_token=token)
        .first()
    )
    if enrolment is None:
        return 0
    sent = 0
    for index, message in enumerate(approval_request_emails(enrolment)):
        sent += _once(f"approval:{token}:{index}", message.send)
    return sent
