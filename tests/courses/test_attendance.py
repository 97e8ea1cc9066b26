"""Attendance by the instructor (tablet page, htmx per participant) and by self check-in."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, DomainEvent
from courses.errors import AttendanceNotAllowed, CheckInClosed
from courses.models import Attendance, Enrolment, Session
from courses.services import planning
from courses.services.attendance import ensure_checkin_token, record_attendance, self_check_in
from tests.courses.planning_fixtures import make_plan
from tests.factories import EnrolmentFactory, trainee

pytestmark = pytest.mark.django_db


def _session_now(plan, *, starts_in_minutes=10, hours=3):
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(
        minutes=starts_in_minutes
    )
    return planning.add_session(
        run=plan.run, start=start, end=start + dt.timedelta(hours=hours), actor=None
    )


@pytest.fixture
def plan():
    return make_plan(units=0)


def test_record_attendance_writes_audit_and_event_with_the_chamber(plan):
    session = _session_now(plan)
    enrolment = EnrolmentFactory(run=plan.run)
    attendance = record_attendance(
        session=session,
        enrolment=enrolment,
        status="absent",
        reason="krank gemeldet",
        actor=plan.instructor,
    )
    assert (attendance.status, attendance.reason, attendance.recorded_by) == (
        "absent",
        "krank gemeldet",
        plan.instructor,
    )
    event = DomainEvent.objects.get(type="attendance.recorded")
    assert event.payload["id"] == attendance.pk and event.payload["status"] == "absent"
    assert event.payload["enrolment"] == enrolment.pk and event.payload["session"] == session.pk
    assert event.chamber_id == enrolment.business.chamber_id
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 1
    # changing the mark updates the same row, with a second event
    record_attendance(session=session, enrolment=enrolment, status="present", actor=plan.instructor)
    assert Attendance.objects.get().status == "present"
    assert DomainEvent.objects.filter(type="attendance.recorded").count() == 2


def test_attendance_for_another_run_or_a_cancelled_enrolment_is_refused(plan):
    session = _session_now(plan)
    stranger = EnrolmentFactory()
    with pytest.raises(AttendanceNotAllowed):
        record_attendance(session=session, enrolment=stranger, status="present", actor=None)
    cancelled = EnrolmentFactory(run=plan.run, status=Enrolment.Status.CANCELLED)
    with pytest.raises(AttendanceNotAllowed):
        record_attendance(session=session, enrolment=cancelled, status="present", actor=None)
    assert not Attendance.objects.exists() and not DomainEvent.objects.exists()


def test_instructor_marks_participants_one_by_one_with_htmx(client, plan):
    session = _session_now(plan)
    anna, ben = EnrolmentFactory(run=plan.run), EnrolmentFactory(run=plan.run)
    client.force_login(plan.instructor)
    page = client.get(reverse("courses:staff_attendance", args=[session.pk])).content.decode()
    assert f'id="attendance-{anna.pk}"' in page and 'hx-post="' in page
    url = reverse("courses:staff_attendance_mark", args=[session.pk, anna.pk])
    response = client.post(
        url, {"status": "excused", "reason": "Berufsschule"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.strip().startswith("<li") and "Gespeichert" in fragment
    assert "<html" not in fragment  # only the row is swapped, no reload
    mark = Attendance.objects.get(enrolment=anna)
    assert (mark.status, mark.reason, mark.method) == ("excused", "Berufsschule", "manual")
    assert not Attendance.objects.filter(enrolment=ben).exists()
    # an invalid status: the row comes back with a German message, nothing saved
    response = client.post(
        reverse("courses:staff_attendance_mark", args=[session.pk, ben.pk]),
        {"status": "vielleicht"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "gültige" in response.content.decode() and "kern-error" in response.content.decode()
    assert not Attendance.objects.filter(enrolment=ben).exists()


def test_attendance_without_htmx_redirects_back(client, plan):
    session = _session_now(plan)
    enrolment = EnrolmentFactory(run=plan.run)
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("courses:staff_attendance_mark", args=[session.pk, enrolment.pk]),
        {"status": "present"},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(enrolment=enrolment).recorded_by == plan.coordinator


def test_other_instructors_and_participants_cannot_mark(client, plan):
    session = _session_now(plan)
    enrolment = EnrolmentFactory(run=plan.run)
    other = make_plan(units=0).instructor
    for user in (other, enrolment.participant):
        client.force_login(user)
        response = client.post(
            reverse("courses:staff_attendance_mark", args=[session.pk, enrolment.pk]),
            {"status": "present"},
        )
        assert response.status_code == 403
    assert not Attendance.objects.exists()


# --- self check-in -----------------------------------------------------------------------------


def test_participant_checks_in_by_qr_inside_the_window(client, plan):
    session = _session_now(plan, starts_in_minutes=20)  # window opens 30 min before: open now
    enrolment = EnrolmentFactory(run=plan.run)
    client.force_login(plan.instructor)
    qr_page = client.get(reverse("courses:staff_checkin_qr", args=[session.pk])).content.decode()
    assert "<svg" in qr_page and f"/checkin/{session.checkin_token}/" in qr_page
    client.force_login(enrolment.participant)
    response = client.get(reverse("courses:checkin", args=[session.checkin_token]))
    assert response.status_code == 200
    assert "Sie sind eingecheckt" in response.content.decode()
    mark = Attendance.objects.get(enrolment=enrolment, session=session)
    assert (mark.status, mark.method) == ("present", "self_checkin")
    assert DomainEvent.objects.filter(type="attendance.recorded").count() == 1


def test_check_in_too_early_too_late_or_without_enrolment_is_refused(client, plan):
    session = _session_now(plan, starts_in_minutes=120)
    enrolment = EnrolmentFactory(run=plan.run)
    client.force_login(enrolment.participant)
    response = client.get(reverse("courses:checkin", args=[session.checkin_token]))
    assert response.status_code == 409
    assert "Der Check-in öffnet erst am" in response.content.decode()
    with pytest.raises(CheckInClosed, match="vorbei"):
        self_check_in(
            token=session.checkin_token,
            user=enrolment.participant,
            now=session.end + dt.timedelta(minutes=1),
        )
    with pytest.raises(CheckInClosed, match="keine bestätigte Anmeldung"):
        self_check_in(token=session.checkin_token, user=trainee(), now=session.start)
    with pytest.raises(CheckInClosed, match="ungültig"):
        self_check_in(token="falsch", user=enrolment.participant, now=session.start)
    assert not Attendance.objects.exists()


def test_check_in_needs_a_login(client, plan):
    session = _session_now(plan)
    response = client.get(reverse("courses:checkin", args=[session.checkin_token]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_session_without_a_check_in_code_gets_one_and_keeps_it(plan):
    session = _session_now(plan)
    Session.objects.filter(pk=session.pk).update(checkin_token="")
    stale = Session.objects.get(pk=session.pk)
    token = ensure_checkin_token(session=stale)
    assert len(token) >= 24
    # a second page opened with the stale row shows the same code, not a new one
    again = Session.objects.get(pk=session.pk)
    again.checkin_token = ""
    assert ensure_checkin_token(session=again) == token
    assert Session.objects.get(pk=session.pk).checkin_token == token
