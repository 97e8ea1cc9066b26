"""The domain errors of demand (HTTP status for the API, message for the page)."""

from core.errors import DomainError, InvalidInput, PermissionDenied

__all__ = ["AlreadyAnswered", "DomainError", "FeedbackClosed", "InvalidInput", "PermissionDenied"]


class AlreadyAnswered(DomainError):
    code = "already_answered"


class FeedbackClosed(DomainError):
    code = "feedback_closed"
