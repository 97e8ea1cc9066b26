"""The material loaded in a machine: set on the item page through the consumables service, and
the filament counters a printer reports, turned into the stock's unit."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput
from tests.courses.planning_fixtures import make_plan
from workshops.filament import in_unit
from workshops.models import Consumable, LoadedConsumable
from workshops.selectors_telemetry import filament_used
from workshops.services.consumables import create_consumable, load_consumable, receive_stock
from workshops.services.telemetry import IngestState, store_batch

pytestmark = pytest.mark.django_db


def _stock(plan, *, unit=Consumable.Unit.GRAM, material="PETG"):
    spool = create_consumable(
        school=plan.school, actor=None, name="Filament", material=material, unit=unit
    )
    return receive_stock(consumable=spool, workshop=plan.workshop, quantity=750, actor=None)


def test_filament_converts_to_the_stock_unit():
    mm, grams = Decimal("1000"), Decimal("3.1")
    assert in_unit("g", mm=mm, grams=None, material="PLA") == Decimal("2.98")
    assert in_unit("g", mm=mm, grams=None, material="petg") == Decimal("3.05")
    assert in_unit("g", mm=mm, grams=grams, material="PLA") == grams  # weighed wins
    assert in_unit("m", mm=mm, grams=None, material="PLA") == Decimal("1.00")
    assert in_unit("sheet", mm=mm, grams=None, material="PLA") is None


def test_filament_counters_are_stored_and_measured_over_a_period():
    plan = make_plan(units=2)
    a, b = plan.printers
    t0 = timezone.now() - dt.timedelta(hours=3)
    messages = [
        (f"lw/{a.inventory_number}/counters", {"ts": t0, "filament_mm": 500.0}),
        (
            f"lw/{a.inventory_number}/counters",
            {"ts": t0 + dt.timedelta(hours=1), "filament_mm": 2500},
        ),
        (f"lw/{b.inventory_number}/counters", {"ts": t0 + dt.timedelta(hours=1), "filament_g": 40}),
        (
            f"lw/{b.inventory_number}/counters",
            {"ts": t0 + dt.timedelta(hours=2), "filament_g": 52.5},
        ),
        (f"lw/{b.inventory_number}/counters", {"ts": t0, "operating_hours": 7}),
    ]
    now = timezone.now()
    result = store_batch(
        messages=[
            (t, json.dumps({**p, "ts": p["ts"].isoformat()}).encode(), now) for t, p in messages
        ],
        state=IngestState(prefix="lw", octoprint_prefix="op"),
        now=now,
    )
    assert result.stored == 5 and result.malformed == 0
    used = filament_used([a.pk, b.pk], start=t0 + dt.timedelta(minutes=30), end=now)
    assert used == {a.pk: {"mm": Decimal("2000.0")}, b.pk: {"g": Decimal("12.5")}}


def test_coordinator_loads_a_spool_on_the_item_page(client):
    plan = make_plan(units=1)
    item = plan.printers[0]
    stock = _stock(plan)
    client.force_login(plan.coordinator)
    url = reverse("workshops:equipment_detail", args=[item.pk])
    assert "Kein Material eingetragen." in client.get(url).content.decode()
    post = reverse("workshops:equipment_consumable", args=[item.pk])
    assert client.post(post, {"stock": stock.pk}).status_code == 302
    assert LoadedConsumable.objects.get(equipment=item).stock == stock
    page = client.get(url).content.decode()
    assert 'data-testid="loaded-consumable"' in page and "PETG" in page
    client.post(post, {"stock": ""})  # taken out
    assert not LoadedConsumable.objects.filter(equipment=item).exists()


def test_a_spool_of_another_school_is_refused(client):
    plan, other = make_plan(units=1), make_plan(units=0)
    foreign = _stock(other)
    with pytest.raises(InvalidInput):
        load_consumable(equipment=plan.printers[0], stock=foreign, actor=None)
    client.force_login(plan.coordinator)
    client.post(
        reverse("workshops:equipment_consumable", args=[plan.printers[0].pk]), {"stock": foreign.pk}
    )
    assert not LoadedConsumable.objects.exists()
    client.force_login(other.coordinator)
    response = client.post(
        reverse("workshops:equipment_consumable", args=[plan.printers[0].pk]), {"stock": ""}
    )
    assert response.status_code in (403, 404)
