from core.errors import DomainError, InvalidInput


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidWebhook(InvalidInput):
    code = "invalid_webhook"


class IdempotencyKeyReused(DomainError):
    """The same Idempotency-Key was sent with another request body."""

    status = 422
    code = "idempotency_key_reused"


class IdempotencyInProgress(DomainError):
    status = 409
    code = "idempotency_in_progress"


class IdempotencyReplayGone(DomainError):
    """The first answer named an object that has been deleted since: it is not replayed."""

    status = 410
    code = "idempotency_replay_gone"


class UnknownCursor(InvalidInput):
    """A cursor of the right form that this server did not issue."""

    code = "unknown_cursor"
