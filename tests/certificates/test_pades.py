# ruff: noqa: S603 - runs poppler's pdfsig found by shutil.which on files the test wrote
"""The PAdES signature on the issued PDF: pyHanko's validator and poppler's pdfsig (NSS) both call
it valid, one changed byte breaks it, the stored SHA-256 is that of the signed file, and the
signed file is still PDF/A-3b."""

import asyncio
import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from certificates import pades
from certificates.keys import development_root, issuer_keys
from certificates.services import issue_certificate

from .conftest import require_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrolment):
    return issue_certificate(enrolment=enrolment, actor=None)


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _validate(content: bytes, *roots: x509.Certificate):
    reader = PdfFileReader(io.BytesIO(content))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[_asn1(development_root()), *map(_asn1, roots)])
    return signature, validate_pdf_signature(signature, context)


def _pdfsig(path, *options: str) -> str:
    return subprocess.run(
        [require_tool("pdfsig"), *options, str(path)], capture_output=True, text=True, check=False
    ).stdout


def _nss_database(folder: Path, root: x509.Certificate) -> str:
    """An NSS database that trusts our root for signatures (what a reader's trust store holds
    once a school imports its CA), made with NSS's own certutil."""
    certutil = shutil.which("certutil")
    if certutil is None:
        pytest.skip("certutil is missing: apt-get install -y libnss3-tools (.ci/run does it)")
    database = f"sql:{folder}"
    root_file = folder / "root.pem"
    root_file.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    for command in (
        [certutil, "-N", "--empty-password", "-d", database],
        [certutil, "-A", "-n", "Lernwerkstatt root", "-t", "CT,C,C", "-i", str(root_file)]
        + ["-d", database],
    ):
        subprocess.run(command, capture_output=True, check=True)
    return database


def _read(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_pyhanko_reports_the_signature_intact_valid_and_trusted(certificate):
    content = _read(certificate)
    signature, status = _validate(content)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    # PAdES baseline (ETSI EN 319 142-1): CAdES detached, the signing certificate bound by the
    # signing-certificate-v2 attribute, and no CMS signing-time (the dictionary's /M holds it).
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    attributes = {a["type"].native for a in signature.signer_info["signed_attrs"]}
    assert {"content_type", "message_digest", "signing_certificate_v2"} <= attributes
    assert "signing_time" not in attributes
    assert signature.sig_object["/M"]
    assert "Teilnahmebescheinigung" in str(signature.sig_object["/Reason"])
    assert str(signature.sig_object["/Location"]) == "Lüneburg"


def test_the_stored_hash_is_of_the_signed_file(certificate):
    assert certificate.sha256 == hashlib.sha256(_read(certificate)).hexdigest()


def test_pdfsig_reports_the_signature_valid(certificate):
    output = _pdfsig(certificate.pdf.path)
    assert "Signature Validation: Signature is Valid." in output, output
    assert "Signature Type: ETSI.CAdES.detached" in output
    assert "Total document signed" in output


def test_pdfsig_trusts_the_signer_with_our_root_in_its_nss_database(certificate, tmp_path):
    """Without our root the signer is unknown to NSS; with it the whole chain is trusted."""
    require_tool("pdfsig")
    assert "Certificate Validation: Certificate is Trusted." not in _pdfsig(certificate.pdf.path)
    database = _nss_database(tmp_path, development_root())
    output = _pdfsig(certificate.pdf.path, "-nssdir", database)
    assert "Signature Validation: Signature is Valid." in output, output
    assert "Certificate Validation: Certificate is Trusted." in output, output


def test_one_changed_byte_breaks_the_signature(certificate, tmp_path):
    content = bytearray(_read(certificate))
    # A byte in the page content, well inside the signed range.
    content[len(content) // 4] ^= 0x01
    _, status = _validate(bytes(content))
    assert not status.intact and not status.bottom_line
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(content)
    output = _pdfsig(changed)
    assert "Signature is Valid." not in output
    assert "Digest Mismatch" in output or "Signature is Invalid" in output, output


def test_the_signed_file_is_still_pdfa_3b(certificate):
    """pikepdf's validator does not cover forms or annotations, so: the revision before the
    signature must pass it; the signed file, without the signature's form field, annotation and
    extension entry, must pass it too (XMP and document information still agree); and the
    signature's objects are checked against the veraPDF rules that concern them."""
    content = _read(certificate)
    first_revision = content[: content.index(b"%%EOF") + len(b"%%EOF")] + b"\n"
    report = pikepdf.pdfa.validate_written(io.BytesIO(first_revision), "3b")
    assert report.verdict == "pass", [str(f) for f in report.findings]

    rules = json.loads(
        (Path(pikepdf.pdfa.__file__).parent / "data" / "verapdf_rules.json").read_text()
    )["rules"]
    with pikepdf.open(io.BytesIO(content)) as pdf:
        form = pdf.Root.AcroForm
        (widget,) = pdf.pages[0].Annots
        # ISO_19005_3:6.4.1-3 and 6.4.2-1
        assert form.get("/NeedAppearances", False) is False, rules["ISO_19005_3:6.4.1-3"]
        assert "/XFA" not in form, rules["ISO_19005_3:6.4.2-1"]
        # ISO_19005_3:6.3.1-1: a type ISO 32000-1 defines; 6.3.2-1/-2: F with Print set and
        # Hidden, Invisible, ToggleNoView and NoView clear; 6.3.3-1: a zero-size Rect needs no
        # appearance; 6.4.1-1: no actions.
        flags = int(widget.F)
        assert widget.Subtype == "/Widget" and widget.FT == "/Sig"
        assert flags & 4 and not flags & (1 | 2 | 32 | 256), rules["ISO_19005_3:6.3.2-2"]
        x1, y1, x2, y2 = (float(v) for v in widget.Rect)
        assert x1 == x2 and y1 == y2, rules["ISO_19005_3:6.3.3-1"]["description"]
        assert "/A" not in widget and "/AA" not in widget
        del pdf.Root.AcroForm
        del pdf.Root.Extensions  # ESIC, the ETSI extension level PAdES declares
        del pdf.pages[0].obj.Annots
        report = pikepdf.pdfa.check(pdf, "3b")
    assert report.verdict == "pass", [str(f) for f in report.findings]


# B-T --------------------------------------------------------------------------------------------


def _tsa() -> tuple[DummyTimeStamper, x509.Certificate]:
    """A timestamp authority of our own (pyHanko's test TSA) with its own root."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return DummyTimeStamper(_asn1(certificate), asn1_keys.PrivateKeyInfo.load(der_key)), certificate


def test_a_configured_tsa_url_gives_an_http_timestamper(settings):
    settings.CERTIFICATE_TSA_URL = ""
    assert pades.timestamper() is None
    settings.CERTIFICATE_TSA_URL = "https://tsa.example.org/tsr"
    assert pades.timestamper().url == "https://tsa.example.org/tsr"


def test_with_a_timestamp_authority_the_signature_is_b_t(enrolment, monkeypatch):
    stamper, tsa_root = _tsa()
    monkeypatch.setattr(pades, "timestamper", lambda: stamper)
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    signature, status = _validate(_read(certificate), tsa_root)
    assert status.bottom_line, status.pretty_print_details()
    timestamp = status.timestamp_validity
    assert timestamp is not None and timestamp.intact and timestamp.valid and timestamp.trusted
    unsigned = {a["type"].native for a in signature.signer_info["unsigned_attrs"]}
    assert "signature_time_stamp_token" in unsigned
    assert "Signature is Valid." in _pdfsig(certificate.pdf.path)


def test_every_signature_signs_its_own_file(make_enrolment):
    """The signer keeps the attributes that do not depend on the document between signatures;
    the message digest must still be each file's own."""
    first, second = (issue_certificate(enrolment=make_enrolment(), actor=None) for _ in range(2))
    for certificate in (first, second):
        _, status = _validate(_read(certificate))
        assert status.intact and status.valid


def test_a_spliced_container_is_byte_for_byte_the_one_pyhanko_builds():
    """After the first signature the CMS container is spliced from the last one, its signed
    attributes joined from DER encodings: it must be what pyHanko would have built (RSA PKCS#1
    v1.5 signatures are deterministic, so the whole container compares)."""
    signer = pades._signer(issuer_keys())
    first, second = hashlib.sha256(b"first").digest(), hashlib.sha256(b"second").digest()
    asyncio.run(signer.container(first, "sha256", timestamper=None))
    spliced = signer.spliced(second, "sha256")
    built = asyncio.run(signer.container(second, "sha256", timestamper=None))
    assert spliced is not None and spliced == built
