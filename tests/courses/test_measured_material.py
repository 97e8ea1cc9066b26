"""Filament a printer reports over MQTT (the real Mosquitto on 127.0.0.1:1883) is taken after
the session from the spool loaded on it, once, and shows in the run's resource report as
measured."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import SessionMaterial
from courses.selectors_resources import run_resources
from courses.services.resources import record_due_measured_material
from tests.courses.planning_fixtures import make_plan
from tests.courses.test_resources import _run_with_session
from tests.factories import EnrolmentFactory
from tests.workshops.mqtt_helpers import Publisher, broker_up, make_ingestor, wait_for
from workshops.models import Consumable, TelemetryReading
from workshops.services.consumables import create_consumable, load_consumable, receive_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingestor():
    assert broker_up(), "Mosquitto is not running on 127.0.0.1:1883 (.ci/run starts it)"
    ingest = make_ingestor()
    ingest.start()
    assert ingest.subscribed.wait(10), "the ingest client did not subscribe"
    yield ingest
    ingest.stop()


def test_filament_reported_during_a_session_is_taken_from_the_loaded_spool(ingestor, client):
    plan = make_plan(units=1)
    printer = plan.printers[0]
    start = timezone.now() - dt.timedelta(hours=5)
    session = _run_with_session(plan, start=start)  # 4 hours: ended an hour ago
    EnrolmentFactory(run=plan.run)
    pla = create_consumable(
        school=plan.school, actor=None, name="Filament", material="PLA", unit=Consumable.Unit.GRAM
    )
    stock = receive_stock(consumable=pla, workshop=plan.workshop, quantity=1000, actor=None)
    load_consumable(equipment=printer, stock=stock, actor=plan.coordinator)

    # The extruder's counter: 10 m before the session, 14 m at its end, 20 m after it.
    publisher = Publisher()
    try:
        for when, mm in (
            (start - dt.timedelta(minutes=10), 10_000),
            (start + dt.timedelta(hours=1), 12_000),
            (start + dt.timedelta(hours=4, minutes=-1), 14_000),
            (start + dt.timedelta(hours=4, minutes=30), 20_000),
        ):
            publisher.send(
                f"{ingestor.state.prefix}/{printer.inventory_number}/counters",
                {"ts": when.isoformat(), "filament_mm": mm},
            )
    finally:
        publisher.close()
    assert wait_for(
        lambda: TelemetryReading.objects.filter(equipment=printer).count() == 4,
        step=ingestor.pump,
    )

    # 4,000 mm of 1.75 mm PLA (1.24 g/cm³) = 11.93 g; a second run takes nothing more.
    assert record_due_measured_material() == 1
    assert record_due_measured_material() == 0
    stock.refresh_from_db()
    assert stock.quantity == Decimal("988.07")
    link = SessionMaterial.objects.get(session=session)
    assert link.equipment_id == printer.pk

    (material,) = run_resources(plan.run)["materials"]
    assert material["quantity"] == material["measured"] == Decimal("11.93")
    client.force_login(plan.coordinator)
    page = client.get(reverse("courses:staff_run_resources", args=[plan.run.pk])).content.decode()
    assert "11,93" in page and "gemessen" in page


def test_nothing_is_taken_without_a_loaded_spool_or_before_the_session_ends(ingestor):
    plan = make_plan(units=1)
    printer = plan.printers[0]
    start = timezone.now() - dt.timedelta(hours=2)
    _run_with_session(plan, start=start)  # still running
    pla = create_consumable(
        school=plan.school, actor=None, name="Filament", material="PLA", unit=Consumable.Unit.METRE
    )
    stock = receive_stock(consumable=pla, workshop=plan.workshop, quantity=300, actor=None)
    publisher = Publisher()
    try:
        for minutes, mm in ((-5, 1_000), (60, 3_500)):
            publisher.send(
                f"{ingestor.state.prefix}/{printer.inventory_number}/counters",
                {"ts": (start + dt.timedelta(minutes=minutes)).isoformat(), "filament_mm": mm},
            )
    finally:
        publisher.close()
    assert wait_for(
        lambda: TelemetryReading.objects.filter(equipment=printer).count() == 2,
        step=ingestor.pump,
    )
    assert record_due_measured_material() == 0  # running: not yet
    later = start + dt.timedelta(hours=4, minutes=5)
    assert record_due_measured_material(now=later) == 0  # ended, but no spool loaded
    load_consumable(equipment=printer, stock=stock, actor=None)
    assert record_due_measured_material(now=later) == 1
    stock.refresh_from_db()
    assert stock.quantity == Decimal("297.50")  # 2.5 m in a stock kept in metres
