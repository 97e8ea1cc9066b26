"""API keys hashed, webhook signing secrets encrypted at rest, and webhook signatures as Standard
Webhooks defines them.

A webhook secret must be recoverable (we sign each delivery with it), so it is encrypted, not
hashed. The Fernet key is derived from SECRET_KEY with HKDF, so no second secret has to be
managed; rotating SECRET_KEY means chambers re-register their webhooks."""

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

KEY_PREFIX = "lw_"  # every API key starts with it: lw_<8 hex>.<secret>


def hash_key(plaintext: str) -> str:
    # The key carries 256 bits of randomness, so a fast hash is enough (no brute force possible)
    # and keeps authentication cheap on every request.
    return hashlib.sha256(plaintext.encode()).hexdigest()


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"lernwerkstatt.api.webhook-secret"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plaintext: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.SECRET_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # SECRET_KEY changed since the webhook was registered
        raise ValueError("webhook secret cannot be decrypted with the current SECRET_KEY") from exc


# --- Standard Webhooks (https://www.standardwebhooks.com/) ------------------------------------

WEBHOOK_SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix the standard gives secrets, no secret


def new_webhook_secret() -> str:
    """whsec_ and 32 random bytes in base64, the form Standard Webhooks libraries take."""
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_key(secret: str) -> bytes:
    """The HMAC key of a secret: the base64 after the prefix, decoded the way the Standard
    Webhooks reference libraries decode it (padding added, other characters skipped), so that a
    receiver verifies with the secret string exactly as we gave it out."""
    body = secret.removeprefix(WEBHOOK_SECRET_PREFIX)
    try:
        key = base64.b64decode(body + "==")
    except ValueError:  # binascii.Error: not base64 at all (no secret we issue)
        key = b""
    return key or body.encode()


def webhook_signature(secrets_: list[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header: `v1,<base64 HMAC-SHA256>` of "id.timestamp.body" for each
    secret, separated by spaces (during a rotation the old and the new secret both sign)."""
    message = f"{msg_id}.{timestamp}.".encode() + body
    signatures = []
    for secret in secrets_:
        digest = hmac.new(webhook_key(secret), message, hashlib.sha256).digest()
        signatures.append("v1," + base64.b64encode(digest).decode())
    return " ".join(signatures)
