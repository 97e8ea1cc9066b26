"""Week and month calendar: what each role sees, in a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import CourseRunFactory, WorkshopFactory, coordinator

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2031, 3, 3)


def _fill(plan, n: int, offset: int = 0):
    """n sessions in the week of MONDAY, spread over runs, days and two workshops; each slot
    index maps to its own (day, room, hour)."""
    rooms = [plan.workshop, plan.other_room]
    for i in range(offset, offset + n):
        room = rooms[(i // 5) % 2]
        run = CourseRunFactory(
            course__school=plan.school, school=plan.school, workshop=room, status="published"
        )
        day = MONDAY + dt.timedelta(days=i % 5)
        hour = 7 + i // 10
        planning.add_session(
            run=run,
            start=planning.local_datetime(day, dt.time(hour)),
            end=planning.local_datetime(day, dt.time(hour, 50)),
            actor=None,
            use_run_instructor=False,
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("view", ["week", "month"])
def test_calendar_pages_run_a_constant_number_of_queries(client, view):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    if view == "week":
        url = reverse("courses:staff_calendar_week") + f"?date={MONDAY}"
    else:
        url = reverse("courses:staff_calendar_month") + f"?month={MONDAY:%Y-%m}"
    plan.other_room = WorkshopFactory(school=plan.school)
    _fill(plan, 3)
    small = _queries(client, url)
    _fill(plan, 40, offset=3)
    large = _queries(client, url)
    assert small == large, (small, large)
    assert large <= 8
    page = client.get(url).content.decode()
    assert page.count("calendar-entry") >= 43


def test_week_view_shows_sessions_by_workshop_and_day(client):
    plan = make_plan(units=0)
    planning.add_session(
        run=plan.run,
        start=planning.local_datetime(MONDAY + dt.timedelta(days=2), dt.time(9)),
        end=planning.local_datetime(MONDAY + dt.timedelta(days=2), dt.time(11)),
        actor=None,
    )
    client.force_login(plan.coordinator)
    page = client.get(reverse("courses:staff_calendar_week") + f"?date={MONDAY}").content.decode()
    assert str(plan.workshop) in page and plan.run.course.title in page
    assert "09:00–11:00" in page
    # another school's coordinator does not see it
    client.force_login(coordinator())
    page = client.get(reverse("courses:staff_calendar_week") + f"?date={MONDAY}").content.decode()
    assert plan.run.course.title not in page
