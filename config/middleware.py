"""Request id: taken from the proxy's X-Request-ID or made here, echoed on the response and put on
every log line written while the request runs (config.logging reads it from a contextvar)."""

import ipaddress
import re
import uuid

from django.conf import settings

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


class TrustedProxyMiddleware:
    """REMOTE_ADDR becomes the real client's address behind TRUSTED_PROXY_COUNT reverse proxies.

    Every rate limit (allauth's login lockout, the verification page, DRF) reads REMOTE_ADDR, so
    one setting serves them all. Each trusted proxy appends the address it received the request
    from to X-Forwarded-For; the client is the entry TRUSTED_PROXY_COUNT places from the right.
    Entries left of it were written by the client and are ignored. With a count of 0 (no proxy),
    the header is ignored altogether: anyone can send it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = settings.TRUSTED_PROXY_COUNT
        if count:
            address = _forwarded_client(request.META.get("HTTP_X_FORWARDED_FOR", ""), count)
            if address:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


def _forwarded_client(header: str, count: int) -> str | None:
    """The address `count` entries from the right, or None when the header is shorter (the
    request did not pass all proxies: REMOTE_ADDR is then the best we know) or not an address."""
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if len(entries) < count:
        return None
    candidate = entries[-count]
    if candidate.startswith("[") and "]" in candidate:  # [2001:db8::1]:443
        candidate = candidate[1 : candidate.index("]")]
    elif candidate.count(":") == 1:  # 203.0.113.7:443
        candidate = candidate.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response, from settings.PERMISSIONS_POLICY (feature -> list of
    origins; an empty list turns the feature off, "self" means our own origin)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(_origin(o) for o in origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def _origin(origin: str) -> str:
    return origin if origin in ("self", "*") else f'"{origin}"'
