"""The figures of the coordinator dashboard's charts: fill rate per upcoming run and reserved hours
per equipment type, each with the table the page shows too (for screen readers and without JS)."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import CourseRun, Enrolment
from courses.selectors_dashboard import dashboard_charts, equipment_hours, fill_rates
from tests.factories import (
    CourseRunFactory,
    EnrolmentFactory,
    EquipmentFactory,
    SchoolFactory,
    WorkshopFactory,
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
