"""The attendance service: a mark by the instructor and the self check-in, with their rules."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, DomainEvent
from courses.errors import AttendanceNotAllowed, CheckInClosed
from courses.models import Attendance, Enrolment
from courses.services import planning
from courses.services.attendance import record_attendance
from courses.services.checkin import checkin_code, self_check_in
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


def test_check_in_too_early_too_late_or_without_enrolment_is_refused(client, plan):
    session = _session_now(plan, starts_in_minutes=120)
    enrolment = EnrolmentFactory(run=plan.run)
    client.force_login(enrolment.participant)
    response = client.post(
        reverse("courses:checkin", args=[session.pk]), {"code": checkin_code(session)}
    )
    assert response.status_code == 409
    assert "Der Check-in öffnet erst am" in response.content.decode()
    late = session.end + dt.timedelta(minutes=1)
    with pytest.raises(CheckInClosed, match="vorbei"):
        self_check_in(
            session=session,
            code=checkin_code(session, now=late),
            user=enrolment.participant,
            now=late,
        )
    code = checkin_code(session, now=session.start)
    with pytest.raises(CheckInClosed, match="keine bestätigte Anmeldung"):
        self_check_in(session=session, code=code, user=trainee(), now=session.start)
    assert not Attendance.objects.exists()
