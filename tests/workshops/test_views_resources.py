"""The loan, material and briefing pages: a coordinator lends, checks in and keeps stock; an
instructor records briefings; people of other schools see none of it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.courses.planning_fixtures import make_plan
from tests.factories import trainee
from tests.timeutils import form_datetime
from workshops.models import Consumable, ConsumableStock, Loan, SafetyBriefing

pytestmark = pytest.mark.django_db


def test_coordinator_lends_and_checks_in_an_item(client):
    plan = make_plan(units=1)
    plan.printer.requires_briefing = True
    plan.printer.save()
    person = trainee()
    client.force_login(plan.coordinator)
    url = reverse("workshops:loans")
    data = {
        "equipment": plan.printers[0].pk,
        "borrower": person.email,
        "expected_return": form_datetime(timezone.now() + dt.timedelta(days=2)),
    }
    refused = client.post(url, data).content.decode()
    assert "keine gültige Sicherheitsunterweisung" in refused
    assert client.post(url, {**data, "borrower": "nobody@example.org"}).status_code == 200
    assert client.post(url, {**data, "brief_now": "on"}).status_code == 302
    loan = Loan.objects.get()
    page = client.get(url).content.decode()
    assert plan.printers[0].inventory_number in page
    client.post(reverse("workshops:loan_return", args=[loan.pk]))
    loan.refresh_from_db()
    assert loan.returned_at is not None

    client.force_login(plan.instructor)
    assert client.get(url).status_code == 403
    client.force_login(make_plan(units=0).coordinator)
    assert client.post(reverse("workshops:loan_return", args=[loan.pk])).status_code == 403


def test_coordinator_keeps_stock_and_sees_what_runs_low(client):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    url = reverse("workshops:consumables")
    new = {
        "action": "new",
        "new-school": plan.school.pk,
        "new-name": "Acrylglas 3 mm",
        "new-material": "PMMA",
        "new-colour": "klar",
        "new-unit": "sheet",
    }
    assert client.post(url, new).status_code == 302
    consumable = Consumable.objects.get()
    receive = {
        "action": "receive",
        "receive-consumable": consumable.pk,
        "receive-workshop": plan.workshop.pk,
        "receive-quantity": "10",
        "receive-minimum": "4",
    }
    assert client.post(url, receive).status_code == 302
    stock = ConsumableStock.objects.get()
    use = {"action": "use", "use-stock": stock.pk, "use-quantity": "7"}
    assert client.post(url, use).status_code == 302
    page = client.get(url).content.decode()
    assert "Mindestbestand erreicht" in page and "Acrylglas" in page
    too_much = client.post(url, {**use, "use-quantity": "5"}).content.decode()
    assert "nur noch" in too_much


def test_instructor_records_a_briefing(client):
    plan = make_plan(units=0)
    plan.printer.requires_briefing = True
    plan.printer.save()
    person = trainee()
    client.force_login(plan.instructor)
    url = reverse("workshops:briefings")
    response = client.post(url, {"person": person.email, "equipment_type": plan.printer.pk})
    assert response.status_code == 302
    assert SafetyBriefing.objects.get().given_by == plan.instructor
    assert person.get_full_name() in client.get(url).content.decode()
    client.force_login(person)
    assert client.get(url).status_code == 403
