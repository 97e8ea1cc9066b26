"""VC-JWT (VC-JOSE) signatures with the issuer's key, and the public key as verifiers fetch it.

PyJWT signs: it is the JOSE library of the Python ecosystem (Django REST framework's simplejwt,
Authlib's clients and most OpenID Connect code build on it), and it takes the `cryptography` key
objects the PDF signature uses too. The algorithm follows the key: RS256 for the RSA keys CAs issue
and the development key, which is also the one algorithm Open Badges 3.0 obliges every verifier to
support ("alg MUST be RS256 as a minimum").
"""

from __future__ import annotations

import jwt
from django.conf import settings
from django.urls import reverse

from .keys import issuer_keys

# Open Badges 3.0 §8.2.2: the JOSE header is alg, kid (a URL that dereferences to the JWK) and typ
# "JWT"; "additional JOSE headers are NOT allowed".
JWT_TYPE = "JWT"


def key_url(thumbprint: str) -> str:
    return f"{settings.SITE_URL}{reverse('certificates:jwk', args=[thumbprint])}"


def published_jwk() -> dict:
    """The public key as served under the site: its `kid` is the URL it is served at, the value
    the JWT header names."""
    keys = issuer_keys()
    jwk = keys.public_jwk
    jwk.update(kid=key_url(jwk["kid"]), use="sig", alg=keys.jws_algorithm)
    return jwk


def sign_jwt(payload: dict, *, typ: str = JWT_TYPE) -> str:
    """A compact JWS of `payload` with alg, kid and typ in its header and nothing else."""
    keys = issuer_keys()
    return jwt.encode(
        payload,
        keys.private_key,
        algorithm=keys.jws_algorithm,
        headers={"kid": key_url(keys.kid), "typ": typ},
    )


def unverified_payload(token: str) -> dict:
    """The payload of a token this site signed and stored (read back, not checked)."""
    return jwt.decode(token, options={"verify_signature": False})
