"""Revocation through the W3C Bitstring Status List: the entry is in the badge from the moment of
issue, the list credential is served signed and shows a revocation at once, and the signed badge
and the PDF never change."""

import base64
import gzip
from urllib.parse import urlsplit

import pytest

from certificates.badge import from_token
from certificates.services import issue_certificate, revoke_certificate
from certificates.status_list import LIST_SIZE, encode
from tests.factories import CourseFactory, CourseRunFactory, SchoolFactory

from .standards import dropped_terms, verify_jwt

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrolment):
    return issue_certificate(enrolment=enrolment, actor=None)


def _bits(encoded: str) -> bytes:
    """Decoded the way the spec describes, with the standard library: multibase 'u', base64url
    without padding, GZIP."""
    assert encoded.startswith("u")
    raw = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def _bit(bits: bytes, index: int) -> int:
    return (bits[index // 8] >> (7 - index % 8)) & 1  # index 0 is the leftmost bit


def _list(client, url) -> tuple[dict, dict]:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    jwks = client.get("/.well-known/jwks.json").json()
    header, claims = verify_jwt(response.content.decode(), jwks)
    return header, claims


def test_the_entry_is_in_the_badge_from_issue(certificate):
    status = from_token(certificate.badge_jwt)["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert int(status["statusListIndex"]) == certificate.status_index
    assert 0 <= certificate.status_index < LIST_SIZE
    assert status["id"] == f"{status['statusListCredential']}#{status['statusListIndex']}"


def test_revocation_sets_the_bit_and_changes_no_signed_artefact(certificate, client):
    status = from_token(certificate.badge_jwt)["credentialStatus"]
    index = int(status["statusListIndex"])
    header, before = _list(client, status["statusListCredential"])
    assert header["typ"] == "vc+jwt"
    assert before["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert before["issuer"] == from_token(certificate.badge_jwt)["issuer"]["id"]
    subject = before["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    bits = _bits(subject["encodedList"])
    assert len(bits) * 8 >= 131_072  # the spec's minimum, for herd privacy
    assert _bit(bits, index) == 0

    token, digest = certificate.badge_jwt, certificate.sha256
    with certificate.pdf.open("rb") as handle:
        pdf = handle.read()
    revoke_certificate(certificate=certificate, actor=None, reason="Fehler")
    certificate.refresh_from_db()

    _, after = _list(client, status["statusListCredential"])
    assert _bit(_bits(after["credentialSubject"]["encodedList"]), index) == 1
    assert (
        sum(bin(byte).count("1") for byte in _bits(after["credentialSubject"]["encodedList"])) == 1
    )
    assert certificate.badge_jwt == token and certificate.sha256 == digest
    with certificate.pdf.open("rb") as handle:
        assert handle.read() == pdf


def test_the_list_credential_expands_without_dropped_terms(certificate, client):
    status = from_token(certificate.badge_jwt)["credentialStatus"]
    _, claims = _list(client, status["statusListCredential"])
    credential = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "iat")}
    assert dropped_terms(credential) == []


def test_each_school_has_its_own_list(certificate, make_enrolment):
    other_school = SchoolFactory(code="BBS2")
    run = CourseRunFactory(course=CourseFactory(school=other_school))
    other = issue_certificate(enrolment=make_enrolment(run=run), actor=None)
    first = from_token(certificate.badge_jwt)
    second = from_token(other.badge_jwt)
    assert (
        first["credentialStatus"]["statusListCredential"]
        != (second["credentialStatus"]["statusListCredential"])
    )
    # The list is issued by the school that issued the badge.
    assert second["issuer"]["id"].endswith(f"/credentials/issuers/{other_school.pk}")


def test_bits_are_drawn_at_random_and_never_twice(make_enrolment):
    indices = [
        issue_certificate(enrolment=make_enrolment(), actor=None).status_index for _ in range(4)
    ]
    assert len(set(indices)) == 4
    assert indices != sorted(indices) or max(indices) - min(indices) > 4


def test_unknown_school_list_is_404(client, db):
    assert client.get("/credentials/status/999999/0").status_code == 404


def test_encoding_puts_index_zero_leftmost():
    bits = _bits(encode([0, 9]))
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000


def test_a_new_list_starts_when_the_current_one_is_filled_also_within_a_bulk_job(
    run, make_enrolment, monkeypatch
):
    from certificates import status_list
    from certificates.models import Certificate, IssueJob
    from certificates.services import run_issue_job

    monkeypatch.setattr(status_list, "FILL", 2)
    issue_certificate(enrolment=make_enrolment(), actor=None)  # alone: the school's first bit
    for _ in range(4):
        make_enrolment()
    run_issue_job(job_id=IssueJob.objects.create(run=run).pk)  # the job counts once, then on
    issue_certificate(enrolment=make_enrolment(), actor=None)
    entries = list(Certificate.objects.order_by("pk").values_list("status_list", "status_index"))
    school = run.school_id
    assert [key for key, _index in entries] == [f"{school}/{n}" for n in (0, 0, 1, 1, 2, 2)], (
        entries
    )
    assert len(set(entries)) == 6
