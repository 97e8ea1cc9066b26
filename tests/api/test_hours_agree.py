"""The same attendance shows the same hours on the certificate PDF, in its Open Badge, in the ÜLU
report (API and staff CSV) and in the MOOChub feed: all count through courses.hours.

The run's two sessions last 7.5 hours each; the course's planning figure says 16. What takes place
counts: 15 everywhere (before, the PDF said 16, the ÜLU report 15,0 and MOOChub PT16H)."""

from decimal import Decimal

import pytest

from certificates.badge import from_token
from certificates.services import issue_certificate
from courses.hours import as_hours, present_minutes, run_hours
from courses.models import Attendance, Session
from tests.certificates.conftest import pdf_text
from tests.factories import (
    CourseFactory,
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    coordinator,
)
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(apprentice):
    course = CourseFactory(hours=Decimal("16"))
    run = CourseRunFactory(course=course, capacity=5, min_participants=0)
    sessions = [
        SessionFactory(run=run, start=day_at(day, 8), end=day_at(day, 15, 30)) for day in (21, 22)
    ]
    enrolment = EnrolmentFactory(run=run, participant=apprentice.user, status="completed")
    for session in sessions:
        Attendance.objects.create(enrolment=enrolment, session=session, status="present")
    return run, enrolment


def test_pdf_badge_uelu_and_moochub_show_the_same_hours(api, client, attended):
    run, enrolment = attended
    certificate = issue_certificate(enrolment=enrolment, actor=None)

    assert "15 Unterrichtsstunden" in pdf_text(certificate.pdf.path)
    narrative = from_token(certificate.badge_jwt)["credentialSubject"]["achievement"]["criteria"]
    assert "der 15 Unterrichtsstunden" in narrative["narrative"]

    report = api.get(f"/api/v1/runs/{run.pk}/uelu-report/").json()
    assert report["course_hours"] == 15.0
    assert report["participants"][0]["hours_attended"] == 15.0

    client.force_login(coordinator(school=run.school))
    csv_text = client.get(f"/staff/reports/runs/{run.pk}/uelu.csv").content.decode("utf-8-sig")
    assert csv_text.strip().splitlines()[1].endswith(";15,0")

    feed = client.get("/api/v1/moochub/courses/").json()
    (record,) = [r for r in feed["data"] if r["attributes"]["url"].endswith(f"/runs/{run.pk}/")]
    assert record["attributes"]["duration"] == "PT15H"


def test_a_run_without_sessions_falls_back_to_the_course_figure(db):
    run = CourseRunFactory(course=CourseFactory(hours=Decimal("7.5")))
    assert run_hours(run) == Decimal("7.50")


def test_cancelled_sessions_do_not_count_and_partial_presence_is_capped(attended):
    run, _enrolment = attended
    first, second = run.sessions.order_by("start")
    second.status = Session.Status.CANCELLED
    second.save()
    assert run_hours(run) == Decimal("7.50")
    assert present_minutes(session=first, status="present", minutes=900) == 450
    assert present_minutes(session=first, status="present", minutes=None) == 450
    assert present_minutes(session=first, status="excused", minutes=None) == 0
    assert as_hours(440) == Decimal("7.33")
