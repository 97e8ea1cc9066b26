"""The server-error handler (handler500): an unreachable database is an outage, not a bug.

Every uncaught exception, in a view or a middleware (sessions, authentication), reaches this
handler while it is being handled. When it is the database that is gone (OperationalError,
InterfaceError: restart, failover, connection limit), the user gets 503 with Retry-After and a
page in the site layout saying we are briefly unavailable, the API a problem+json 503; the page
is rendered without the database (no user, no roles). Anything else stays a plain 500."""

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_outage(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:  # the driver's error may be the cause of another
        if isinstance(exc, OUTAGE_ERRORS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def unavailable(request) -> HttpResponse:
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    detail = _("Der Dienst ist kurz nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.")
    if request.path.startswith("/api/"):
        body = {
            "type": "urn:lernwerkstatt:problem:unavailable",
            "title": _("Vorübergehend nicht erreichbar"),
            "status": 503,
            "detail": detail,
            "code": "unavailable",
            "errors": [],
            "instance": request.path,
        }
        return HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=503,
            content_type="application/problem+json",
            headers=headers,
        )
    # No RequestContext: its processors would ask the database for the user and the roles.
    html = render_to_string(
        "503.html", {"request": request, "retry_after": RETRY_AFTER_SECONDS, "detail": detail}
    )
    return HttpResponse(html, status=503, headers=headers)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_outage(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request, template_name)
