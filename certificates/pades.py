"""PAdES signature of the certificate PDF (ETSI EN 319 142-1) with pyHanko's CMS signer.

Baseline B-B with the issuer's key and certificate chain; B-T when CERTIFICATE_TSA_URL names an
RFC 3161 timestamp authority. The signature is an incremental update after the PDF/A conversion,
so the signed bytes are the PDF/A file and the file stays PDF/A (the signature field is invisible).

The update is written here, not by pyHanko's PDF writer: it is five objects (catalogue and page
with the field added, form, field, signature dictionary) and a cross-reference section, and
pyHanko's pure-Python reading of the whole file to write them cost more CPU than the signature.
pikepdf (qpdf, in C++) reads the objects that change; pyHanko's signer makes the CMS container.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from functools import cache

import pikepdf
from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from pikepdf import Array, Dictionary, Name, String
from pyhanko.sign import signers, timestamps
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .keys import IssuerKeys, issuer_keys

FIELD_NAME = "Signatur"
# Room for the CMS signature in the file, in bytes (written as twice as many hex digits). 3072-bit
# RSA, a chain of two certificates and a timestamp token fit with room to spare.
ROOM = 8_192
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
# The byte range is written once the offsets are known, padded to this width: ten digits per
# offset leave room for any file size.
RANGE_WIDTH = len(b"[ 0 9999999999 9999999999 9999999999 ]")
# Widget flags: Print (PDF/A wants it set) and Locked.
WIDGET_FLAGS = 4 | 128
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


class _Signer(signers.SimpleSigner):
    """pyHanko's SimpleSigner with two costs paid once per process instead of per signature:
    it loaded the private key again from DER every time (validating an RSA key costs about
    0.4 s), and it built the signed attributes that do not depend on the document (the
    signing-certificate-v2 and algorithm-protection attributes) anew in pure-Python ASN.1."""

    def __init__(self, *, private_key, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key
        self._fixed_attributes: dict[tuple, list[bytes]] = {}
        # The last container built in full per digest algorithm, with where its signed
        # attributes' contents and its signature value lie.
        self._templates: dict[str, tuple[bytes, int, int, int, int]] = {}

    def spliced(self, data_digest: bytes, digest_algorithm: str) -> bytes | None:
        """The container signing `data_digest` without a timestamp, made from the last one built
        in full. Two such containers of one signer differ only in the signed attributes (by the
        digest) and the signature value, both of the same length for RSA and Ed25519 keys: the
        new ones are spliced into the last container, and the signed attributes are joined from
        their DER encodings (those that do not depend on the document kept from the first),
        instead of building either in pure-Python ASN.1 (about 1.5 ms and 0.2 ms). None when
        there is no container yet or a length differs: then `container` builds it in full."""
        template = self._templates.get(digest_algorithm)
        fixed = self._fixed_attributes.get((digest_algorithm, "data", True))
        if template is None or fixed is None:
            return None
        der, at, length, signature_at, signature_length = template
        # DER orders the members of a SET OF by their encodings, as asn1crypto writes them.
        contents = b"".join(
            sorted([*fixed, _digest_attribute_prefix(len(data_digest)) + data_digest])
        )
        if len(contents) != length:
            return None
        signature = self.sign_raw(b"\x31" + _der_length(len(contents)) + contents, digest_algorithm)
        if len(signature) != signature_length:
            return None
        return b"".join(
            (
                der[:at],
                contents,
                der[at + length : signature_at],
                signature,
                der[signature_at + signature_length :],
            )
        )

    async def container(self, data_digest: bytes, digest_algorithm: str, *, timestamper) -> bytes:
        """The PAdES CMS container (DER) signing `data_digest`, built in full by pyHanko; one
        without a timestamp is kept for `spliced`."""
        container = await self.async_sign(
            data_digest, digest_algorithm, use_pades=True, timestamper=timestamper
        )
        der = container.dump()
        if timestamper is None:
            signer_info = container["content"]["signer_infos"][0]
            contents = signer_info["signed_attrs"].contents
            signature = signer_info["signature"].native
            at, signature_at = der.find(contents), der.find(signature)
            if at >= 0 and signature_at > at and der.count(signature) == 1:
                self._templates[digest_algorithm] = (
                    der,
                    at,
                    len(contents),
                    signature_at,
                    len(signature),
                )
        return der

    async def signed_attrs(self, data_digest: bytes, digest_algorithm: str, **kwargs):
        if not kwargs.get("use_pades") or kwargs.get("dry_run"):
            # Outside PAdES pyHanko adds a signing-time attribute, which must not be kept.
            return await super().signed_attrs(data_digest, digest_algorithm, **kwargs)
        key = (digest_algorithm, kwargs.get("content_type", "data"), kwargs.get("is_pdf_sig"))
        fixed = self._fixed_attributes.get(key)
        if fixed is None:
            attributes = await super().signed_attrs(data_digest, digest_algorithm, **kwargs)
            self._fixed_attributes[key] = [
                a.dump() for a in attributes if a["type"].native != "message_digest"
            ]
            return attributes
        digest = cms.CMSAttribute({"type": "message_digest", "values": [data_digest]})
        return cms.CMSAttributes([*(cms.CMSAttribute.load(d) for d in fixed), digest])

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        key = self._private_key
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        digest = HASHES[digest_algorithm]()
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), digest)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(digest))
        raise TypeError(f"unsupported signing key {type(key).__name__}")


@cache
def _digest_attribute_prefix(length: int) -> bytes:
    """The DER of the message-digest attribute up to a digest of `length` bytes."""
    der = cms.CMSAttribute({"type": "message_digest", "values": [bytes(length)]}).dump()
    return der[:-length]


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


@cache
def _signer(keys: IssuerKeys) -> signers.SimpleSigner:
    """Built once per key: converting the key and chain for pyHanko is not free."""
    der_key = keys.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _Signer(
        private_key=keys.private_key,
        signing_cert=_asn1(keys.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in keys.chain]),
    )


def timestamper() -> timestamps.TimeStamper | None:
    url = getattr(settings, "CERTIFICATE_TSA_URL", "")
    return timestamps.HTTPTimeStamper(url) if url else None


def _pdf_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


@dataclass(frozen=True)
class _Update:
    """What the signature adds to the file: changed and new objects as PDF text, the number the
    signature dictionary gets, and the trailer entries that stay."""

    objects: list[tuple[tuple[int, int], bytes]]
    signature: tuple[int, int]
    signature_entries: bytes
    trailer: bytes
    size: int


def _with(text: bytes, entries: bytes) -> bytes:
    """A dictionary as PDF text with `entries` added."""
    if not text.endswith(b">>"):
        raise ValueError("not a dictionary")
    return text[:-2].rstrip() + b" " + entries + b" >>"


def _update(content: bytes, *, reason: str, location: str, when: dt.datetime) -> _Update:
    """An invisible signature field on the first page (zero-size Rect, Print flag: what PDF/A
    asks of annotations) in the document's form, its value a signature dictionary.

    The new objects take the numbers after the file's last (its trailer's /Size) and the
    references to them are written into the text of the objects that change: pikepdf's
    make_indirect first resolves every object of the file (qpdf fixes dangling references
    before it numbers a new object), which cost more than all the rest of the update."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        catalog, page, trailer = pdf.Root, pdf.pages[0].obj, pdf.trailer
        size = int(trailer.Size)
        signature, field, form = (size, 0), (size + 1, 0), (size + 2, 0)
        field_text = Dictionary(
            FT=Name.Sig,
            T=String(FIELD_NAME),
            Type=Name.Annot,
            Subtype=Name.Widget,
            F=WIDGET_FLAGS,
            Rect=Array([0, 0, 0, 0]),
            P=page,
        ).unparse()
        field_text = _with(field_text, b"/V %d %d R" % signature)
        form_text = b"<< /Fields [ %d %d R ] /SigFlags 3 >>" % field
        annotations = page.get(Name.Annots)
        if annotations is not None and annotations.is_indirect:
            raise ValueError("the page's annotations are an object of their own")
        listed = [a.unparse() for a in annotations or ()] + [b"%d %d R" % field]
        if annotations is not None:
            del page.Annots
        page_text = _with(page.unparse(resolved=True), b"/Annots [ " + b" ".join(listed) + b" ]")
        for key in (Name.AcroForm, Name.Extensions):
            if key in catalog:
                del catalog[key]
        # The ETSI extension level PAdES declares.
        extensions = Dictionary(
            ESIC=Dictionary(
                Type=Name.DeveloperExtensions, BaseVersion=Name("/1.7"), ExtensionLevel=1
            )
        )
        catalog_text = _with(
            catalog.unparse(resolved=True),
            b"/AcroForm %d %d R /Extensions %s" % (*form, extensions.unparse()),
        )
        entries = [
            b"/Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached",
            b"/M " + String(_pdf_date(when)).unparse(),
            b"/Reason " + String(reason).unparse(),
        ]
        if location:
            entries.append(b"/Location " + String(location).unparse())
        objects = [
            (catalog.objgen, catalog_text),
            (page.objgen, page_text),
            (form, form_text),
            (field, field_text),
        ]
        kept = [b"/Root %d %d R" % catalog.objgen]
        if Name.Info in trailer:
            kept.append(b"/Info %d %d R" % trailer.Info.objgen)
        if Name.ID in trailer:
            kept.append(b"/ID " + trailer.ID.unparse())
        return _Update(
            objects=objects,
            signature=signature,
            signature_entries=b" ".join(entries),
            trailer=b" ".join(kept),
            size=size + 3,
        )


def _append(content: bytes, update: _Update) -> tuple[bytearray, int, int]:
    """The file with the update appended, its byte range written; and where the room for the
    signature starts and ends."""
    found = _STARTXREF.search(content[-64:])
    if found is None:
        raise ValueError("no cross-reference offset at the end of the file")
    out = bytearray(content)
    offsets = {}
    for (number, generation), text in update.objects:
        offsets[number] = (len(out), generation)
        out += b"%d %d obj\n%s\nendobj\n" % (number, generation, text)
    offsets[update.signature[0]] = (len(out), update.signature[1])
    out += b"%d %d obj\n<< /ByteRange " % update.signature
    range_at = len(out)
    out += b" " * RANGE_WIDTH + b" /Contents "
    start = len(out)
    out += b"<" + b"0" * (2 * ROOM) + b">"
    end = len(out)
    out += b" " + update.signature_entries + b" >>\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):
        offset, generation = offsets[number]
        out += b"%d 1\n%010d %05d n \n" % (number, offset, generation)
    out += b"trailer\n<< /Size %d %s /Prev %s >>\n" % (update.size, update.trailer, found[1])
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    byte_range = b"[ 0 %d %d %d ]" % (start, end, len(out) - end)
    out[range_at : range_at + RANGE_WIDTH] = byte_range.ljust(RANGE_WIDTH)
    return out, start, end


def sign(content: bytes, *, reason: str, location: str, when: dt.datetime | None = None) -> bytes:
    """`content` with a PAdES signature appended as an incremental update."""
    when = when or dt.datetime.now(dt.UTC)
    update = _update(content, reason=reason, location=location, when=when)
    out, start, end = _append(content, update)
    view = memoryview(out)
    digest = hashlib.sha256(view[:start])
    digest.update(view[end:])
    view.release()
    signer, stamper = _signer(issuer_keys()), timestamper()
    container = None if stamper else signer.spliced(digest.digest(), "sha256")
    if container is None:
        container = asyncio.run(signer.container(digest.digest(), "sha256", timestamper=stamper))
    if len(container) > ROOM:
        raise ValueError(f"the signature needs {len(container)} bytes, {ROOM} reserved")
    digits = container.hex().upper().encode()
    out[start + 1 : start + 1 + len(digits)] = digits
    return bytes(out)
