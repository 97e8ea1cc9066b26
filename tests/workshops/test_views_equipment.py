"""The inventory list, the item page, the equipment form and the status change, through the
web client."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import EquipmentFactory, EquipmentTypeFactory
from tests.timeutils import day_at
from workshops.models import Equipment, EquipmentReservation
from workshops.services import set_equipment_status

pytestmark = pytest.mark.django_db


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_equipment_list_runs_constant_queries_and_filters(client):
    plan = make_plan(units=3)
    client.force_login(plan.coordinator)
    url = reverse("workshops:equipment_list")
    small = _list_queries(client, url)
    laser = EquipmentTypeFactory(name="Laserschneider")
    for i in range(40):
        EquipmentFactory(
            workshop=plan.workshop, type=laser if i % 2 else plan.printer, name=f"Gerät {i}"
        )
    large = _list_queries(client, url)
    assert small == large, (small, large)
    assert large <= 12
    page = client.get(url + f"?type={laser.pk}").content.decode()
    assert page.count("Laserschneider") >= 20
    set_equipment_status(equipment=plan.printers[0], status="defective", actor=None)
    page = client.get(url + "?status=defective").content.decode()
    assert plan.printers[0].inventory_number in page
    assert plan.printers[1].inventory_number not in page
    page = client.get(url + f"?q={plan.printers[2].inventory_number}").content.decode()
    assert plan.printers[2].inventory_number in page
    assert plan.printers[1].inventory_number not in page


def test_item_page_shows_timeline_and_records(client):
    plan = make_plan(units=6)
    planning.add_session(run=plan.run, start=day_at(5, 8), end=day_at(5, 12), actor=None)
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("workshops:maintenance_create", args=[plan.printers[0].pk]),
        {
            "kind": "repair",
            "performed_on": timezone.localdate().isoformat(),
            "performed_by_name": "Firma Druckservice",
            "operating_hours_at": "120.5",
            "cost": "89.90",
            "notes": "Hotend getauscht",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("workshops:equipment_detail", args=[plan.printers[0].pk]))
    html = page.content.decode()
    assert "timeline__bar" in html and plan.run.course.title in html
    assert "Hotend getauscht" in html and "89,90" in html
    plan.printers[0].refresh_from_db()
    assert plan.printers[0].operating_hours == Decimal("120.5")


def test_bad_equipment_input_gives_german_errors(client):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("workshops:equipment_create"),
        {
            "school": plan.school.pk,
            "type": "99999",
            "inventory_number": "LW-1",
            "operating_hours": "-5",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "gültige" in html  # unknown type
    assert "größer oder gleich 0" in html  # negative hours
    assert not Equipment.objects.exists()


def test_a_broken_item_hands_its_future_session_reservations_to_a_free_unit(client):
    plan = make_plan(units=6, capacity=8, per_unit=2)  # 4 of 6 printers per session
    session = planning.add_session(
        run=plan.run, start=day_at(10, 8), end=day_at(10, 12), actor=plan.coordinator
    )
    held = list(
        EquipmentReservation.objects.filter(session_link__session=session).order_by("equipment")
    )
    broken = held[0].equipment
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("workshops:equipment_status", args=[broken.pk]),
        {"status": "defective", "note": "Heizbett defekt"},
        follow=True,
    )
    assert "1 Kursreservierungen wurden auf Ersatzgeräte umgelegt." in response.content.decode()
    items = set(
        EquipmentReservation.objects.filter(session_link__session=session).values_list(
            "equipment_id", flat=True
        )
    )
    assert broken.pk not in items and len(items) == 4
    # with no spare left, the next breakdown leaves the reservation and says so
    for spare in plan.printers:
        if spare.pk not in items and spare.pk != broken.pk:
            set_equipment_status(equipment=spare, status="maintenance", actor=None)
    second = next(iter(items))
    changed = set_equipment_status(
        equipment=Equipment.objects.get(pk=second), status="defective", actor=None
    )
    assert (changed.moved_reservations, changed.stranded_reservations) == (0, 1)
