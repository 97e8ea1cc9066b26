"""`Idempotency-Key` on POST: the same key with the same body replays the first response and
changes nothing; the same key with another body is a 422.

The record is inserted before the work runs, in the same transaction as the work, so a parallel
request with the same key waits on the unique index (PostgreSQL) or on the write lock (SQLite)
and then replays the committed answer instead of doing the work twice.

A record lives 24 hours (Stripe's and pretix's rule): it holds a response with personal data, so
`purge_expired` (beat, hourly) deletes older ones, and an expired key counts as new even before
the purge ran. A replay whose object has been deleted (or left the chamber's view) since is a 410:
the API never hands out a deleted trainee again."""

import functools
import hashlib
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .errors import IdempotencyInProgress, IdempotencyKeyReused, IdempotencyReplayGone
from .models import IdempotencyRecord
from .problems import PROBLEM_CONTENT_TYPE

HEADER = "Idempotency-Key"
# Visible ASCII, 1 to 200 characters, no blank at either end; the OpenAPI schema states the same.
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]([\x20-\x7e]{0,198}[\x21-\x7e])?$"
# Fields that must never be stored (the webhook secret is shown once, never again).
REDACTED = ("secret",)


def _fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # QueryDict from a form post
        data = dict(data.lists())
    canonical = json.dumps(
        [request.method, request.path, data], sort_keys=True, cls=DjangoJSONEncoder, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _storable(data):
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    if isinstance(data, dict):
        for name in REDACTED:
            if name in data:
                data[name] = None
    return data


def _replay(view, request, record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            _("Dieser Idempotency-Key wurde schon mit einer anderen Anfrage benutzt."),
            field=HEADER,
        )
    if record.response_status == 0:
        raise IdempotencyInProgress(
            _("Eine Anfrage mit diesem Idempotency-Key läuft noch."), field=HEADER
        )
    body = record.response_body
    if (
        record.response_status < 300
        and isinstance(body, dict)
        and body.get("id") is not None
        and not view.get_queryset().filter(pk=body["id"]).exists()
    ):
        raise IdempotencyReplayGone(
            _(
                "Das Objekt dieser Anfrage gibt es nicht mehr; senden Sie die Anfrage mit einem "
                "neuen Idempotency-Key, wenn Sie es neu anlegen wollen."
            ),
            field=HEADER,
        )
    return Response(
        body,
        status=record.response_status,
        headers={"Idempotent-Replayed": "true"},
        content_type=PROBLEM_CONTENT_TYPE if record.response_status >= 400 else None,
    )


def _claim(request, key: str, fingerprint: str):
    """The new record for this key, or the earlier one (locked) when it is still alive."""
    fields = {"request_hash": fingerprint, "response_status": 0, "response_body": {}}
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(api_key=request.auth, key=key, **fields), None
    except IntegrityError:
        earlier = IdempotencyRecord.objects.select_for_update().get(api_key=request.auth, key=key)
    if earlier.created_at >= IdempotencyRecord.expiry_cutoff():
        return None, earlier
    # Expired: the key is new again. Reuse the locked row so a parallel request still waits on it.
    for name, value in fields.items():
        setattr(earlier, name, value)
    earlier.created_at = timezone.now()
    earlier.save()
    return earlier, None


def idempotent(handler):
    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None:
            return handler(self, request, *args, **kwargs)
        key = raw
        if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
            raise ValidationError(
                {HEADER: [_("1 bis 200 sichtbare ASCII-Zeichen, ohne Leerzeichen am Rand.")]}
            )
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            record, earlier = _claim(request, key, fingerprint)
            if earlier is not None:
                return _replay(self, request, earlier, fingerprint)
            try:
                with transaction.atomic():
                    response = handler(self, request, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - turned into the response we store and replay
                response = self.handle_exception(exc)
            if response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            record.response_status = response.status_code
            record.response_body = _storable(response.data)
            record.save(update_fields=["response_status", "response_body"])
            return response

    return wrapper
