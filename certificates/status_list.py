"""Revocation by W3C Bitstring Status List v1.0.

Every credential gets its bit at issue: a random position in its school's current list (random, so
that neighbouring bits say nothing about who was certified together; the spec's herd privacy). The
list credential is made from the database when it is fetched, so it shows a revocation at once,
and it is signed like the badges; the badges themselves never change.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import router
from django.db.models import QuerySet, Value
from django.urls import reverse

from core.precompiled import Placeholders, Precompiled
from core.roundtrip import RoundTrip

from .models import Certificate
from .signing import sign_jwt

# The spec's minimum size, 16 KiB of bits: small lists would tell who is revoked.
LIST_SIZE = 131_072
# A new list starts when the current one is half full, so a random free bit is found quickly.
FILL = LIST_SIZE // 2
PURPOSE = "revocation"
CONTEXT = "https://www.w3.org/ns/credentials/v2"


@dataclass(frozen=True)
class Entry:
    school_id: int
    number: int  # which of the school's lists
    index: int  # which bit in it

    @property
    def key(self) -> str:
        return f"{self.school_id}/{self.number}"


def list_url(school_id: int, number: int) -> str:
    path = reverse("certificates:status_list", args=[school_id, number])
    return f"{settings.SITE_URL}{path}"


def _bit_taken_query(p: Placeholders, alias: str, _shape) -> QuerySet:
    # The index as a Value: a negative stand-in compared with a positive integer field directly
    # would make the ORM drop the condition as impossible.
    return (
        Certificate.objects.using(alias)
        .filter(status_list=p.text("key"), status_index=Value(p.id("index")))
        .values_list("pk")[:1]
    )


_bit_taken = Precompiled(_bit_taken_query, prepared=True)


class SchoolLists:
    """Hands out free bits in a school's current list. Which list is current follows from how
    many of the school's certificates have a bit, a count that grows with the school's history:
    it is taken once per allocator and then kept up by the allocator's own bits, so a bulk job
    keeps one for all its certificates. Bits another issuer takes meanwhile are not in the
    count: the current list then takes a few more than FILL before the next one starts, still
    far from full. Runs in the issuing transaction; a unique constraint on (list, index) guards
    against two issuers drawing the same bit."""

    def __init__(self, school_id: int) -> None:
        self.school_id = school_id
        self._count: int | None = None

    def allocate(self) -> Entry:
        while True:
            candidate = self._candidate()
            alias = router.db_for_read(Certificate)
            if not _bit_taken.rows(alias, None, key=candidate.key, index=candidate.index):
                return self._keep(candidate)

    def propose(self, trip: RoundTrip) -> Callable[[], Entry]:
        """A random bit, whether it is free asked in `trip` (sent with the statements the caller
        runs anyway); call the function returned after `trip.run()` for the entry: that bit, or
        (taken meanwhile, rarely) another one allocated then."""
        candidate = self._candidate()
        taken = trip.rows(_bit_taken, None, key=candidate.key, index=candidate.index)
        return lambda: self.allocate() if taken else self._keep(candidate)

    def _candidate(self) -> Entry:
        if self._count is None:
            taken = Certificate.objects.filter(status_list__startswith=f"{self.school_id}/")
            self._count = taken.count()
        return Entry(self.school_id, self._count // FILL, secrets.randbelow(LIST_SIZE))

    def _keep(self, entry: Entry) -> Entry:
        self._count += 1
        return entry


def allocate(*, school_id: int) -> Entry:
    """A free bit in the school's current list (see SchoolLists)."""
    return SchoolLists(school_id).allocate()


def credential_status(entry: Entry) -> dict:
    """The credential's `credentialStatus`: a BitstringStatusListEntry."""
    url = list_url(entry.school_id, entry.number)
    return {
        "id": f"{url}#{entry.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(entry.index),
        "statusListCredential": url,
    }


def encode(indices) -> str:
    """The bitstring with the given bits set (bit 0 is the leftmost bit of the first byte),
    GZIP-compressed, base64url without padding, with the multibase prefix "u"."""
    bits = bytearray(LIST_SIZE // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("not a base64url multibase string")
    raw = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def list_credential(*, school_id: int, number: int, issuer_id: str) -> dict:
    """The BitstringStatusListCredential as it stands now."""
    key = f"{school_id}/{number}"
    revoked = Certificate.objects.filter(
        status_list=key, revoked_at__isnull=False, status_index__isnull=False
    ).values_list("status_index", flat=True)
    url = list_url(school_id, number)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {
        "@context": [CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": now.isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(revoked),
        },
    }


def signed_list_credential(credential: dict) -> str:
    """The list credential secured as VC-JOSE (the credential is the JWT payload)."""
    valid_from = dt.datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    payload = {
        **credential,
        "iss": credential["issuer"],
        "jti": credential["id"],
        "nbf": int(valid_from.timestamp()),
        "iat": int(valid_from.timestamp()),
    }
    return sign_jwt(payload, typ="vc+jwt")
