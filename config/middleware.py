"""Request id: taken from the proxy's X-Request-ID or made here, echoed on the response and put on
every log line written while the request runs (config.logging reads it from a contextvar)."""

import ipaddress
import re
import uuid

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import Http404
from django.utils.functional import cached_property

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


# Set on a response by django-csp's decorators (csp_update, csp_replace, csp_override).
_POLICY_CHANGES = tuple(
    f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro")
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the settings' policy built once: a response whose request took
    no nonce and whose view changes no policy gets that one header, which django-csp would build
    anew for every response. Everything else (a nonce, a decorated view, a report-only policy,
    excluded prefixes, DEBUG's error pages) takes django-csp's own way."""

    def __init__(self, get_response):
        super().__init__(get_response)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        self.plain = not (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or policy.get("EXCLUDE_URL_PREFIXES")
        )

    @cached_property
    def header(self) -> str:
        return build_policy()

    def process_response(self, request, response):
        if (
            not self.plain
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _POLICY_CHANGES)
        ):
            return super().process_response(request, response)
        if CSP_HEADER not in response and getattr(response, "_csp_exempt", False) is False:
            response[CSP_HEADER] = self.header
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class HostileInputMiddleware:
    """Input no view can store or parse is answered here, before any view or form sees it.

    - A body larger than the view allows (`core.http.body_limit`, else MAX_REQUEST_BODY_BYTES;
      without files DATA_UPLOAD_MAX_MEMORY_SIZE) is refused with 413 from its Content-Length,
      before a byte of it is read.
    - NUL in the path, the query string, a header or posted form data is a 400: PostgreSQL
      cannot hold NUL in text, so it would otherwise fail as a 500 wherever it reaches a query.
    - A cookie holding NUL is dropped (the session lookup would send it to the database).
    - An id in the path (`<int:pk>`) beyond a 64-bit integer names nothing: 404, not an overflow
      in the database driver.
    JSON bodies of the API are checked by its parser (api.parsers).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
            request.COOKIES = {
                name: value
                for name, value in request.COOKIES.items()
                if "\x00" not in name and "\x00" not in value
            }
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "max_request_body", settings.MAX_REQUEST_BODY_BYTES)
        if request.content_type != "multipart/form-data":
            # Without files, Django refuses to read more than this anyway, with a bare 400.
            limit = min(limit, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return _refuse(request, 413, "request_too_large")
        if _has_nul(request):
            return _refuse(request, 400, "nul_character")
        if any(isinstance(v, int) and not 0 <= v <= BIGINT_MAX for v in view_kwargs.values()):
            raise Http404
        return None


BIGINT_MAX = 2**63 - 1


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    # Headers such as Idempotency-Key are stored; servers rarely pass NUL, test clients do.
    if any(k.startswith("HTTP_") and "\x00" in str(v) for k, v in request.META.items()):
        return True
    sources = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for source in sources
        for key, values in source.lists()
    )


def _refuse(request, status: int, code: str):
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        detail = (
            _("Die Anfrage ist zu groß.")
            if status == 413
            else _("Die Anfrage enthält ein Nullzeichen (NUL), das nicht verarbeitet werden kann.")
        )
        title = "Inhalt zu groß" if status == 413 else "Ungültige Anfrage"
        body = {
            "type": f"urn:lernwerkstatt:problem:{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            "errors": [],
        }
        return JsonResponse(body, status=status, content_type="application/problem+json")
    return render(request, "bad_request.html", {"status": status}, status=status)
