"""PAdES signature of the certificate PDF (ETSI EN 319 142-1) with pyHanko.

Baseline B-B with the issuer's key and certificate chain; B-T when CERTIFICATE_TSA_URL names an
RFC 3161 timestamp authority. The signature is an incremental update after the PDF/A conversion,
so the signed bytes are the PDF/A file and the file stays PDF/A (the signature field is invisible).
"""

from __future__ import annotations

import io
from functools import cache

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .keys import IssuerKeys, issuer_keys

FIELD_NAME = "Signatur"
# Room for the CMS signature in the file; reserving it spares pyHanko a dry run to measure it.
# 3072-bit RSA, a chain of two certificates and a timestamp token fit with room to spare.
BYTES_RESERVED = 16_384
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class _Writer(IncrementalPdfFileWriter):
    """Leaves the document information and XMP alone: pyHanko would set the producer to itself in
    both, differently (the Info entry gets appended to, the XMP replaced), and PDF/A requires the
    two to agree. The signature dictionary records the signing time itself."""

    def _update_meta(self):
        pass


class _Signer(signers.SimpleSigner):
    """pyHanko's SimpleSigner with two costs paid once per process instead of per signature:
    it loaded the private key again from DER every time (validating an RSA key costs about
    0.4 s), and it built the signed attributes that do not depend on the document (the
    signing-certificate-v2 and algorithm-protection attributes) anew in pure-Python ASN.1."""

    def __init__(self, *, private_key, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key
        self._fixed_attributes: dict[tuple, list[bytes]] = {}

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


def sign(content: bytes, *, reason: str, location: str) -> bytes:
    """`content` with a PAdES signature appended."""
    writer = _Writer(io.BytesIO(content))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    out = signers.sign_pdf(
        writer,
        metadata,
        signer=_signer(issuer_keys()),
        timestamper=timestamper(),
        new_field_spec=fields.SigFieldSpec(FIELD_NAME),
        bytes_reserved=BYTES_RESERVED,
    )
    return out.getvalue()
