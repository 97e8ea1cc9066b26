"""Domain errors of the courses app. Views turn them into messages, the API into problem details.
Append new errors at the end; others add theirs here too."""

from django.utils.translation import gettext_lazy as _  # noqa: F401 - used by subclasses' messages

from people.errors import DomainError


class BookingClosed(DomainError):
    """The run cannot be booked now (not published, window not open yet or already closed)."""

    status = 409
    code = "booking_closed"


class AlreadyEnrolled(DomainError):
    status = 409
    code = "already_enrolled"


class OverlappingBooking(DomainError):
    """The participant is booked into another run whose sessions overlap; the message names it."""

    status = 409
    code = "overlapping_booking"


class NotEligible(DomainError):
    """The person may not take part (e.g. no verified e-mail, account anonymised)."""

    status = 403
    code = "not_eligible"


class CancellationNotAllowed(DomainError):
    status = 409
    code = "cancellation_not_allowed"


class ApprovalError(DomainError):
    """The approval link is unknown, already used or the hold expired."""

    status = 409
    code = "approval_error"


class CompletionNotAllowed(DomainError):
    status = 409
    code = "completion_not_allowed"
