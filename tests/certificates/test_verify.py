"""The public verification page, the upload check, the rate limit and the Open Badges credential."""

import json
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.badge import from_token
from certificates.models import Certificate
from certificates.services import issue_certificate, reissue_certificate, revoke_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrolment):
    return issue_certificate(enrolment=enrolment, actor=None)


@pytest.fixture
def same_minute(monkeypatch):
    """The limit counts per clock minute: hold the limiter's clock still, so that a slow machine
    crossing into the next minute halfway through cannot reset the count."""
    import certificates.verify

    monkeypatch.setattr(certificates.verify, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


def _url(certificate):
    return reverse("certificates:verify", args=[certificate.verification_code])


def _pdf_bytes(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_valid_certificate_shows_only_what_a_verifier_needs(certificate, client):
    response = client.get(_url(certificate))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Diese Bescheinigung ist gültig." in body
    assert "Jürgen Weiß-Großmann" in body
    assert "SPS-Programmierung für Einsteiger" in body
    assert "Berufsbildende Schulen I Lüneburg" in body
    assert certificate.number in body
    assert f"{certificate.issued_at.astimezone().day}." in body
    # Nothing personal beyond the name: no date of birth, no e-mail, no business.
    assert "14.03.2005" not in body and "2005" not in body
    assert certificate.enrolment.participant.email not in body
    assert certificate.enrolment.business.name not in body


def test_verification_page_in_english(certificate, client):
    client.cookies["django_language"] = "en"
    body = client.get(_url(certificate)).content.decode()
    assert '<html lang="en"' in body
    assert "This certificate is valid." in body and "Diese Bescheinigung ist gültig." not in body
    assert "Jürgen Weiß-Großmann" in body


def test_revoked_certificate_says_so_with_the_date(certificate, client):
    revoke_certificate(certificate=certificate, actor=None, reason="Täuschungsversuch")
    certificate.refresh_from_db()
    body = client.get(_url(certificate)).content.decode()
    assert "Diese Bescheinigung ist gültig." not in body
    assert f"wurde am {certificate.revoked_at.astimezone():%-d}." in body and "widerrufen" in body
    assert "Täuschungsversuch" not in body  # the reason is internal


def test_reissued_certificate_old_code_revoked_new_code_valid(certificate, client):
    new = reissue_certificate(certificate=certificate, actor=None, reason="Name korrigiert")
    old_page = client.get(_url(certificate)).content.decode()
    assert 'data-verdict="revoked"' in old_page
    # The revoked certificate's page points to its replacement.
    assert f"ersetzt durch die Bescheinigung {new.number}" in old_page
    assert f'href="{_url(new)}"' in old_page
    assert 'data-verdict="valid"' in client.get(_url(new)).content.decode()


def test_a_merely_revoked_certificate_names_no_replacement(certificate, client):
    revoke_certificate(certificate=certificate, actor=None, reason="Fehler")
    assert "data-replacement" not in client.get(_url(certificate)).content.decode()


def test_the_page_shows_hours_and_dates(certificate, client):
    body = client.get(_url(certificate)).content.decode()
    assert "16 Unterrichtsstunden" in body  # as on the PDF, not "16.0"
    assert "2. März 2026" in body and "9. März 2026" in body
    client.cookies["django_language"] = "en"
    english = client.get(_url(certificate)).content.decode()
    assert "16 teaching hours" in english


def test_unknown_code_is_a_plain_404(client, db):
    response = client.get(reverse("certificates:verify", args=["does-not-exist"]))
    assert response.status_code == 404
    assert "Nicht gefunden" in response.content.decode()
    too_long = "x" * 200
    assert client.get(f"/verify/{too_long}/").status_code == 404


def test_rate_limit_against_guessing(client, certificate, settings, same_minute):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 5
    for i in range(5):
        assert client.get(f"/verify/guess-{i}/").status_code == 404
    response = client.get(_url(certificate))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Zu viele Anfragen" in response.content.decode()
    # Another client is not affected.
    assert client.get(_url(certificate), REMOTE_ADDR="10.0.0.2").status_code == 200


def test_default_rate_limit_is_30_per_minute(client, db, same_minute):
    codes = [client.get(f"/verify/guess-{i}/").status_code for i in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429


def test_upload_of_the_issued_pdf_matches(certificate, client):
    upload = SimpleUploadedFile("b.pdf", _pdf_bytes(certificate), content_type="application/pdf")
    response = client.post(_url(certificate), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-upload="match"' in body
    assert "Die Datei ist genau die ausgestellte Bescheinigung." in body


def test_upload_of_a_changed_pdf_does_not_match(certificate, client):
    changed = _pdf_bytes(certificate).replace("Weiß".encode("utf-16-be"), b"xxxxxxxx") + b"\n%"
    upload = SimpleUploadedFile("b.pdf", changed, content_type="application/pdf")
    body = client.post(_url(certificate), {"file": upload}).content.decode()
    assert 'data-upload="mismatch"' in body and 'data-upload="match"' not in body


def test_upload_of_another_certificate_does_not_match(certificate, make_enrolment, client):
    other = issue_certificate(enrolment=make_enrolment(first_name="Lena"), actor=None)
    upload = SimpleUploadedFile("b.pdf", _pdf_bytes(other), content_type="application/pdf")
    body = client.post(_url(certificate), {"file": upload}).content.decode()
    assert 'data-upload="mismatch"' in body


def test_upload_of_the_pdf_of_a_revoked_certificate_matches_but_warns(certificate, client):
    revoke_certificate(certificate=certificate, actor=None, reason="Fehler")
    upload = SimpleUploadedFile("b.pdf", _pdf_bytes(certificate), content_type="application/pdf")
    body = client.post(_url(certificate), {"file": upload}).content.decode()
    assert 'data-upload="match"' in body and "Die Bescheinigung ist widerrufen." in body
    # Genuine but revoked: a warning, never the green of a valid certificate.
    assert "kern-alert--success" not in body
    assert 'kern-alert kern-alert--warning" role="status" data-upload="match"' in body


def test_upload_that_is_not_a_pdf_gets_a_clear_field_error(certificate, client):
    upload = SimpleUploadedFile("b.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = client.post(_url(certificate), {"file": upload})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Das ist keine PDF-Datei." in body
    assert 'id="id_file_error"' in body
    assert "data-upload=" not in body


def test_upload_too_large_is_refused(certificate, client, monkeypatch):
    monkeypatch.setattr("certificates.forms.UPLOAD_PDF_MAX_BYTES", 1000)
    upload = SimpleUploadedFile("b.pdf", b"%PDF-" + b"0" * 2000, content_type="application/pdf")
    response = client.post(_url(certificate), {"file": upload})
    assert response.status_code == 422
    assert "zu groß" in response.content.decode()


def test_upload_without_a_file(certificate, client):
    response = client.post(_url(certificate), {})
    assert response.status_code == 422
    assert 'id="id_file_error"' in response.content.decode()


def test_open_badges_credential_is_the_signed_one(certificate, client, settings):
    response = client.get(reverse("certificates:badge", args=[certificate.verification_code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    badge = json.loads(response.content)
    assert badge == from_token(certificate.badge_jwt)
    assert badge["id"] == f"{settings.SITE_URL}/verify/{certificate.verification_code}/badge.json"
    assert badge["issuer"]["name"] == "Berufsbildende Schulen I Lüneburg"
    assert badge["credentialSubject"]["identifier"][-1]["identityHash"] == "Jürgen Weiß-Großmann"


def test_the_signed_badge_downloads_for_a_wallet(certificate, client):
    body = client.get(_url(certificate)).content.decode()
    url = reverse("certificates:badge_jwt", args=[certificate.verification_code])
    assert f'href="{url}"' in body
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    assert response.content.decode() == certificate.badge_jwt
    assert f"Open-Badge-{certificate.number}.jwt" in response["Content-Disposition"]


def test_revocation_leaves_the_badge_as_issued(certificate, client):
    before = client.get(reverse("certificates:badge", args=[certificate.verification_code])).json()
    revoke_certificate(certificate=certificate, actor=None, reason="Fehler")
    after = client.get(reverse("certificates:badge", args=[certificate.verification_code])).json()
    assert after == before
    assert after["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_a_certificate_from_before_signed_badges_gets_an_unsigned_credential(certificate, client):
    Certificate.objects.filter(pk=certificate.pk).update(badge_jwt="")
    badge = client.get(reverse("certificates:badge", args=[certificate.verification_code])).json()
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    jwt_url = reverse("certificates:badge_jwt", args=[certificate.verification_code])
    assert client.get(jwt_url).status_code == 404
    assert jwt_url not in client.get(_url(certificate)).content.decode()


def test_badge_of_unknown_code_is_404(client, db):
    assert client.get(reverse("certificates:badge", args=["nope"])).status_code == 404
