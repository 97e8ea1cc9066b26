"""Telemetry, loans, material and safety briefings in a real browser, as a coordinator on a
desktop and on a phone: every page passes axe and none scrolls sideways at 390 px; the item's
usage chart is drawn from its readings."""

import json

import pytest

from .conftest import check_a11y, login

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page, within: str = "") -> None:
    """The page (or, with `within`, that part of it) is no wider than the screen."""
    if within:
        width = page.evaluate(f"document.querySelector('{within}').getBoundingClientRect().right")
    else:
        width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} {within} is {width}px wide on a {viewport}px screen"


@pytest.fixture(scope="module")
def seeded(e2e_server):
    """Readings of a BBS1 printer over three days, a material with low stock, a loan and a run
    whose machines need a briefing, made through the server's own services."""
    out = e2e_server.shell(
        """
import datetime as dt, json
from django.utils import timezone
from courses.models import CourseEquipment, Session
from people.models import User
from workshops.models import Consumable, Equipment
from workshops.services.consumables import create_consumable, receive_stock, record_use
from workshops.services.loans import lend_item
from workshops.services.telemetry import IngestState, store_batch
session = Session.objects.filter(run__school__code="BBS1", run__status="published",
                                 status="scheduled").order_by("start").first()
need = CourseEquipment.objects.filter(course=session.run.course).first()
etype = need.equipment_type
etype.requires_briefing = True
etype.save()
item = Equipment.objects.filter(school__code="BBS1", status="available").order_by("id").first()
now = timezone.now()
messages = []
for hours in range(0, 72, 3):
    when = (now - dt.timedelta(hours=72 - hours)).isoformat()
    messages.append((f"lw/{item.inventory_number}/counters",
                     json.dumps({"ts": when, "operating_hours": 500 + hours / 2}).encode(), now))
    messages.append((f"lw/{item.inventory_number}/energy",
                     json.dumps({"ts": when, "energy_kwh": 80 + hours / 10}).encode(), now))
messages.append((f"lw/{item.inventory_number}/state",
                 json.dumps({"ts": now.isoformat(), "state": "busy"}).encode(), now))
messages.append(("lw/UNBEKANNT-7/state", b"{broken", now))
store_batch(messages=messages, state=IngestState(prefix="lw", octoprint_prefix="op"), now=now)
pla = Consumable.objects.filter(school=session.run.school).first() or create_consumable(
    school=session.run.school, actor=None, name="Filament 1,75 mm", material="PLA",
    colour="Signalgrün mit sehr langem Farbnamen", unit="g")
stock = receive_stock(consumable=pla, workshop=session.workshop, quantity=500, minimum=400,
                      actor=None)
record_use(stock=stock, quantity=200, actor=None)
borrower = User.objects.get(email="azubi@demo.example")
other = Equipment.objects.filter(school__code="BBS1", status="available").exclude(
    type__requires_briefing=True).exclude(pk=item.pk).order_by("-id").first()
lend_item(equipment=other, borrower=borrower, actor=None,
          expected_return=now + dt.timedelta(days=3))
print(json.dumps({"item": item.pk, "session": session.pk, "run": session.run_id}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def _pages(ids):
    return [
        ("telemetry", "/staff/equipment/telemetry/"),
        ("equipment-readings", f"/staff/equipment/{ids['item']}/"),
        ("loans", "/staff/equipment/loans/"),
        ("consumables", "/staff/equipment/consumables/"),
        ("briefings", "/staff/equipment/briefings/"),
        ("attendance-briefings", f"/staff/sessions/{ids['session']}/attendance/"),
        ("run-resources", f"/staff/runs/{ids['run']}/resources/"),
        ("term-resources", "/staff/resources/"),
    ]


def test_resource_pages_on_a_desktop(new_page, seeded):
    page = new_page()
    login(page, "koordination@demo.example")
    page.goto(f"/staff/equipment/{seeded['item']}/")
    page.wait_for_selector("[data-chart-drawn]")
    assert page.locator("canvas[role=img]").count() == 1
    for name, url in _pages(seeded):
        page.goto(url)
        check_a11y(page, name)
    page.goto(f"/staff/sessions/{seeded['session']}/attendance/")
    assert page.get_by_text("Sicherheitsunterweisung nötig").count() == 1


def test_resource_pages_on_a_phone(new_page, seeded):
    page = new_page(viewport=PHONE)
    login(page, "koordination@demo.example")
    for name, url in _pages(seeded):
        page.goto(url)
        check_a11y(page, f"{name}-phone")
        # The item page was wider than a phone before it showed readings (its reservation and
        # maintenance tables); the readings section itself must fit.
        no_sideways_scroll(
            page, "section[aria-labelledby=h-telemetry]" if "readings" in name else ""
        )
