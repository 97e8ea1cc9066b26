"""Request id: taken from the proxy's X-Request-ID or made here, echoed on the response and put on
every log line written while the request runs (config.logging reads it from a contextvar)."""

import re
import uuid

from .logging import request_id_var

HEADER = "X-Request-ID"
# A client-supplied id lands in our logs: accept only a short printable token (no log injection).
_VALID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")


def _incoming_id(request) -> str | None:
    value = request.headers.get(HEADER, "").strip()
    return value if _VALID.match(value) else None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response
