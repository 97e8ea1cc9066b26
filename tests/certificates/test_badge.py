"""The Open Badges 3.0 credential a wallet receives: it validates against the official 1EdTech
schema, expands with the official JSON-LD contexts without losing a term, and its VC-JWT proof
verifies with joserfc against the key the site publishes (JWKS, the kid URL, did:web)."""

import datetime as dt
import hashlib
from urllib.parse import urlsplit

import pytest
from joserfc.errors import BadSignatureError

from certificates.badge import from_token
from certificates.services import issue_certificate, reissue_certificate

from .standards import dropped_terms, expand, schema_errors, verify_jwt, verify_jwt_with_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrolment):
    return issue_certificate(enrolment=enrolment, actor=None)


def _get(client, url):
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    return response


def test_the_credential_validates_against_the_1edtech_schema(certificate):
    credential = from_token(certificate.badge_jwt)
    assert schema_errors(credential, "ob_v3p0_achievementcredential_schema.json") == []


def test_the_schema_check_can_fail(certificate):
    credential = from_token(certificate.badge_jwt)
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["validFrom"] = "yesterday"
    errors = schema_errors(credential, "ob_v3p0_achievementcredential_schema.json")
    assert any("criteria" in error for error in errors)
    assert any("validFrom" in error for error in errors)


def test_json_ld_expansion_with_the_official_contexts_drops_no_term(certificate):
    credential = from_token(certificate.badge_jwt)
    assert dropped_terms(credential) == []
    (expanded,) = expand(credential)
    assert (
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
        in (expanded["@type"])
    )
    # An undefined term is caught: the check would see one we made up.
    credential["credentialSubject"]["madeUp"] = "x"
    assert dropped_terms(credential) == ["madeUp"]


def test_the_proof_verifies_with_the_published_jwks(certificate, client):
    jwks = _get(client, "/.well-known/jwks.json").json()
    header, claims = verify_jwt(certificate.badge_jwt, jwks)
    # Open Badges 3.0 §8.2: alg RS256, kid a URL that dereferences to the JWK, typ JWT, no more.
    assert set(header) == {"alg", "kid", "typ"}
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert _get(client, header["kid"]).json() == jwks["keys"][0]
    credential = from_token(certificate.badge_jwt)
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    valid_from = dt.datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    assert claims["nbf"] == valid_from.timestamp()
    assert "d" not in jwks["keys"][0] and "p" not in jwks["keys"][0]  # no private part


def test_a_changed_credential_fails_verification(certificate, client):
    jwks = _get(client, "/.well-known/jwks.json").json()
    head, payload, signature = certificate.badge_jwt.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    with pytest.raises(BadSignatureError):
        verify_jwt(f"{head}.{forged}.{signature}", jwks)


def test_the_did_web_document_carries_the_same_key(certificate, client, settings):
    did = _get(client, "/.well-known/did.json").json()
    host = urlsplit(settings.SITE_URL).netloc.replace(":", "%3A")
    assert did["id"] == f"did:web:{host}"
    (method,) = did["verificationMethod"]
    assert did["assertionMethod"] == [method["id"]]
    verify_jwt_with_key(certificate.badge_jwt, method["publicKeyJwk"])


def test_the_issuer_resolves_to_a_profile(certificate, client):
    credential = from_token(certificate.badge_jwt)
    profile = _get(client, credential["issuer"]["id"]).json()
    assert profile["id"] == credential["issuer"]["id"]
    assert profile["name"] == "Berufsbildende Schulen I Lüneburg"
    assert schema_errors(profile, "ob_v3p0_profile_schema.json") == []
    assert dropped_terms(profile) == []


def test_recipient_is_a_stable_id_and_a_salted_email_hash(certificate, make_enrolment):
    subject = from_token(certificate.badge_jwt)["credentialSubject"]
    assert subject["id"].startswith("urn:uuid:")
    email = certificate.enrolment.participant.email
    hashed = next(i for i in subject["identifier"] if i["identityType"] == "emailAddress")
    assert hashed["hashed"] is True
    expected = hashlib.sha256((email.lower() + hashed["salt"]).encode()).hexdigest()
    assert hashed["identityHash"] == f"sha256${expected}"
    assert email not in certificate.badge_jwt
    # The same person's next badge has the same subject id, another person's another.
    again = reissue_certificate(certificate=certificate, actor=None, reason="Name korrigiert")
    assert from_token(again.badge_jwt)["credentialSubject"]["id"] == subject["id"]
    other = issue_certificate(enrolment=make_enrolment(first_name="Lena"), actor=None)
    assert from_token(other.badge_jwt)["credentialSubject"]["id"] != subject["id"]


def test_the_badge_has_an_image_the_site_serves(certificate, client):
    credential = from_token(certificate.badge_jwt)
    image = credential["credentialSubject"]["achievement"]["image"]
    response = _get(client, image["id"])
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_hours_in_the_badge_are_printed_as_on_the_pdf(certificate):
    criteria = from_token(certificate.badge_jwt)["credentialSubject"]["achievement"]["criteria"]
    assert "16 Unterrichtsstunden" in criteria["narrative"]
    assert "80 %" in criteria["narrative"]
