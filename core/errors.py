class DomainError(Exception):
    """A rule of the domain said no. Views turn it into a form or page message, the API into a
    problem-details response (RFC 9457) with `status`, `code` and the `field` at fault."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, field: str | None = None, **details):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.details = details


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class InvalidInput(DomainError):
    status = 422
    code = "invalid"
