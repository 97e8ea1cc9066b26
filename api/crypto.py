"""API keys hashed, webhook signing secrets encrypted at rest.

A webhook secret must be recoverable (we sign each delivery with it), so it is encrypted, not
hashed. The Fernet key is derived from SECRET_KEY with HKDF, so no second secret has to be
managed; rotating SECRET_KEY means chambers re-register their webhooks."""

import base64
import hashlib
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
