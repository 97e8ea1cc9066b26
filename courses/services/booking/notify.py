"""What a change of an enrolment tells the world: an outbox event for the chambers' webhooks
(written in the booking's transaction) and e-mails, enqueued only once the booking commits."""

import uuid

from django.db import transaction

from core.events import record_event

from ...models import Enrolment, Session
from ...tasks.mail import send_approval_request as send_approval_request_task
from ...tasks.mail import send_enrolment_email as send_enrolment_email_task


def chamber_id(enrolment: Enrolment) -> int | None:
    business = enrolment.business
    return business.chamber_id if business is not None else None


def enrolment_payload(enrolment: Enrolment, position: int | None = None) -> dict:
    return {
        "id": enrolment.pk,
        "run": enrolment.run_id,
        "participant": enrolment.participant_id,
        "business": enrolment.business_id,
        "status": enrolment.status,
        "source": enrolment.source,
        "waitlist_position": position,
    }


def record(type_: str, enrolment: Enrolment, position: int | None = None) -> None:
    record_event(
        type=type_,
        payload=enrolment_payload(enrolment, position),
        chamber_id=chamber_id(enrolment),
    )


def send_on_commit(enrolment: Enrolment, kind: str) -> None:
    """E-mails go out only after the booking is committed; a rollback sends nothing."""
    message_id = uuid.uuid4().hex  # makes a redelivered task a no-op, see services.mail
    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: send_enrolment_email_task.delay(enrolment_id, kind, message_id))


def send_approval_request_on_commit(enrolment: Enrolment) -> None:
    enrolment_id, token = enrolment.pk, enrolment.approval_token
    transaction.on_commit(lambda: send_approval_request_task.delay(enrolment_id, token))


def send_session_change_on_commit(session: Session, kind: str) -> int:
    """A session was moved (kind "session_moved": an updated iTIP REQUEST) or called off
    ("session_cancelled": a CANCEL): every participant with a confirmed seat is told once the
    change commits. The message id names the session's SEQUENCE, so a redelivered task sends
    nothing twice while a later change is a new message. Returns how many were enqueued."""
    ids = list(
        Enrolment.objects.filter(
            run_id=session.run_id, status=Enrolment.Status.CONFIRMED, participant__isnull=False
        ).values_list("pk", flat=True)
    )
    session_id, sequence = session.pk, session.sequence
    for enrolment_id in ids:
        message_id = f"session:{session_id}:{sequence}:{enrolment_id}"
        transaction.on_commit(
            lambda e=enrolment_id, m=message_id: send_enrolment_email_task.delay(
                e, kind, m, session_id
            )
        )
    return len(ids)
