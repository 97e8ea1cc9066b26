"""`Idempotency-Key` on POST: the same key with the same body replays the first response and
changes nothing; the same key with another body is a 422.

The record is inserted before the work runs, in the same transaction as the work, so a parallel
request with the same key waits on the unique index (PostgreSQL) or on the write lock (SQLite)
and then replays the committed answer instead of doing the work twice."""

import functools
import hashlib
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .errors import IdempotencyInProgress, IdempotencyKeyReused
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
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        api_key=request.auth,
                        key=key,
                        request_hash=fingerprint,
                        response_status=0,
                        response_body={},
                    )
            except IntegrityError:
                record = IdempotencyRecord.objects.select_for_update().get(
                    api_key=request.auth, key=key
                )
                if record.request_hash != fingerprint:
                    raise IdempotencyKeyReused(
                        _("Dieser Idempotency-Key wurde schon mit einer anderen Anfrage benutzt."),
                        field=HEADER,
                    ) from None
                if record.response_status == 0:
                    raise IdempotencyInProgress(
                        _("Eine Anfrage mit diesem Idempotency-Key läuft noch."), field=HEADER
                    ) from None
                return Response(
                    record.response_body,
                    status=record.response_status,
                    headers={"Idempotent-Replayed": "true"},
                    content_type=PROBLEM_CONTENT_TYPE if record.response_status >= 400 else None,
                )
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
