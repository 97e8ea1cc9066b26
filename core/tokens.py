"""Secret links (calendar feeds, employer approvals) are stored as a SHA-256 digest, never in
clear, as the API keys are: whoever reads the database or a backup cannot use them.

A token carries 256 bits of randomness, so a fast unsalted hash suffices (no brute force is
possible) and the lookup stays one indexed query."""

import hashlib
import secrets


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and its digest: hand the first out once, store only the second."""
    plaintext = secrets.token_urlsafe(32)
    return plaintext, token_digest(plaintext)
