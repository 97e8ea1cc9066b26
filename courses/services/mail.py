"""Booking e-mails by enrolment id, for tasks queued before the e-mail outbox existed (their
names stay registered, see courses.tasks.mail). New code writes to the outbox in its own
transaction (services.booking.notify).

Safe to run twice: the message id is the outbox key, so a redelivered task sends nothing."""

from core.services.outbox import deliver_email, enqueue_email
from core.tokens import token_digest

from ..emails import approval_request_emails, enrolment_email
from ..models import Enrolment


def _once(key: str, message) -> bool:
    row = enqueue_email(message, key=f"courses:{key}")
    return row is not None and deliver_email(email_id=row.pk)


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
    return _once(message_id, message)


def send_approval_request(*, enrolment_id: int, token: str) -> int:
    """Ask the employer's contacts to approve a held seat; nothing when the enrolment was decided
    or released meanwhile (the token no longer matches a pending enrolment)."""
    enrolment = (
        _enrolments()
        .filter(
            pk=enrolment_id,
            status=Enrolment.Status.PENDING,
            approval_token_hash=token_digest(token),
        )
        .first()
    )
    if enrolment is None:
        return 0
    sent = 0
    for index, message in enumerate(approval_request_emails(enrolment, token)):
        sent += _once(f"approval:{enrolment.approval_token_hash}:{index}", message)
    return sent
