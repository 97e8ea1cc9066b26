"""The coordinator's journey in the browser (Django test client) and access per role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from courses.models import Course, CourseRun, Session
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import (
    CourseRunFactory,
    EquipmentFactory,
    EquipmentTypeFactory,
    MembershipFactory,
    SchoolFactory,
    TopicFactory,
    WorkshopFactory,
    business_contact,
    coordinator,
    trainee,
)
from tests.timeutils import day_at, form_datetime, next_monday
from workshops.models import EquipmentReservation

pytestmark = pytest.mark.django_db


def test_coordinator_plans_a_run_with_a_weekly_series_sees_a_conflict_and_publishes(client):
    school = SchoolFactory()
    user = coordinator(school)
    workshop = WorkshopFactory(school=school, seats=16, name="Lernwerkstatt Metall")
    laser = EquipmentTypeFactory(name="Laserschneider", participants_per_unit=4)
    for _ in range(3):
        EquipmentFactory(workshop=workshop, type=laser)
    topic = TopicFactory()
    client.force_login(user)

    # 1. a course that needs laser cutters
    response = client.post(
        reverse("courses:staff_course_create"),
        {
            "school": school.pk,
            "topic": topic.pk,
            "title": "Lasern für das Handwerk",
            "level": "beginner",
            "target_group": "both",
            "hours": "24",
            "attendance_threshold": "80",
            "equipment_types": [laser.pk],
            "is_active": "on",
        },
    )
    course = Course.objects.get(title="Lasern für das Handwerk")
    assert response.status_code == 302
    assert list(course.equipment_types.all()) == [laser]

    # 2. a run: capacity 14, but 3 lasers × 4 = 12 seats
    response = client.post(
        reverse("courses:staff_run_create_for", args=[course.pk]),
        {
            "workshop": workshop.pk,
            "capacity": "14",
            "min_participants": "4",
            "booking_opens_at": form_datetime(timezone.now() - dt.timedelta(days=1)),
            "booking_closes_at": form_datetime(timezone.now() + dt.timedelta(days=20)),
            "cancellation_deadline": form_datetime(timezone.now() + dt.timedelta(days=18)),
            "price_business": "120.00",
        },
    )
    run = CourseRun.objects.get(course=course)
    assert response.status_code == 302 and response.url == f"/staff/runs/{run.pk}/"

    # 3. six weekly sessions, one holiday skipped
    monday = next_monday(3)
    holiday = monday + dt.timedelta(weeks=2)
    response = client.post(
        reverse("courses:staff_series_create", args=[run.pk]),
        {
            "first_date": monday.isoformat(),
            "start_time": "08:00",
            "end_time": "12:00",
            "frequency": "weekly",
            "count": "6",
            "skip_dates": holiday.strftime("%d.%m.%Y"),
            "workshop": workshop.pk,
        },
    )
    assert response.status_code == 302
    sessions = list(run.sessions.order_by("start"))
    assert len(sessions) == 6
    assert holiday not in [timezone.localtime(s.start).date() for s in sessions]
    # 12 seats / 4 per laser = 3 lasers per session
    assert EquipmentReservation.objects.filter(session_link__session__run=run).count() == 18

    # 4. a conflicting session of another run in the same room is refused, naming the first
    other = CourseRunFactory(
        course__school=school, school=school, workshop=workshop, status="draft"
    )
    response = client.post(
        reverse("courses:staff_session_create", args=[other.pk]),
        {
            "day": monday.isoformat(),
            "start_time": "10:00",
            "end_time": "14:00",
            "workshop": workshop.pk,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lasern für das Handwerk" in page and "Lernwerkstatt Metall" in page
    assert "08:00–12:00" in page
    assert not other.sessions.exists()

    # 5. publish and find it in the public catalogue with the right seats
    response = client.post(
        reverse("courses:staff_run_status", args=[run.pk]), {"action": "publish"}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == CourseRun.Status.PUBLISHED
    client.logout()
    catalogue = client.get("/").content.decode()
    assert "Lasern für das Handwerk" in catalogue
    from courses.selectors import catalogue as catalogue_qs

    listed = catalogue_qs().get(pk=run.pk)
    assert listed.seats == 12 and listed.seats_left == 12


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("capacity", "-3", "Die Kapazität darf nicht negativ sein."),
        ("booking_closes_at", "past", "Das Buchungsende muss nach dem Buchungsbeginn liegen."),
    ],
)
def test_bad_run_input_shows_a_german_error_and_saves_nothing(client, field, value, message):
    plan = make_plan()
    client.force_login(plan.coordinator)
    data = {
        "workshop": plan.workshop.pk,
        "capacity": "12",
        "min_participants": "0",
        "booking_opens_at": form_datetime(timezone.now()),
        "booking_closes_at": form_datetime(timezone.now() + dt.timedelta(days=5)),
        "cancellation_deadline": form_datetime(timezone.now() + dt.timedelta(days=4)),
        "price_business": "0",
    }
    data[field] = form_datetime(timezone.now() - dt.timedelta(days=5)) if value == "past" else value
    response = client.post(reverse("courses:staff_run_create_for", args=[plan.run.course.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert CourseRun.objects.count() == 1


def test_session_form_errors_end_before_start_and_unknown_equipment(client):
    plan = make_plan()
    client.force_login(plan.coordinator)
    url = reverse("courses:staff_session_create", args=[plan.run.pk])
    response = client.post(
        url,
        {
            "day": "2031-03-03",
            "start_time": "12:00",
            "end_time": "08:00",
            "workshop": plan.workshop.pk,
        },
    )
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    response = client.post(
        url,
        {
            "day": "2031-03-03",
            "start_time": "08:00",
            "end_time": "12:00",
            "workshop": plan.workshop.pk,
            "equipment": ["999999"],
        },
    )
    assert response.status_code == 200
    assert "gültige" in response.content.decode()  # Django's German "valid choice" message
    assert not Session.objects.exists()


def test_series_form_with_no_dates_is_refused(client):
    plan = make_plan()
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("courses:staff_series_create", args=[plan.run.pk]),
        {
            "first_date": "2031-03-03",
            "start_time": "08:00",
            "end_time": "12:00",
            "frequency": "weekly",
            "until": "2031-03-03",
            "skip_dates": "03.03.2031",
            "workshop": plan.workshop.pk,
        },
    )
    assert response.status_code == 200
    assert "Die Serie enthält keine Termine." in response.content.decode()
    response = client.post(
        reverse("courses:staff_series_create", args=[plan.run.pk]),
        {
            "first_date": "2031-03-03",
            "start_time": "08:00",
            "end_time": "12:00",
            "frequency": "weekly",
            "workshop": plan.workshop.pk,
        },
    )
    assert "Bitte ein Enddatum oder eine Anzahl von Terminen angeben." in response.content.decode()
    assert not Session.objects.exists()


def test_editing_one_session_in_the_browser_bumps_its_sequence_only(client):
    plan = make_plan(units=0)
    sessions = planning.create_series(
        run=plan.run,
        actor=plan.coordinator,
        first_date=dt.date(2031, 3, 3),
        start_time=dt.time(8),
        end_time=dt.time(12),
        count=3,
    )
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("courses:staff_session_edit", args=[sessions[1].pk]),
        {
            "day": "2031-03-10",
            "start_time": "13:00",
            "end_time": "16:00",
            "workshop": plan.workshop.pk,
            "instructor": plan.instructor.pk,
        },
    )
    assert response.status_code == 302
    assert [s.sequence for s in Session.objects.order_by("start")] == [0, 1, 0]
    assert timezone.localtime(Session.objects.get(pk=sessions[1].pk).start).hour == 13


# --- access per role ---------------------------------------------------------------------------


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


def test_run_page_warns_when_broken_equipment_leaves_too_few_seats(client):
    from tests.factories import EnrolmentFactory
    from workshops.services import set_equipment_status

    plan = make_plan(units=6, capacity=12, per_unit=2)
    planning.add_session(run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=None)
    planning.publish_run(run=plan.run, actor=None)
    for _ in range(11):
        EnrolmentFactory(run=plan.run)
    client.force_login(plan.coordinator)
    assert (
        "Zu wenige Plätze"
        not in client.get(reverse("courses:staff_run_detail", args=[plan.run.pk])).content.decode()
    )
    set_equipment_status(equipment=plan.printers[0], status="defective", actor=plan.coordinator)
    run_page = client.get(reverse("courses:staff_run_detail", args=[plan.run.pk])).content.decode()
    assert "Zu wenige Plätze" in run_page and "nur noch 10 Plätze" in run_page
    dashboard = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "nur noch 10 Plätze für 11 bestätigte Anmeldungen" in dashboard


def test_status_actions_cancel_with_reason(client):
    plan = make_plan(units=0)
    planning.add_session(run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=None)
    client.force_login(plan.coordinator)
    url = reverse("courses:staff_run_status", args=[plan.run.pk])
    client.post(url, {"action": "cancel"})  # no reason: refused
    assert CourseRun.objects.get(pk=plan.run.pk).status == CourseRun.Status.DRAFT
    client.post(url, {"action": "cancel", "reason": "Ausbilder erkrankt"})
    run = CourseRun.objects.get(pk=plan.run.pk)
    assert run.status == CourseRun.Status.CANCELLED and run.cancel_reason == "Ausbilder erkrankt"
    assert AuditEntry.objects.filter(action="run.cancelled").exists()


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


def test_coordinator_cannot_plan_with_another_schools_course_or_workshop(client):
    plan = make_plan(units=0)
    foreign = make_plan(units=0)
    client.force_login(plan.coordinator)
    url = reverse("courses:staff_run_create_for", args=[foreign.run.course.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        reverse("courses:staff_session_create", args=[plan.run.pk]),
        {
            "day": "2031-03-03",
            "start_time": "08:00",
            "end_time": "12:00",
            "workshop": foreign.workshop.pk,
        },
    )
    assert response.status_code == 200 and "gültige" in response.content.decode()
    assert not Session.objects.exists()
