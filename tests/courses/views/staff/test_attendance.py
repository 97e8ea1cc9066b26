"""The instructor's attendance list (htmx per participant); self check-in is in test_checkin.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendance
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import EnrolmentFactory

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
