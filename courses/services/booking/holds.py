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


def hold_fields(now: dt.datetime) -> tuple[dict, str]:
    """The fields of an enrolment whose seat is held until the employer decides, and the clear
    approval token for the e-mail (only its digest is among the fields)."""
    token, digest = new_token()
    fields = {
        "status": Enrolment.Status.PENDING,
        "hold_until": now + dt.timedelta(days=settings.BOOKING_APPROVAL_HOLD_DAYS),
        "approval_token_hash": digest,
    }
    return fields, token
