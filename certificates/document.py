"""The certificate as issued: one file for people and for wallets.

reportlab draws it, pikepdf makes it a tagged PDF/A-3b that carries the signed Open Badge as an
associated file, and pyHanko signs the result (PAdES). The signature comes last, so the SHA-256
the certificate stores is that of the signed file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from . import badge, pades, status_list
from .pdf import render_tagged
from .pdfa import Attachment, make_pdfa


@dataclass(frozen=True)
class IssuedFile:
    pdf: bytes
    sha256: str
    badge_jwt: str
    status_list: str
    status_index: int


def badge_attachment(data: dict, token: str) -> Attachment:
    return Attachment(
        filename=f"Open-Badge-{data['number']}.jwt",
        content=token.encode("ascii"),
        mime_type=badge.MEDIA_TYPE,
        description="Open Badges 3.0 OpenBadgeCredential (VC-JWT)",
        relationship="Alternative",
    )


def issue_file(
    data: dict,
    *,
    lists: status_list.SchoolLists | None = None,
    entry: status_list.Entry | None = None,
) -> IssuedFile:
    """Allocate the status-list bit, sign the badge and make the PDF for the frozen `data`.
    The bit is written into `data` (it is part of what was issued). Runs inside the issuing
    transaction. `lists`: the school's allocator a bulk job keeps for all its certificates;
    `entry`: the bit, when the caller has allocated it already."""
    if entry is None:
        entry = (lists or status_list.SchoolLists(data["school"]["id"])).allocate()
    data["status"] = {"school_id": entry.school_id, "number": entry.number, "index": entry.index}
    token = badge.sign(badge.credential(data))
    content, marked = render_tagged(data)
    pdf = make_pdfa(content, marked=marked, attachments=(badge_attachment(data, token),))
    with translation.override(data.get("language", "de")):
        reason = f"{_('Teilnahmebescheinigung')} {data['number']}"
    pdf = pades.sign(pdf, reason=reason, location=data["school"].get("city", ""))
    return IssuedFile(
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        badge_jwt=token,
        status_list=entry.key,
        status_index=entry.index,
    )
