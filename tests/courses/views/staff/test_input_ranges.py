"""Numbers and dates outside what Python or a column holds, and ids in other digits, entered in
the staff pages: a form error or an ordinary page, never a 500 (capacity 2147483648 overflowed
PostgreSQL's integer; 0001-01-01 minus a day overflowed Python's date; int("³") failed)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseRun, Session
from tests.courses.planning_fixtures import make_plan
from tests.factories import district_admin
from tests.timeutils import form_datetime
from workshops.models import MaintenanceSchedule

pytestmark = pytest.mark.django_db


def _run_data(plan, **changes):
    now = timezone.now()
    return {
        "workshop": plan.workshop.pk,
        "capacity": "12",
        "min_participants": "0",
        "booking_opens_at": form_datetime(now),
        "booking_closes_at": form_datetime(now + dt.timedelta(days=5)),
        "cancellation_deadline": form_datetime(now + dt.timedelta(days=4)),
        "price_business": "0",
        **changes,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", "2147483648"), ("capacity", str(10**12)), ("capacity", "1001"),
     ("min_participants", "9223372036854775808"), ("capacity", "1e20"), ("capacity", "³"),
     ("booking_opens_at", "0001-01-01T00:00"), ("booking_closes_at", "9999-12-31T23:59")],
)  # fmt: skip
def test_the_run_form_refuses_numbers_and_dates_out_of_range(client, field, value):
    plan = make_plan()
    client.force_login(plan.coordinator)
    url = reverse("courses:staff_run_create_for", args=[plan.run.course.pk])
    response = client.post(url, _run_data(plan, **{field: value}))
    assert response.status_code == 200
    assert f'id="id_{field}" aria-invalid="true"' in response.content.decode() or (
        'aria-invalid="true"' in response.content.decode()
    )
    assert CourseRun.objects.count() == 1


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "01.01.0001"])
def test_a_session_on_a_day_nobody_means_is_a_form_error(client, day):
    plan = make_plan()
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("courses:staff_session_create", args=[plan.run.pk]),
        {"day": day, "start_time": "08:00", "end_time": "12:00", "workshop": plan.workshop.pk},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize("skip", ["01.01.0001-31.12.9999", "01.01.2026-31.12.2030", "01.01.0001"])
def test_a_series_skipping_centuries_is_a_form_error(client, skip):
    plan = make_plan()
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("courses:staff_series_create", args=[plan.run.pk]),
        {
            "first_day": "2031-03-03", "start_time": "08:00", "end_time": "12:00",
            "frequency": "weekly", "count": "3", "skip_dates": skip,
            "workshop": plan.workshop.pk,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["?date=0001-01-01", "?date=9999-12-31", "?date=³", "?workshop=³", "?workshop=" + "9" * 30],
)
def test_the_week_calendar_shows_this_week_for_a_day_it_cannot_step_from(client, query):
    plan = make_plan()
    client.force_login(plan.coordinator)
    assert client.get(reverse("courses:staff_calendar_week") + query).status_code == 200


@pytest.mark.parametrize("query", ["?month=0001-01", "?month=9999-12", "?month=²⁰²⁶-01"])
def test_the_month_calendar_shows_this_month_for_a_month_out_of_range(client, query):
    plan = make_plan()
    client.force_login(plan.coordinator)
    assert client.get(reverse("courses:staff_calendar_month") + query).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [("interval_days", "1e20"), ("interval_days", str(10**20)), ("interval_days", "3661"),
     ("interval_hours", "2147483648"), ("interval_days", "³")],
)  # fmt: skip
def test_a_maintenance_schedule_with_an_interval_out_of_range_is_a_form_error(client, field, value):
    plan = make_plan()
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("workshops:schedule_create", args=[plan.printers[0].pk]),
        {"kind": "inspection", field: value},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not MaintenanceSchedule.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["?start=0001-01-01&end=0001-01-02", "?start=9999-12-30&end=9999-12-31", "?topic=³&by=x"],
)
def test_statistics_and_demand_pages_answer_dates_and_digits_out_of_range(client, query):
    plan = make_plan()
    client.force_login(plan.coordinator)
    assert client.get("/staff/demand/" + query).status_code == 200
    assert client.get("/staff/equipment/utilisation/" + query).status_code == 200
    client.force_login(district_admin(plan.school.district))
    assert client.get("/staff/statistics/" + query).status_code == 200


def test_labels_ignore_ids_in_other_digits(client):
    plan = make_plan()
    client.force_login(plan.coordinator)
    response = client.get(f"/staff/equipment/labels.pdf?ids=³&ids=٣&ids={plan.printers[0].pk}")
    assert response.status_code == 200
