"""The certificate as an Open Badges 3.0 OpenBadgeCredential, secured as a VC-JWT.

Built only from the frozen `Certificate.data` and signed once, at issue: the signed token is stored
on the certificate and embedded in its PDF, and revocation changes neither (it sets the
credential's bit in the status list, see `certificates.status_list`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import status_list
from .signing import sign_jwt, unverified_payload
from .snapshot import hours_text

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
# No `credentialSchema`: the type Open Badges 3.0 prescribes for it (1EdTechJsonSchemaValidator2019)
# is defined in neither context-3.0.3.json nor the VC 2.0 context, so JSON-LD processors drop it;
# verifiers pick the OB schema from the context and type instead.
# The registered JWT claims Open Badges 3.0 §8.2.3 adds to the credential in the payload.
JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp", "iat")
MEDIA_TYPE = "application/jwt"


def absolute(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def issuer_id(school_id) -> str:
    """The issuing school's Profile, served as JSON-LD at this URL."""
    return absolute("certificates:issuer", school_id)


def _utc(value: str) -> str:
    moment = dt.datetime.fromisoformat(value).astimezone(dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def _achievement_id(data: dict) -> str:
    # A stable URI per course; a URN because the course has no public page of its own.
    seed = f"{settings.SITE_URL}/courses/{data['course'].get('id')}/"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _identifiers(data: dict) -> list[dict]:
    recipient = data.get("recipient") or {}
    identifiers = []
    if recipient.get("email_sha256"):
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": f"sha256${recipient['email_sha256']}",
                "salt": recipient["salt"],
            }
        )
    # The name is printed on the certificate and shown on the verification page already.
    identifiers.append(
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": data["participant"]["name"],
        }
    )
    return identifiers


def _issuer(data: dict) -> dict:
    school = data["school"]
    issuer = {
        "id": issuer_id(school["id"]),
        "type": ["Profile"],
        "name": school["name"],
        "url": settings.SITE_URL,
    }
    if school.get("city"):
        issuer["address"] = {
            "type": ["Address"],
            "streetAddress": school.get("street", ""),
            "postalCode": school.get("postal_code", ""),
            "addressLocality": school["city"],
            "addressCountry": "DE",
        }
    return issuer


def credential(data: dict) -> dict:
    """The OpenBadgeCredential of the frozen certificate data (without proof)."""
    language = data.get("language", "de")
    with translation.override(language):
        return _credential(data, language)


def _credential(data: dict, language: str) -> dict:
    url = data["verification_url"]
    course = data["course"]
    hours = hours_text(course["hours"], language)
    outcomes = "; ".join(course.get("learning_outcomes", []))
    narrative = _("Teilnahme an mindestens %(threshold)s %% der %(hours)s Unterrichtsstunden.") % {
        "threshold": course.get("attendance_threshold", 80),
        "hours": hours,
    }
    if outcomes:
        narrative += " " + _("Lernziele: %(outcomes)s") % {"outcomes": outcomes}
    image = {
        "id": absolute("certificates:badge_image"),
        "type": "Image",
        "caption": _("Teilnahmebescheinigung"),
    }
    subject = {
        "type": ["AchievementSubject"],
        "identifier": _identifiers(data),
        "achievement": {
            "id": _achievement_id(data),
            "type": ["Achievement"],
            "achievementType": "Course",
            "name": course["title"],
            "description": course.get("description") or course["title"],
            "criteria": {"narrative": narrative},
            "image": image,
            "inLanguage": language,
        },
    }
    if data.get("recipient"):
        subject = {"id": data["recipient"]["id"], **subject}
    sessions = data.get("sessions") or []
    if sessions:
        subject["activityStartDate"] = sessions[0]["start"]
        subject["activityEndDate"] = sessions[-1].get("end") or sessions[-1]["start"]
    result = {
        "@context": OB_CONTEXT,
        "id": f"{url}badge.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{_('Teilnahmebescheinigung')} {data['number']}: {course['title']}",
        "image": image,
        "issuer": _issuer(data),
        "validFrom": _utc(data["issued_at"]),
        "credentialSubject": subject,
    }
    if data.get("status"):
        entry = status_list.Entry(**data["status"])
        result["credentialStatus"] = status_list.credential_status(entry)
    return result


def sign(credential: dict) -> str:
    """The credential as a Compact JWS: the credential is the JWT payload, with iss, jti, nbf and
    sub repeating its issuer, id, validFrom and subject as Open Badges 3.0 §8.2.3 asks."""
    valid_from = dt.datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    payload = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(valid_from.timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }
    return sign_jwt(payload)


def from_token(token: str) -> dict:
    """The credential inside a token this site signed."""
    payload = unverified_payload(token)
    return {key: value for key, value in payload.items() if key not in JWT_CLAIMS}
