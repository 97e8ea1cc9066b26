"""Employer approval: when a seat is only held for the employer's decision, and for how long."""

import datetime as dt

from django.conf import settings

from core.tokens import new_token
from people.models import Business, Membership, User

from ...models import CourseRun, Enrolment


def needs_approval(run: CourseRun, business: Business | None, booked_by: User | None) -> bool:
    """Employer approval is asked when the run wants it, the participant has an employer, and the
    booking was not made by a contact of that employer (who is the one who would approve)."""
    if not run.requires_employer_approval or business is None:
        return False
    if booked_by is None:
        return True
    return not Membership.objects.filter(
        user=booked_by, role=Membership.Role.BUSINESS_CONTACT, business=business
    ).exists()


def until_start(run: CourseRun, until: dt.datetime) -> dt.datetime:
    """A seat is held at most until the run's first session starts: then the course runs, and a
    held seat that nobody takes is lost anyway."""
    return min(until, run.starts_at) if run.starts_at else until


def hold_fields(now: dt.datetime, run: CourseRun) -> tuple[dict, str]:
    """The fields of an enrolment whose seat is held until the employer decides (never past the
    start of the run), and the clear approval token for the e-mail (only its digest is among the
    fields)."""
    token, digest = new_token()
    fields = {
        "status": Enrolment.Status.PENDING,
        "hold_until": until_start(
            run, now + dt.timedelta(days=settings.BOOKING_APPROVAL_HOLD_DAYS)
        ),
        "approval_token_hash": digest,
    }
    return fields, token


def offer_fields(now: dt.datetime, run: CourseRun) -> dict:
    """The fields of a waiting enrolment offered a freed seat: held for its answer for
    WAITLIST_OFFER_HOURS, never past the start of the run."""
    return {
        "status": Enrolment.Status.OFFERED,
        "hold_until": until_start(run, now + dt.timedelta(hours=settings.WAITLIST_OFFER_HOURS)),
    }


def grant_seat(enrolment: Enrolment, *, run: CourseRun, now: dt.datetime) -> Enrolment:
    """A waiting or offered person gets the seat: confirmed, or held for the employer's approval
    when the run asks for it (the hold never outlives the start). Saved; the caller holds the run
    lock, audits and tells the person."""
    if needs_approval(run, enrolment.business, enrolment.booked_by):
        fields, enrolment.approval_token = hold_fields(now, run)
        for name, value in fields.items():
            setattr(enrolment, name, value)
    else:
        enrolment.status = Enrolment.Status.CONFIRMED
        enrolment.confirmed_at = now
        enrolment.hold_until = None
    enrolment.save(
        update_fields=["status", "confirmed_at", "hold_until", "approval_token_hash", "updated_at"]
    )
    return enrolment
