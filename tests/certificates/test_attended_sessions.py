"""The certificate prints what the person attended: the sessions they were present at and the
hours, not every session of the run (someone who missed one must not be certified for it)."""

import datetime as dt

import pytest
from django.utils import timezone

from certificates.services import issue_certificate
from courses.models import Attendance, Session

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_sessions(run):
    start = timezone.make_aware(dt.datetime(2026, 3, 16, 8, 0))
    Session.objects.create(
        run=run, start=start, end=start + dt.timedelta(hours=8), workshop=run.workshop
    )
    return list(run.sessions.order_by("start"))


def test_missed_session_is_not_printed_and_attended_hours_are(make_enrolment, three_sessions):
    first, second, third = three_sessions
    enrolment = make_enrolment(attended=[])
    Attendance.objects.create(enrolment=enrolment, session=first, status="present")
    Attendance.objects.create(enrolment=enrolment, session=second, status="absent")
    Attendance.objects.create(enrolment=enrolment, session=third, status="present", minutes=270)

    certificate = issue_certificate(enrolment=enrolment, actor=None)

    sessions = certificate.data["sessions"]
    assert [s["start"][:10] for s in sessions] == ["2026-03-02", "2026-03-16"]
    assert certificate.data["attendance"] == {
        "hours": "12.5",
        "sessions": 2,
        "sessions_total": 3,
    }
    text = " ".join(pdf_text(certificate.pdf.path).split())
    assert "02.03.2026, 16.03.2026" in text
    assert "09.03.2026" not in text
    assert "12,5 Stunden an 2 von 3 Terminen" in text
    # The wording no longer claims the person covered every session of the run.
    assert "umfasste die unten genannten Termine" not in text
    assert "besuchten Termine" in text


def test_english_certificate_prints_attended_hours(make_enrolment, three_sessions):
    enrolment = make_enrolment(language="en")
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    text = " ".join(pdf_text(certificate.pdf.path).split())
    assert "24 hours at 3 of 3 sessions" in text
