"""Idempotency records hold a response with personal data: they are purged after 24 hours."""

import datetime as dt

from django.db import transaction

from ..models import IdempotencyRecord


@transaction.atomic
def purge_expired_idempotency_records(*, now: dt.datetime | None = None) -> int:
    """Deletes the records older than their lifetime; returns how many."""
    expired = IdempotencyRecord.objects.filter(created_at__lt=IdempotencyRecord.expiry_cutoff(now))
    deleted, _by_model = expired.delete()
    return deleted
