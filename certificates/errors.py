"""Domain errors of certificates; views turn them into messages, the API into problem details."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, InvalidInput


class NotEligible(DomainError):
    """Only completed enrolments (enough attendance, set by courses.services.completion) qualify."""

    status = 409
    code = "not_eligible"


class AlreadyRevoked(DomainError):
    status = 409
    code = "already_revoked"


class ReasonRequired(InvalidInput):
    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("Bitte geben Sie einen Grund an."), field="reason", **kwargs)
