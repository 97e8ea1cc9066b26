"""One file for people and for wallets: the issued PDF carries the signed Open Badge as a PDF/A-3
associated file. Extracted with two PDF libraries and verified with joserfc."""

import pikepdf
import pytest
from pypdf import PdfReader

from certificates.services import issue_certificate

from .standards import verify_jwt

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrolment):
    return issue_certificate(enrolment=enrolment, actor=None)


def test_the_signed_badge_is_an_associated_file(certificate, client):
    name = f"Open-Badge-{certificate.number}.jwt"
    with pikepdf.open(certificate.pdf.path) as pdf:
        (spec,) = pdf.Root.AF
        assert spec.AFRelationship == "/Alternative"
        assert str(spec.UF) == name and str(spec.F) == name
        attached = pdf.attachments[name]
        assert attached.get_file().mime_type == "application/jwt"
        token = attached.get_file().read_bytes().decode()
    assert token == certificate.badge_jwt
    jwks = client.get("/.well-known/jwks.json").json()
    _, claims = verify_jwt(token, jwks)
    assert claims["credentialSubject"]["achievement"]["name"] == "SPS-Programmierung für Einsteiger"


def test_pypdf_finds_the_same_badge(certificate):
    attachments = PdfReader(certificate.pdf.path).attachments
    assert list(attachments) == [f"Open-Badge-{certificate.number}.jwt"]
    (content,) = attachments[f"Open-Badge-{certificate.number}.jwt"]
    assert content.decode() == certificate.badge_jwt
