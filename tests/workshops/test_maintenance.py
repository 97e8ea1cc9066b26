"""Maintenance: due dates by days and by operating hours, the due list, the daily e-mail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from core.errors import InvalidInput
from tests.factories import (
    EquipmentFactory,
    EquipmentTypeFactory,
    MembershipFactory,
    WorkshopFactory,
)
from workshops.models import MaintenanceNotice, MaintenanceRecord
from workshops.selectors import due_and_overdue, maintenance_overview
from workshops.services import create_schedule, record_maintenance
from workshops.tasks import notify_maintenance_due

pytestmark = pytest.mark.django_db

TODAY = dt.date(2031, 6, 1)


@pytest.fixture
def workshop():
    return WorkshopFactory()


def _item(workshop, *, days=90, hours=None, purchased=dt.date(2031, 1, 1), **kwargs):
    etype = EquipmentTypeFactory(maintenance_interval_days=days, maintenance_interval_hours=hours)
    return EquipmentFactory(workshop=workshop, type=etype, purchase_date=purchased, **kwargs)


def _record(item, on, kind="inspection", hours=None):
    return MaintenanceRecord.objects.create(
        equipment=item, kind=kind, performed_on=on, operating_hours_at=hours
    )


def _duty(item, today=TODAY, kind="inspection"):
    duties = [
        d
        for d in maintenance_overview([item.school_id], today=today, notice_days=14)
        if d.equipment.pk == item.pk and d.kind == kind
    ]
    assert len(duties) == 1, duties
    return duties[0]


def test_due_date_counts_from_the_last_record_of_that_kind(workshop):
    item = _item(workshop, days=90)
    # no record yet: from the purchase date
    assert _duty(item).due_on == dt.date(2031, 4, 1)
    assert _duty(item).state == "overdue"
    _record(item, dt.date(2031, 5, 20))
    _record(item, dt.date(2031, 5, 30), kind="repair")  # a repair does not reset the inspection
    duty = _duty(item)
    assert duty.last_on == dt.date(2031, 5, 20)
    assert duty.due_on == dt.date(2031, 8, 18)
    assert duty.state == "ok"
    assert _duty(item, today=dt.date(2031, 8, 5)).state == "due"  # within 14 notice days
    assert _duty(item, today=dt.date(2031, 8, 19)).state == "overdue"


def test_due_by_operating_hours(workshop):
    item = _item(workshop, days=None, hours=200, operating_hours=Decimal("150"))
    _record(item, dt.date(2031, 1, 10), hours=Decimal("100"))
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
    item = _item(workshop, days=None)
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


def test_schedule_and_record_bad_input_is_refused(workshop):
    item = _item(workshop)
    with pytest.raises(InvalidInput, match="Intervall"):
        create_schedule(school=item.school, actor=None, equipment=item, kind="inspection")
    with pytest.raises(InvalidInput, match="Zukunft"):
        record_maintenance(
            equipment=item,
            actor=None,
            kind="inspection",
            performed_on=dt.date.today() + dt.timedelta(days=3),
        )
    with pytest.raises(InvalidInput, match="negativ"):
        record_maintenance(
            equipment=item,
            actor=None,
            kind="repair",
            performed_on=dt.date.today(),
            cost=Decimal("-1"),
        )
    assert not MaintenanceRecord.objects.exists()


def test_recording_maintenance_can_bring_an_item_back_into_service(workshop):
    item = _item(workshop)
    item.status = "maintenance"
    item.save()
    record_maintenance(
        equipment=item,
        actor=None,
        kind="repair",
        performed_on=dt.date.today(),
        new_status="available",
    )
    item.refresh_from_db()
    assert item.status == "available"


def test_daily_task_mails_coordinators_once_before_an_item_falls_due(
    workshop, django_capture_on_commit_callbacks
):
    coordinator = MembershipFactory(role="coordinator", school=workshop.school).user
    MembershipFactory(role="instructor", school=workshop.school)  # not told
    soon = _item(workshop, days=90, inventory_number="LW-BALD")
    _record(soon, TODAY - dt.timedelta(days=80))  # due in 10 days
    later = _item(workshop, days=90, inventory_number="LW-SPAETER")
    _record(later, TODAY - dt.timedelta(days=10))  # due in 80 days

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_maintenance_due(TODAY.isoformat()) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert "LW-BALD" in message.body and "LW-SPAETER" not in message.body
    assert "Wartung fällig" in message.subject
    # safe to run twice: nothing new, no second mail
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_maintenance_due(TODAY.isoformat()) == 0
    assert len(mail.outbox) == 1
    assert MaintenanceNotice.objects.count() == 1


def test_due_list_page_and_dashboard(client, workshop):
    coordinator = MembershipFactory(role="coordinator", school=workshop.school).user
    overdue = _item(
        workshop, days=30, inventory_number="LW-UEBERFAELLIG", purchased=dt.date(2020, 1, 1)
    )
    fine = _item(workshop, days=3650, inventory_number="LW-OK", purchased=dt.date.today())
    client.force_login(coordinator)
    html = client.get(reverse("workshops:maintenance_due")).content.decode()
    assert "LW-UEBERFAELLIG" in html and "überfällig" in html
    assert "LW-OK" not in html
    assert "LW-OK" in client.get(reverse("workshops:maintenance_due") + "?all=1").content.decode()
    dashboard = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "LW-UEBERFAELLIG" in dashboard
    assert [d.equipment for d in due_and_overdue([workshop.school_id])] == [overdue]
    assert fine.pk
