"""The coordinator dashboard's charts: fill rate per upcoming run and reserved hours per equipment
type, each drawn from a table that is in the page too (for screen readers and without JS)."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseRun, Enrolment
from courses.selectors_dashboard import dashboard_charts, equipment_hours, fill_rates
from tests.factories import (
    CourseRunFactory,
    EnrolmentFactory,
    EquipmentFactory,
    SchoolFactory,
    WorkshopFactory,
    coordinator,
    instructor,
)
from workshops.models import EquipmentReservation

pytestmark = pytest.mark.django_db


def _run(school, *, capacity=10, days=10, **kwargs):
    start = timezone.now() + dt.timedelta(days=days)
    return CourseRunFactory(
        course__school=school,
        capacity=capacity,
        min_participants=2,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        **kwargs,
    )


def test_fill_rate_counts_seat_holders_of_upcoming_published_runs_only():
    school = SchoolFactory()
    half = _run(school, capacity=10, days=5)
    for _ in range(4):
        EnrolmentFactory(run=half)
    EnrolmentFactory(run=half, status=Enrolment.Status.PENDING)  # holds a seat
    EnrolmentFactory(run=half, status=Enrolment.Status.CANCELLED)
    EnrolmentFactory(run=half, status=Enrolment.Status.WAITLISTED, waitlist_seq=1)
    empty = _run(school, days=9)
    _run(school, days=3, status=CourseRun.Status.DRAFT)
    _run(school, days=-30)  # over
    _run(SchoolFactory(), days=4)  # another school

    rates = fill_rates([school.pk])

    assert [rate.run_id for rate in rates] == [half.pk, empty.pk]
    assert (rates[0].taken, rates[0].seats, rates[0].percent, rates[0].waitlist) == (5, 10, 50, 1)
    assert rates[1].percent == 0


def test_fill_rate_uses_the_real_seat_limit_of_the_room():
    school = SchoolFactory()
    run = _run(school, capacity=20, workshop=WorkshopFactory(school=school, seats=8))
    for _ in range(6):
        EnrolmentFactory(run=run)
    (rate,) = fill_rates([school.pk])
    assert rate.seats == 8 and rate.percent == 75


def test_equipment_hours_sum_reservations_per_type_within_the_period():
    school = SchoolFactory()
    workshop = WorkshopFactory(school=school)
    printer = EquipmentFactory(workshop=workshop, type__name="FDM-3D-Drucker")
    EquipmentFactory(workshop=workshop, type=printer.type)
    start = timezone.now().replace(microsecond=0)
    end = start + dt.timedelta(days=7)
    EquipmentReservation.objects.create(
        equipment=printer, start=start + dt.timedelta(hours=1), end=start + dt.timedelta(hours=4)
    )
    # Half inside the period: only the inside counts.
    EquipmentReservation.objects.create(
        equipment=printer, start=end - dt.timedelta(hours=1), end=end + dt.timedelta(hours=1)
    )
    EquipmentReservation.objects.create(
        equipment=printer,
        start=start + dt.timedelta(hours=5),
        end=start + dt.timedelta(hours=9),
        is_active=False,
    )
    (row,) = equipment_hours([school.pk], start=start, end=end)
    assert row.label == "FDM-3D-Drucker"
    assert row.hours == 4
    assert row.reservations == 2


def test_chart_specs_carry_a_table_and_a_text_summary():
    school = SchoolFactory()
    run = _run(school, capacity=4)
    EnrolmentFactory(run=run)
    fill, hours = dashboard_charts([school.pk])
    assert fill["rows"][0][2:4] == [1, 4]
    assert fill["rows"][0][-1] == "25 %"
    assert fill["series"][0]["values"] == [25]
    assert "25 %" in fill["summary"] and run.course.title in fill["summary"]
    assert hours["rows"] == [] and "Keine Geräte" in hours["summary"]


def test_dashboard_shows_charts_with_table_fallback(client):
    school = SchoolFactory()
    run = _run(school, capacity=4)
    EnrolmentFactory(run=run)
    EquipmentFactory(workshop=run.workshop)
    client.force_login(coordinator(school=school))
    html = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/charts.js" in html
    assert 'id="chart-fill-rate"' in html and 'id="chart-equipment-hours"' in html
    # The figures are in a real table with headers, not only in the canvas.
    table = html[html.index('id="chart-fill-rate"') :]
    assert '<th scope="col"' in table and f'<th scope="row">{run.course.title}' in table
    assert re.search(r'<canvas role="img" aria-label="[^"]*25 %', table)
    spec = json.loads(
        re.search(
            r'<script id="fill-rate" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert spec["series"][0]["values"] == [25]


def test_dashboard_in_english(client):
    school = SchoolFactory()
    _run(school)
    client.force_login(coordinator(school=school))
    client.cookies["django_language"] = "en"
    html = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "Fill rate of upcoming courses" in html
    assert "Data as a table" in html


def test_instructors_see_no_school_charts(client):
    school = SchoolFactory()
    _run(school)
    client.force_login(instructor(school=school))
    html = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "chart-fill-rate" not in html
    assert "chart.umd.min.js" not in html


@pytest.mark.parametrize("runs", [2, 12])
def test_dashboard_queries_do_not_grow_with_runs(client, runs, django_assert_max_num_queries):
    school = SchoolFactory()
    for day in range(runs):
        run = _run(school, days=day + 1)
        EnrolmentFactory(run=run)
        EquipmentFactory(workshop=run.workshop)
    client.force_login(coordinator(school=school))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("courses:staff_dashboard"))
    assert response.status_code == 200
