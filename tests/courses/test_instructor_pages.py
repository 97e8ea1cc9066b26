"""What an instructor may see and do: the runs they teach with their participants, the attendance
rules (not before the session starts, all present, partial minutes in the hours) and the
equipment page a QR label opens."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, OutboxEmail
from courses.errors import AttendanceNotAllowed
from courses.hours import as_hours, present_minutes
from courses.models import Attendance, CourseRun, Enrolment
from courses.services.attendance import mark_all_present, record_attendance
from tests.factories import (
    EnrolmentFactory,
    EquipmentFactory,
    SessionFactory,
    instructor,
)
from workshops.models import Equipment

pytestmark = pytest.mark.django_db


def _run_with_session(*, starts_in: dt.timedelta, teacher=None):
    start = timezone.now().replace(microsecond=0) + starts_in
    session = SessionFactory(
        run__instructor=teacher, start=start, end=start + dt.timedelta(hours=4)
    )
    if teacher is None:
        session.run.instructor = instructor(session.run.school)
        session.run.save()
        session.instructor = session.run.instructor
        session.save()
    return session.run, session


def test_attendance_for_a_session_not_started_is_refused_naming_when_it_opens():
    run, session = _run_with_session(starts_in=dt.timedelta(hours=3))
    enrolment = EnrolmentFactory(run=run)
    with pytest.raises(AttendanceNotAllowed) as caught:
        record_attendance(session=session, enrolment=enrolment, status="present", actor=None)
    assert "noch nicht begonnen" in caught.value.message
    with pytest.raises(AttendanceNotAllowed):
        mark_all_present(session=session, actor=None)
    assert not Attendance.objects.exists()


def test_all_present_marks_only_those_without_a_mark():
    run, session = _run_with_session(starts_in=dt.timedelta(minutes=-5))
    absent, first, second = (EnrolmentFactory(run=run) for _ in range(3))
    EnrolmentFactory(run=run, status=Enrolment.Status.CANCELLED)
    record_attendance(session=session, enrolment=absent, status="absent", actor=None)
    assert mark_all_present(session=session, actor=run.instructor) == 2
    marks = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert marks == {absent.pk: "absent", first.pk: "present", second.pk: "present"}
    assert AuditEntry.objects.filter(action="attendance.all_present").count() == 1
    assert mark_all_present(session=session, actor=run.instructor) == 0


def test_partial_minutes_count_in_the_hours():
    run, session = _run_with_session(starts_in=dt.timedelta(minutes=-5))
    enrolment = EnrolmentFactory(run=run)
    mark = record_attendance(
        session=session, enrolment=enrolment, status="present", minutes=90, actor=None
    )
    counted = present_minutes(session=session, status=mark.status, minutes=mark.minutes)
    assert as_hours(counted) == Decimal("1.50")


def test_attendance_page_posts_minutes_and_shows_the_count(client):
    run, session = _run_with_session(starts_in=dt.timedelta(minutes=-5))
    a, b = EnrolmentFactory(run=run), EnrolmentFactory(run=run)
    client.force_login(run.instructor)
    url = reverse("courses:staff_attendance_mark", args=[session.pk, a.pk])
    response = client.post(url, {"minutes": "45", "reason": "kam später"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "1 von 2 anwesend" in response.content.decode()
    assert Attendance.objects.get(enrolment=a).minutes == 45
    client.post(reverse("courses:staff_attendance_all_present", args=[session.pk]))
    page = client.get(reverse("courses:staff_attendance", args=[session.pk])).content.decode()
    assert "2 von 2 anwesend" in page
    assert reverse("courses:staff_taught_run", args=[run.pk]) in page
    assert Attendance.objects.get(enrolment=b).status == "present"


def test_attendance_page_of_a_future_session_says_when_it_opens(client):
    run, session = _run_with_session(starts_in=dt.timedelta(days=2))
    EnrolmentFactory(run=run)
    client.force_login(run.instructor)
    page = client.get(reverse("courses:staff_attendance", args=[session.pk])).content.decode()
    assert "hat noch nicht begonnen" in page and 'data-testid="all-present"' not in page


def test_instructor_sees_own_run_with_participants_and_not_another(client):
    run, session = _run_with_session(starts_in=dt.timedelta(minutes=-5))
    enrolment = EnrolmentFactory(run=run)
    record_attendance(session=session, enrolment=enrolment, status="present", actor=None)
    other_run, _ = _run_with_session(starts_in=dt.timedelta(days=1))
    client.force_login(run.instructor)
    mine = client.get(reverse("courses:staff_taught_run", args=[run.pk]))
    assert mine.status_code == 200
    text = mine.content.decode()
    assert enrolment.participant.get_full_name() in text
    assert "anwesend bei 1 von 1 Termin" in text
    assert client.get(reverse("courses:staff_taught_run", args=[other_run.pk])).status_code == 403
    my_sessions = client.get(reverse("courses:staff_my_sessions")).content.decode()
    assert reverse("courses:staff_taught_run", args=[run.pk]) in my_sessions
    # and the coordinator's planning page stays closed to the instructor
    assert client.get(reverse("courses:staff_run_detail", args=[run.pk])).status_code == 403
    assert run.status == CourseRun.Status.PUBLISHED


def test_equipment_page_from_the_qr_label_opens_for_the_schools_instructor_only(client):
    item = EquipmentFactory()
    own = instructor(item.school)
    stranger = instructor()
    client.force_login(own)
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Defekt melden" in text
    assert reverse("workshops:equipment_edit", args=[item.pk]) not in text
    assert client.get(reverse("workshops:equipment_edit", args=[item.pk])).status_code == 403
    assert (
        client.post(
            reverse("workshops:equipment_status", args=[item.pk]), {"status": "retired"}
        ).status_code
        == 403
    )
    client.force_login(stranger)
    assert client.get(item.get_absolute_url()).status_code == 403
    assert (
        client.post(
            reverse("workshops:equipment_report_defect", args=[item.pk]), {"note": "x"}
        ).status_code
        == 403
    )


def test_instructor_reports_a_defect_and_the_coordinators_hear_of_it(client):
    from tests.factories import coordinator

    item = EquipmentFactory()
    boss = coordinator(item.school)
    client.force_login(instructor(item.school))
    url = reverse("workshops:equipment_report_defect", args=[item.pk])
    assert client.post(url, {"note": ""}).status_code == 400
    item.refresh_from_db()
    assert item.status == Equipment.Status.AVAILABLE
    response = client.post(url, {"note": "Düse verstopft"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Equipment.Status.DEFECTIVE and "Düse verstopft" in item.notes
    mail = OutboxEmail.objects.get()
    assert boss.email in mail.to and "Düse verstopft" in mail.body
