"""Verification codes a person can read off paper and type: 20 characters in groups of four from
an alphabet without the look-alikes 0/O and 1/I/L (nor U), case-insensitive. About 98 bits of
randomness; the verification page is rate limited besides. Codes issued before (URL-safe base64)
keep working exactly as printed."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 5
GROUP_SIZE = 4
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    characters = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(characters[i : i + GROUP_SIZE] for i in range(0, len(characters), GROUP_SIZE))


def normalise(text: str) -> str | None:
    """The stored form of a typed code ("abcd efgh-…" → "ABCD-EFGH-…"), or None if it is not
    one of these codes."""
    plain = _SEPARATORS.sub("", text or "").upper()
    if len(plain) != GROUPS * GROUP_SIZE or any(c not in ALPHABET for c in plain):
        return None
    return "-".join(plain[i : i + GROUP_SIZE] for i in range(0, len(plain), GROUP_SIZE))


def candidates(text: str) -> list[str]:
    """The stored codes a typed or scanned code may be: as given (old codes are case-sensitive)
    and normalised."""
    found = [text]
    normal = normalise(text)
    if normal and normal != text:
        found.append(normal)
    return found
