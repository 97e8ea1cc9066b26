"""The data a certificate prints, frozen at issue time into `Certificate.data`.

Everything the PDF, the verification page and the Open Badges credential show comes from this dict,
so a later change of the course, run, school or participant changes no issued certificate."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import router
from django.db.models import QuerySet
from django.utils import timezone

from core.links import absolute_url
from core.precompiled import Placeholders, Precompiled
from core.roundtrip import RoundTrip
from courses.hours import present_minutes, run_hours, scheduled_sessions
from courses.models import Attendance, Enrolment, Session
from people.models import School

# 2: the recipient's stable id and hashed e-mail for the Open Badge.
# 3: "sessions" are the sessions the person attended; "attendance" sums them up.
DATA_VERSION = 3


def verification_url(code: str) -> str:
    return absolute_url("certificates:verify", code)


def hours_text(value: str, language: str) -> str:
    """Course hours as printed: "16.0" → "16", "7.5" → "7,5" in German. The PDF, the badge and
    the verification page all print them through here."""
    text = value.rstrip("0").rstrip(".") if "." in value else value
    return text.replace(".", ",") if language == "de" else text


def recipient(*, enrolment: Enrolment) -> dict:
    """How the Open Badge names its recipient, as Open Badges 3.0 recommends: a stable id that is
    the same on every badge of the person (no e-mail or name in it), and the e-mail address
    salted and hashed, so that a verifier who knows the address can match it."""
    participant = enrolment.participant
    who = f"participants/{participant.pk}" if participant else f"enrolments/{enrolment.pk}"
    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/{who}")
    email = (participant.email if participant else "").strip().lower()
    salt = secrets.token_hex(8)
    return {
        "id": f"urn:uuid:{stable}",
        "email_sha256": hashlib.sha256((email + salt).encode()).hexdigest() if email else "",
        "salt": salt if email else "",
    }


def _school(school: School) -> dict:
    return {
        "id": school.pk,
        "name": school.name,
        "code": school.code,
        "street": school.street,
        "postal_code": school.postal_code,
        "city": school.city,
        "wording": school.certificate_wording,
        "signatory": school.certificate_signatory,
        # Storage names, not bytes: a replaced file gets a new name, the old one stays
        # (see pdf.load_images).
        "logo": school.certificate_logo.name or "",
        "signature": school.certificate_signature.name or "",
    }


def language_of(enrolment: Enrolment) -> str:
    participant = enrolment.participant
    language = getattr(participant, "language", "") or "de"
    return language if language in ("de", "en") else "de"


def build_data(
    *,
    enrolment: Enrolment,
    number: str,
    code: str,
    issued_at: dt.datetime,
    present: dict[int, int] | None = None,
) -> dict:
    """`present`: the enrolment's attendance as `read_attendance` read it (under the lock the
    caller holds), or None to read it here."""
    run = enrolment.run
    course = run.course
    school = run.school
    participant = enrolment.participant
    sessions = scheduled_sessions(run)
    if present is None:
        present = _recorded(enrolment, sessions)
    attended, attendance = _attended(present, sessions)
    name = (participant.get_full_name() if participant else "") or enrolment.participant_name
    instructor = run.instructor.get_full_name() if run.instructor_id else ""
    return {
        "version": DATA_VERSION,
        "language": language_of(enrolment),
        "number": number,
        "verification_code": code,
        "verification_url": verification_url(code),
        "issued_at": timezone.localtime(issued_at).isoformat(),
        "participant": {
            "id": enrolment.participant_id,
            "name": name,
            "date_of_birth": participant.date_of_birth.isoformat()
            if participant and participant.date_of_birth
            else None,
        },
        "recipient": recipient(enrolment=enrolment),
        "enrolment": {"id": enrolment.pk, "completed_at": _iso(enrolment.completed_at)},
        "course": {
            "id": course.pk,
            "title": f"{course.title} {run.title_suffix}".strip(),
            "description": course.summary or course.description[:300],
            "hours": str(run_hours(run, sessions)),
            "learning_outcomes": course.learning_outcome_list,
            "attendance_threshold": course.attendance_threshold,
        },
        "run": {"id": run.pk, "starts_at": _iso(run.starts_at), "ends_at": _iso(run.ends_at)},
        "sessions": attended,
        "attendance": attendance,
        "school": _school(school),
        "district": {"name": school.district.name},
        "instructor": instructor,
    }


def _present_query(p: Placeholders, alias: str, sessions: int) -> QuerySet:
    return (
        Attendance.objects.using(alias)
        .filter(
            enrolment_id=p.id("enrolment"),
            status=Attendance.Status.PRESENT,
            session_id__in=[p.id(f"session{i}") for i in range(sessions)],
        )
        .values_list("session_id", "minutes")
    )


# Compiled once per number of sessions: it runs for every certificate of a bulk job.
_present = Precompiled(_present_query, prepared=True)


def read_attendance(
    trip: RoundTrip, *, enrolment_id: int, sessions: list[Session]
) -> list[tuple[int, int]]:
    """A list that `trip.run()` fills with the (session id, minutes) the enrolment was present
    at among `sessions` (the run's scheduled ones), for `build_data(present=dict(…))`."""
    if not sessions:
        return []
    ids = {f"session{i}": session.pk for i, session in enumerate(sessions)}
    return trip.rows(_present, len(ids), enrolment=enrolment_id, **ids)


def _recorded(enrolment: Enrolment, sessions: list[Session]) -> dict[int, int]:
    trip = RoundTrip(router.db_for_read(Attendance))
    present = read_attendance(trip, enrolment_id=enrolment.pk, sessions=sessions)
    trip.run()
    return dict(present)


def _attended(recorded: dict[int, int], sessions: list[Session]) -> tuple[list[dict], dict]:
    """The sessions the person was present at (with the minutes, a partial presence counted as
    recorded) and the sum: a certificate names only what its holder attended. `sessions`: the
    run's scheduled sessions in order (the caller has them)."""
    attended, total = [], 0
    for session in sessions:
        if session.pk not in recorded:
            continue
        minutes = present_minutes(
            session=session, status=Attendance.Status.PRESENT, minutes=recorded[session.pk]
        )
        total += minutes
        attended.append(
            {"start": _iso(session.start), "end": _iso(session.end), "minutes": minutes}
        )
    hours = f"{total / 60:.2f}".rstrip("0").rstrip(".")
    return attended, {"hours": hours, "sessions": len(attended), "sessions_total": len(sessions)}


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def sample_data(*, school: School, language: str = "de") -> dict:
    """A made-up certificate for the settings preview: the school's wording, the rest fixed."""
    now = timezone.localtime()
    first = now.replace(hour=8, minute=0, second=0, microsecond=0) - dt.timedelta(days=14)
    sessions = [
        {"start": (first + dt.timedelta(days=7 * i)).isoformat(), "end": None} for i in range(3)
    ]
    return {
        "version": DATA_VERSION,
        "language": language,
        "number": f"{school.code}-{now.year}-00000",
        "verification_code": "MUSTER",
        "verification_url": verification_url("MUSTER"),
        "issued_at": now.isoformat(),
        "participant": {"id": None, "name": "Jürgen Weiß-Müller", "date_of_birth": "2005-03-14"},
        "enrolment": {"id": None, "completed_at": None},
        "course": {
            "id": None,
            "title": "Einführung in die SPS-Programmierung",
            "description": "Muster",
            "hours": "16",
            "learning_outcomes": [
                "Aufbau einer SPS erklären",
                "Einfache Ablaufsteuerungen programmieren",
                "Fehler systematisch suchen",
            ],
            "attendance_threshold": 80,
        },
        "run": {"id": None, "starts_at": sessions[0]["start"], "ends_at": sessions[-1]["start"]},
        "sessions": sessions,
        "attendance": {"hours": "16", "sessions": 3, "sessions_total": 3},
        "school": _school(school),
        "district": {"name": school.district.name},
        "instructor": "Özlem Yılmaz",
        "sample": True,
    }
