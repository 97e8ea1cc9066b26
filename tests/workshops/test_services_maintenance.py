"""Maintenance records and schedules, and the daily notice of duties falling due."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from core.errors import InvalidInput
from tests.factories import MembershipFactory
from tests.workshops.maintenance_fixtures import TODAY, due_item, record
from workshops.models import MaintenanceNotice, MaintenanceRecord
from workshops.services.maintenance import (
    create_schedule,
    notify_maintenance_due,
    record_maintenance,
)

pytestmark = pytest.mark.django_db


def test_schedule_and_record_bad_input_is_refused(workshop):
    item = due_item(workshop)
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
    item = due_item(workshop)
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


def test_coordinators_are_told_once_before_an_item_falls_due(
    workshop, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://lernwerkstatt.example"
    coordinator = MembershipFactory(role="coordinator", school=workshop.school).user
    MembershipFactory(role="instructor", school=workshop.school)  # not told
    soon = due_item(workshop, days=90, inventory_number="LW-BALD")
    record(soon, TODAY - dt.timedelta(days=80))  # due in 10 days
    later = due_item(workshop, days=90, inventory_number="LW-SPAETER")
    record(later, TODAY - dt.timedelta(days=10))  # due in 80 days

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_maintenance_due(today=TODAY) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert "LW-BALD" in message.body and "LW-SPAETER" not in message.body
    assert "Wartung fällig" in message.subject
    due_on = (TODAY + dt.timedelta(days=10)).strftime("%d.%m.%Y")
    assert f"fällig am {due_on}" in message.body
    assert f"https://lernwerkstatt.example/staff/equipment/{soon.pk}/" in message.body
    assert "https://lernwerkstatt.example/staff/equipment/maintenance/" in message.body
    # safe to run twice: nothing new, no second mail
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_maintenance_due(today=TODAY) == 0
    assert len(mail.outbox) == 1
    assert MaintenanceNotice.objects.count() == 1
