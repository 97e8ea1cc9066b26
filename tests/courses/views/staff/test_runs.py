"""The coordinator's journey in the browser (Django test client) and the run pages: form errors,
the warning about too few seats, status actions, planning only with the own school's things."""

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
    SchoolFactory,
    TopicFactory,
    WorkshopFactory,
    coordinator,
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
