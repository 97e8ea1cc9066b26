"""Who may open which page of the staff area: per role, and per school or district."""

import pytest
from django.urls import reverse

from courses.models import CourseRun
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import (
    CourseRunFactory,
    MembershipFactory,
    SchoolFactory,
    business_contact,
    coordinator,
    trainee,
)
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


def _urls(plan, session):
    return [
        reverse("courses:staff_run_detail", args=[plan.run.pk]),
        reverse("courses:staff_run_edit", args=[plan.run.pk]),
        reverse("courses:staff_session_create", args=[plan.run.pk]),
        reverse("courses:staff_series_create", args=[plan.run.pk]),
        reverse("courses:staff_session_edit", args=[session.pk]),
        reverse("courses:staff_course_edit", args=[plan.run.course.pk]),
    ]


def test_coordinator_of_another_school_instructor_trainee_and_business_get_403(client):
    plan = make_plan(units=0)
    session = planning.add_session(
        run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=None
    )
    other_coordinator = coordinator(SchoolFactory())
    for user in (other_coordinator, plan.instructor, trainee(), business_contact()):
        client.force_login(user)
        for url in _urls(plan, session):
            assert client.get(url).status_code == 403, (user, url)
    # a foreign coordinator cannot change status either
    client.force_login(other_coordinator)
    response = client.post(
        reverse("courses:staff_run_status", args=[plan.run.pk]), {"action": "publish"}
    )
    assert response.status_code == 403
    assert CourseRun.objects.get(pk=plan.run.pk).status == CourseRun.Status.DRAFT
    # anonymous: to the login page
    client.logout()
    response = client.get(reverse("courses:staff_dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_own_coordinator_sees_every_page(client):
    plan = make_plan(units=0)
    session = planning.add_session(
        run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=None
    )
    client.force_login(plan.coordinator)
    for url in _urls(plan, session) + [
        reverse("courses:staff_dashboard"),
        reverse("courses:staff_course_list"),
        reverse("courses:staff_run_list"),
        reverse("courses:staff_calendar_week"),
        reverse("courses:staff_calendar_month"),
        reverse("courses:staff_feed_list"),
        reverse("courses:staff_attendance", args=[session.pk]),
        reverse("courses:staff_checkin_qr", args=[session.pk]),
        reverse("courses:staff_course_create"),
        reverse("courses:staff_run_create"),
    ]:
        assert client.get(url).status_code == 200, url


def test_instructor_sees_only_own_sessions(client):
    plan = make_plan(units=0)
    mine = planning.add_session(run=plan.run, start=day_at(2, 8), end=day_at(2, 12), actor=None)
    colleague = MembershipFactory(role="instructor", school=plan.school).user
    theirs = planning.add_session(
        run=CourseRunFactory(course__school=plan.school, school=plan.school, instructor=colleague),
        start=day_at(3, 8),
        end=day_at(3, 12),
        actor=None,
    )
    client.force_login(plan.instructor)
    page = client.get(reverse("courses:staff_my_sessions")).content.decode()
    assert plan.run.course.title in page and theirs.run.course.title not in page
    assert client.get(reverse("courses:staff_attendance", args=[mine.pk])).status_code == 200
    assert client.get(reverse("courses:staff_attendance", args=[theirs.pk])).status_code == 403
    week = client.get(reverse("courses:staff_calendar_week") + f"?date={day_at(2):%Y-%m-%d}")
    assert plan.run.course.title in week.content.decode()
    assert theirs.run.course.title not in week.content.decode()
    # instructors do not manage runs, courses or equipment
    assert client.get(reverse("courses:staff_run_list")).status_code == 403
    assert client.get(reverse("courses:staff_course_list")).status_code == 403
    assert client.get(reverse("workshops:equipment_list")).status_code == 403


def test_district_admin_manages_every_school_of_the_district_only(client):
    from tests.factories import DistrictFactory, district_admin

    plan = make_plan(units=0)
    admin = district_admin(plan.school.district)
    client.force_login(admin)
    assert client.get(reverse("courses:staff_run_detail", args=[plan.run.pk])).status_code == 200
    elsewhere = make_plan(units=0, school=SchoolFactory(district=DistrictFactory(code="anderswo")))
    assert (
        client.get(reverse("courses:staff_run_detail", args=[elsewhere.run.pk])).status_code == 403
    )
