"""What a change of an enrolment tells the world: an outbox event for the chambers' webhooks and
its e-mails in the e-mail outbox, both written in the booking's transaction (core.services.outbox
sends them once it commits, or its sweep does if the process dies first)."""

from core.events import record_event
from core.services.outbox import enqueue_email

from ...emails import approval_request_emails, enrolment_email
from ...models import Enrolment


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
    """The e-mail is rendered now (the state this transaction commits) and sent after the
    commit; a rollback sends nothing."""
    message = enrolment_email(enrolment, kind)
    if message is not None:
        enqueue_email(message)


def send_approval_request_on_commit(enrolment: Enrolment) -> None:
    # The clear token exists only in memory, on the enrolment just held (services.booking.holds).
    for message in approval_request_emails(enrolment, enrolment.approval_token):
        enqueue_email(message)
