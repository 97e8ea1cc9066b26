"""Public verification, no login: the page behind the QR code, the byte-for-byte upload check and
the Open Badges 3.0 credential. Shows only what a verifier needs, and is rate limited per client
so that codes cannot be guessed by trying."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.access import public
from core.http import body_limit

from . import badge as badge_module
from . import codes
from .forms import UPLOAD_PDF_MAX_BYTES, VerifyUploadForm
from .models import Certificate
from .snapshot import hours_text


def _client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # and trusting it would let a guesser pick a fresh "address" per request.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_limited(request) -> bool:
    limit = getattr(settings, "CERTIFICATE_VERIFY_RATE_PER_MINUTE", 30)
    window = int(time.time() // 60)
    key = f"certificates:verify:{_client_ip(request)}:{window}"
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=70)
        count = 1
    return count > limit


def _too_many(request):
    response = render(request, "certificates/verify_rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def _lookup(code: str) -> Certificate | None:
    if not code or len(code) > 64:
        return None
    return Certificate.objects.filter(verification_code__in=codes.candidates(code)).first()


def _not_found(request):
    return render(request, "certificates/verify_not_found.html", status=404)


def _summary(certificate: Certificate) -> dict:
    data = certificate.data
    issued = parse_datetime(data.get("issued_at", "")) or certificate.issued_at
    dates = []
    for session in data.get("sessions", []):
        day = dt.date.fromisoformat(session["start"][:10])
        if day not in dates:
            dates.append(day)
    replacement = certificate.replaced_by if not certificate.is_valid else None
    return {
        "name": data["participant"]["name"],
        "course": data["course"]["title"],
        # The hours as the PDF prints them (one function for both).
        "hours": hours_text(data["course"]["hours"], translation.get_language() or "de"),
        "dates": dates,
        "issued_at": issued,
        "school": data["school"]["name"],
        "number": certificate.number,
        "valid": certificate.is_valid,
        "revoked_at": certificate.revoked_at,
        "replacement_number": replacement.number if replacement else "",
        "replacement_url": reverse("certificates:verify", args=[replacement.verification_code])
        if replacement
        else "",
    }


# The upload form is for anyone holding a file, and has no session to protect: a cross-site post
# can only learn whether a file matches, which the poster could ask directly.
@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
# The file is read only up to the largest PDF we issue: a bigger body is refused unread (413).
@body_limit(UPLOAD_PDF_MAX_BYTES + 64 * 1024)
def verify(request, code: str):
    if _rate_limited(request):
        return _too_many(request)
    certificate = _lookup(code)
    if certificate is None:
        return _not_found(request)
    if request.method == "GET" and code != certificate.verification_code:
        # Typed in lower case or without hyphens: show the code as printed.
        return redirect("certificates:verify", code=certificate.verification_code)
    match = None
    form = VerifyUploadForm()
    status = 200
    if request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["file"].chunks():
                digest.update(chunk)
            match = hmac.compare_digest(digest.hexdigest(), certificate.sha256)
        else:
            status = 422
    context = {
        "certificate": certificate,
        "summary": _summary(certificate),
        "form": form,
        "match": match,
        "badge_url": reverse("certificates:badge", args=[certificate.verification_code]),
        "badge_jwt_url": reverse("certificates:badge_jwt", args=[certificate.verification_code])
        if certificate.badge_jwt
        else "",
    }
    return render(request, "certificates/verify.html", context, status=status)


def badge_credential(certificate: Certificate) -> dict:
    """The Open Badges 3.0 credential as issued: the payload of the signed token, unchanged by
    revocation. Certificates from before badges were signed get theirs built from the frozen
    data, without a proof."""
    if certificate.badge_jwt:
        return badge_module.from_token(certificate.badge_jwt)
    return badge_module.credential(certificate.data)


@public
@require_GET
def badge(request, code: str):
    if _rate_limited(request):
        return _too_many(request)
    certificate = _lookup(code)
    if certificate is None:
        return JsonResponse({"detail": "not found"}, status=404)
    response = JsonResponse(
        badge_credential(certificate),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
        content_type="application/ld+json; charset=utf-8",
    )
    # Wallets and verifiers fetch it from other origins; it holds nothing the page does not show.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public
@require_GET
def badge_jwt(request, code: str):
    """The signed credential (VC-JWT) to import into a wallet."""
    if _rate_limited(request):
        return _too_many(request)
    certificate = _lookup(code)
    if certificate is None or not certificate.badge_jwt:
        return HttpResponse(status=404)
    response = HttpResponse(certificate.badge_jwt, content_type=badge_module.MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="Open-Badge-{certificate.number}.jwt"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
