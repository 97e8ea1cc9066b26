"""Reads: maintenance due by days and by operating hours, schedules per item and type."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.workshops.maintenance_fixtures import TODAY, due_item, record
from workshops.selectors import maintenance_overview
from workshops.services import create_schedule

pytestmark = pytest.mark.django_db


def _duty(item, today=TODAY, kind="inspection"):
    duties = [
        d
        for d in maintenance_overview([item.school_id], today=today, notice_days=14)
        if d.equipment.pk == item.pk and d.kind == kind
    ]
    assert len(duties) == 1, duties
    return duties[0]


def test_due_date_counts_from_the_last_record_of_that_kind(workshop):
    item = due_item(workshop, days=90)
    # no record yet: from the purchase date
    assert _duty(item).due_on == dt.date(2031, 4, 1)
    assert _duty(item).state == "overdue"
    record(item, dt.date(2031, 5, 20))
    record(item, dt.date(2031, 5, 30), kind="repair")  # a repair does not reset the inspection
    duty = _duty(item)
    assert duty.last_on == dt.date(2031, 5, 20)
    assert duty.due_on == dt.date(2031, 8, 18)
    assert duty.state == "ok"
    assert _duty(item, today=dt.date(2031, 8, 5)).state == "due"  # within 14 notice days
    assert _duty(item, today=dt.date(2031, 8, 19)).state == "overdue"


def test_due_by_operating_hours(workshop):
    item = due_item(workshop, days=None, hours=200, operating_hours=Decimal("150"))
    record(item, dt.date(2031, 1, 10), hours=Decimal("100"))
    duty = _duty(item)
    assert duty.due_on is None and duty.hours_left == Decimal("150")
    assert duty.state == "ok"
    item.operating_hours = Decimal("285")
    item.save()
    assert _duty(item).state == "due"  # 15 h left ≤ 10 % of 200
    item.operating_hours = Decimal("301")
    item.save()
    assert _duty(item).hours_left == Decimal("-1") and _duty(item).state == "overdue"


def test_item_and_type_schedules_add_duties_and_retired_items_drop_out(workshop):
    item = due_item(workshop, days=None)
    assert [
        d for d in maintenance_overview([item.school_id], today=TODAY) if d.equipment == item
    ] == []
    create_schedule(
        school=item.school, actor=None, equipment=item, kind="calibration", interval_days=30
    )
    create_schedule(
        school=item.school,
        actor=None,
        equipment_type=item.type,
        kind="inspection",
        interval_hours=500,
    )
    kinds = sorted(
        d.kind for d in maintenance_overview([item.school_id], today=TODAY) if d.equipment == item
    )
    assert kinds == ["calibration", "inspection"]
    item.status = "retired"
    item.save()
    assert not [
        d for d in maintenance_overview([item.school_id], today=TODAY) if d.equipment == item
    ]
