"""Domain errors of the courses app. Views turn them into messages, the API into problem details.
Append new errors at the end; others add theirs here too."""

from django.utils.translation import gettext_lazy as _  # noqa: F401 - used by subclasses' messages

from core.errors import DomainError


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


class EmailNotVerified(NotEligible):
    """A web booking by someone who has not confirmed their e-mail address yet."""

    code = "email_not_verified"


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


# --- planning and attendance ---


class SessionConflict(DomainError):
    """Another session (same workshop, same instructor) or an equipment reservation overlaps;
    the message names it (course, time, room)."""

    status = 409
    code = "session_conflict"


class InvalidRunTransition(DomainError):
    """A run status change that is not allowed (e.g. publishing a run without sessions)."""

    status = 409
    code = "invalid_run_transition"


class NotEnoughEquipment(SessionConflict):
    """Too few working, free units of a required equipment type for the run's seats."""

    code = "not_enough_equipment"


class AttendanceNotAllowed(DomainError):
    """Attendance cannot be recorded for this enrolment or session."""

    status = 409
    code = "attendance_not_allowed"


class CheckInClosed(DomainError):
    """Self check-in outside the session's time window, or without an active enrolment."""

    status = 409
    code = "checkin_closed"


class OfferError(DomainError):
    """A waiting-list offer that is not (or no longer) open to this person."""

    status = 409
    code = "offer_error"


class RunFull(DomainError):
    """No free seat where one is needed (moving someone, promoting by hand)."""

    status = 409
    code = "run_full"


class NotWaiting(DomainError):
    """The enrolment is not (or no longer) on the waiting list."""

    status = 409
    code = "not_waiting"


class MoveNotAllowed(DomainError):
    """The enrolment cannot move to that run (another course, the same run, started, ended)."""

    status = 409
    code = "move_not_allowed"


class RequirementsNotConfirmed(DomainError):
    """A course naming its target group or prerequisites was booked without confirming them."""

    status = 422
    code = "requirements_not_confirmed"
