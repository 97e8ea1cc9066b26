"""The issuer's key and X.509 certificate: they sign the PDF (PAdES) and the Open Badge (VC-JWT).

Production names a PEM key and certificate (chain) from the school's or district's CA in settings
(CERTIFICATE_SIGNING_KEY_FILE, CERTIFICATE_SIGNING_CERT_FILE). Without them a development CA and a
signing certificate are generated on first use in CERTIFICATE_KEYS_DIR (never under MEDIA_ROOT,
which the development server serves, and never committed); the CA's private key is thrown away
once it has signed. Loaded once per process: issuing is benchmarked.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

logger = logging.getLogger(__name__)

# BSI TR-02102-1 asks for RSA keys of at least 3000 bits from 2023 on.
RSA_BITS = 3072
DEV_DIR = "dev"


@dataclass(frozen=True)
class IssuerKeys:
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    certificate: x509.Certificate
    # Intermediate and root certificates after the signing certificate, as configured.
    chain: tuple[x509.Certificate, ...]

    @property
    def jws_algorithm(self) -> str:
        """RS256 for RSA, the one algorithm Open Badges 3.0 requires every verifier to accept."""
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return "RS256"
        if isinstance(self.private_key, ed25519.Ed25519PrivateKey):
            return "EdDSA"
        return {256: "ES256", 384: "ES384", 521: "ES512"}[self.private_key.curve.key_size]

    @property
    def public_jwk(self) -> dict:
        """The public key as a JWK (RFC 7517) with its RFC 7638 thumbprint as `kid` and the
        certificate chain as `x5c`, so the badge key and the PDF signature are one identity."""
        jwk = _public_jwk(self.private_key.public_key())
        jwk["kid"] = thumbprint(jwk)
        jwk["x5c"] = [
            base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()
            for c in (self.certificate, *self.chain)
        ]
        return jwk

    @cached_property
    def kid(self) -> str:
        """The public key's thumbprint, worked out once per key: every badge's header names it."""
        return self.public_jwk["kid"]


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64(number: int, length: int | None = None) -> str:
    return _b64url(number.to_bytes(length or (number.bit_length() + 7) // 8, "big"))


def _public_jwk(public_key) -> dict:
    if isinstance(public_key, rsa.RSAPublicKey):
        numbers = public_key.public_numbers()
        return {"kty": "RSA", "n": _b64(numbers.n), "e": _b64(numbers.e)}
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}
    numbers = public_key.public_numbers()
    size = (public_key.curve.key_size + 7) // 8
    curve = {256: "P-256", 384: "P-384", 521: "P-521"}[public_key.curve.key_size]
    return {"kty": "EC", "crv": curve, "x": _b64(numbers.x, size), "y": _b64(numbers.y, size)}


def thumbprint(jwk: dict) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, base64url."""
    required = {
        "RSA": ("e", "kty", "n"),
        "EC": ("crv", "kty", "x", "y"),
        "OKP": ("crv", "kty", "x"),
    }
    members = {name: jwk[name] for name in required[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return _b64url(hashlib.sha256(canonical).digest())


def issuer_keys() -> IssuerKeys:
    """The configured key and certificate, or the development ones (made on first use)."""
    return _load(
        str(getattr(settings, "CERTIFICATE_SIGNING_KEY_FILE", "") or ""),
        str(getattr(settings, "CERTIFICATE_SIGNING_CERT_FILE", "") or ""),
        str(getattr(settings, "CERTIFICATE_SIGNING_KEY_PASSWORD", "") or ""),
        str(_keys_dir()),
    )


def _keys_dir() -> Path:
    return Path(getattr(settings, "CERTIFICATE_KEYS_DIR", settings.BASE_DIR / "var" / "keys"))


def development_root() -> x509.Certificate:
    """The development CA's certificate: the trust anchor for the development signatures."""
    folder = _development_dir(str(_keys_dir()))
    return x509.load_pem_x509_certificate((folder / "root.pem").read_bytes())


@cache
def _load(key_file: str, cert_file: str, password: str, keys_dir: str) -> IssuerKeys:
    if not key_file:
        folder = _development_dir(keys_dir)
        key_file, cert_file, password = str(folder / "signing.key"), str(folder / "signing.pem"), ""
    private_key = serialization.load_pem_private_key(
        Path(key_file).read_bytes(), password=password.encode() or None
    )
    certificates = x509.load_pem_x509_certificates(Path(cert_file).read_bytes())
    return IssuerKeys(private_key, certificates[0], tuple(certificates[1:]))


@cache
def _development_dir(keys_dir: str) -> Path:
    """Make the development CA and signing certificate once. Several processes may start at the
    same time: each builds in a folder of its own and the first rename wins."""
    folder = Path(keys_dir) / DEV_DIR
    if (folder / "signing.pem").exists():
        return folder
    Path(keys_dir).mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".dev-", dir=keys_dir))
    try:
        _write_development_keys(building)
        try:
            os.rename(building, folder)
        except OSError:  # another process was first
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    if not settings.DEBUG and not getattr(settings, "TESTING", False):
        logger.warning(
            "certificates are signed with a generated development key (%s); configure "
            "CERTIFICATE_SIGNING_KEY_FILE and CERTIFICATE_SIGNING_CERT_FILE",
            folder,
        )
    return folder


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Lernwerkstatt 4.0 (Entwicklung)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_development_keys(folder: Path) -> None:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    root_name = _name("Lernwerkstatt 4.0 Entwicklungs-CA – nicht für den Betrieb")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(key_cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("Teilnahmebescheinigungen (Entwicklung)"))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * 10))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_path = folder / "signing.key"
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "signing.pem").write_bytes(leaf.public_bytes(pem) + root.public_bytes(pem))
    (folder / "root.pem").write_bytes(root.public_bytes(pem))


def _usage(**granted: bool) -> x509.KeyUsage:
    names = [
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ]
    return x509.KeyUsage(**{name: granted.get(name, False) for name in names})
