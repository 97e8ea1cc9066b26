"""What a wallet or verifier fetches to check an Open Badge: the issuer's public key (a JWKS under
/.well-known/, each key at the URL the JWT header names, and a did:web document), the issuing
school's Profile, the status lists and the badge image. Public, no login, cacheable; none of it is
personal."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from core.access import public
from people.models import School

from . import badge, status_list
from .keys import thumbprint
from .signing import published_jwk

IMAGE = Path(__file__).resolve().parent / "assets" / "badge.png"


def _json(document: dict, content_type: str, *, max_age: int = 3600) -> JsonResponse:
    response = JsonResponse(
        document,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
        content_type=f"{content_type}; charset=utf-8",
    )
    # Wallets and verifiers fetch from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _public_key() -> dict:
    # x5c stays in the JWKS: a verifier may tie the badge key to the PDF signer's certificate.
    return published_jwk()


@public
@require_GET
def jwks(request):
    return _json({"keys": [_public_key()]}, "application/jwk-set+json")


@public
@require_GET
def jwk(request, thumbprint: str):
    key = _public_key()
    if not key["kid"].endswith("/" + thumbprint):
        raise Http404
    return _json(key, "application/jwk+json")


def did_web() -> str:
    """did:web of the site (W3C did:web: the host, a port percent-encoded)."""
    return "did:web:" + quote(urlsplit(settings.SITE_URL).netloc, safe="")


@public
@require_GET
def did_document(request):
    did = did_web()
    key = {k: v for k, v in _public_key().items() if k not in ("kid", "x5c", "use", "alg")}
    method = f"{did}#{thumbprint(key)}"
    document = {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
        ],
        "id": did,
        "verificationMethod": [
            {"id": method, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": key}
        ],
        "assertionMethod": [method],
    }
    return _json(document, "application/did+json")


@public
@require_GET
def issuer(request, school_id: int):
    """The issuing school as an Open Badges 3.0 Profile: what the badge's issuer id resolves to."""
    school = get_object_or_404(School, pk=school_id)
    profile = {
        "@context": badge.OB_CONTEXT,
        "id": badge.issuer_id(school.pk),
        "type": ["Profile"],
        "name": school.name,
        "url": settings.SITE_URL,
    }
    return _json(profile, "application/ld+json")


@public
@require_GET
def status(request, school_id: int, number: int):
    """The school's Bitstring Status List credential, as it stands now, signed (VC-JOSE)."""
    if not School.objects.filter(pk=school_id).exists():
        raise Http404
    credential = status_list.list_credential(
        school_id=school_id, number=number, issuer_id=badge.issuer_id(school_id)
    )
    response = HttpResponse(
        status_list.signed_list_credential(credential), content_type="application/vc+jwt"
    )
    response["Access-Control-Allow-Origin"] = "*"
    # Short: a revocation shows within a minute even behind a cache.
    response["Cache-Control"] = "public, max-age=60"
    return response


@cache
def _image() -> bytes:
    return IMAGE.read_bytes()


@public
@require_GET
def badge_image(request):
    response = HttpResponse(_image(), content_type="image/png")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=86400"
    return response
