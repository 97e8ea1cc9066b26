"""What a change of an enrolment tells the world: an outbox event for the chambers' webhooks and
its e-mails in the e-mail outbox, both written in the booking's transaction (core.services.outbox
sends them once it commits, or its sweep does if the process dies first)."""

from core.events import record_event, record_events
from core.services.outbox import enqueue_email, enqueue_rendered_later

from ...emails import (
    ENROLMENT_RENDERER,
    approval_request_emails,
    enrolment_email,
    language_of,
)
from ...models import Enrolment, Session


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


# `into`, here and below: a core.roundtrip.RoundTrip that writes the rows with the statements
# around them (a booking under its run lock); without it they are written at once.


def record(type_: str, enrolment: Enrolment, position: int | None = None, *, into=None) -> None:
    record_event(
        type=type_,
        payload=enrolment_payload(enrolment, position),
        chamber_id=chamber_id(enrolment),
        into=into,
    )


def record_many(
    types: list[str], enrolment: Enrolment, position: int | None = None, *, into=None
) -> None:
    payload = enrolment_payload(enrolment, position)
    record_events([(t, payload) for t in types], chamber_id=chamber_id(enrolment), into=into)


def send_on_commit(
    enrolment: Enrolment, kind: str, *, position: int | None = None, into=None
) -> None:
    """The e-mail is stored as what to render (one INSERT, no template and no query under the
    run lock); the worker renders it after the commit, from the state committed by then (see
    emails.render_enrolment_email). A rollback sends nothing. `position`: the waiting-list
    place, when the caller knows it (under the run lock); the address and language are those of
    this moment."""
    participant = enrolment.participant
    if participant is None or not participant.email:
        return
    params = {"enrolment": enrolment.pk, "kind": kind, "lang": language_of(participant)}
    if position is not None:
        params["position"] = position
    enqueue_rendered_later(ENROLMENT_RENDERER, params=params, to=[participant.email], into=into)


def send_approval_request_on_commit(enrolment: Enrolment, *, into=None) -> None:
    # The clear token exists only in memory, on the enrolment just held (services.booking.holds).
    for message in approval_request_emails(enrolment, enrolment.approval_token):
        enqueue_email(message, into=into)


def send_session_change_on_commit(session: Session, kind: str) -> int:
    """A session was moved (kind "session_moved": an updated iTIP REQUEST) or called off
    ("session_cancelled": a CANCEL): every participant with a confirmed seat is told once the
    change commits. The outbox key names the session's SEQUENCE, so a message is stored once per
    change while a later change is a new message. Returns how many were enqueued."""
    enrolments = Enrolment.objects.filter(
        run_id=session.run_id, status=Enrolment.Status.CONFIRMED, participant__isnull=False
    ).select_related("run__course", "run__school", "participant", "business")
    count = 0
    for enrolment in enrolments:
        message = enrolment_email(enrolment, kind, session_id=session.pk)
        if message is not None:
            key = f"courses:session:{session.pk}:{session.sequence}:{enrolment.pk}"
            enqueue_email(message, key=key)
            count += 1
    return count
