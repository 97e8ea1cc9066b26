"""Every API error as RFC 9457 problem details (application/problem+json):
{"type", "title", "status", "detail", "code", "errors": [{"field", "message", "code"}]}."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:lernwerkstatt:problem:"

TITLES = {
    400: "Ungültige Anfrage",
    401: "Nicht angemeldet",
    403: "Keine Berechtigung",
    404: "Nicht gefunden",
    405: "Methode nicht erlaubt",
    406: "Nicht annehmbar",
    409: "Konflikt",
    410: "Nicht mehr vorhanden",
    413: "Inhalt zu groß",
    415: "Medientyp nicht unterstützt",
    422: "Nicht verarbeitbar",
    429: "Zu viele Anfragen",
    503: "Vorübergehend nicht erreichbar",
}


def problem(
    status_code: int,
    *,
    code: str,
    detail: str,
    errors: list | None = None,
    headers: dict | None = None,
    instance: str | None = None,
    extra: dict | None = None,
) -> Response:
    body = {
        "type": TYPE_BASE + code,
        "title": TITLES.get(status_code, "Fehler"),
        "status": status_code,
        "detail": detail,
        "code": code,
        "errors": errors or [],
    }
    if instance:
        body["instance"] = instance
    if extra:
        body.update(extra)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _flatten(detail, prefix="") -> list[dict]:
    """DRF's nested error dicts/lists as a flat list of {field, message, code}."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            field = key if key != "non_field_errors" else ""
            out += _flatten(value, f"{prefix}.{field}".strip(".") if field else prefix)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not isinstance(value, exceptions.ErrorDetail):
                out += _flatten(value, f"{prefix}[{index}]" if prefix else f"[{index}]")
            else:
                out += _flatten(value, prefix)
    else:
        out.append(
            {
                "field": prefix or None,
                "message": str(detail),
                "code": getattr(detail, "code", "invalid"),
            }
        )
    return out


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else None

    if isinstance(exc, DomainError):
        errors = (
            [{"field": exc.field, "message": exc.message, "code": exc.code}] if exc.field else []
        )
        extra = {k: v for k, v in exc.details.items() if isinstance(v, str | int | float | bool)}
        return problem(
            exc.status,
            code=exc.code,
            detail=exc.message,
            errors=errors,
            instance=instance,
            extra=extra,
        )
    if isinstance(exc, IntegrityError):
        # A constraint of the database said no (a race the service did not foresee): a conflict.
        logger.warning("IntegrityError in API: %s", exc)
        return problem(
            409,
            code="conflict",
            detail=_("Die Änderung widerspricht dem aktuellen Stand der Daten."),
            instance=instance,
        )
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is gone for a moment (restart, failover): the client retries, as told.
        logger.warning("database unavailable in API: %s", exc)
        return problem(
            503,
            code="unavailable",
            detail=_(
                "Der Dienst ist kurz nicht erreichbar. Bitte versuchen Sie es gleich noch einmal."
            ),
            headers={"Retry-After": "30"},
            instance=instance,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: let Django log it and answer 500

    headers = {
        k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem(
            status.HTTP_400_BAD_REQUEST,
            code="validation_failed",
            detail=_("Die Eingabe ist ungültig: %s")
            % "; ".join(f"{e['field'] or 'Eingabe'}: {e['message']}" for e in errors[:5]),
            errors=errors,
            headers=headers,
            instance=instance,
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    if isinstance(detail, dict | list):
        errors = _flatten(detail)
        detail_text = "; ".join(e["message"] for e in errors)
    else:
        errors, detail_text = [], str(detail)
    extra = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = int(exc.wait + 0.999)
    return problem(
        response.status_code,
        code=str(code),
        detail=detail_text,
        errors=errors,
        headers=headers,
        instance=instance,
        extra=extra,
    )
