"""The due list page and the dashboard box."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from tests.workshops.maintenance_fixtures import due_item
from workshops.selectors import due_and_overdue

pytestmark = pytest.mark.django_db


def test_due_list_page_and_dashboard(client, workshop):
    coordinator = MembershipFactory(role="coordinator", school=workshop.school).user
    overdue = due_item(
        workshop, days=30, inventory_number="LW-UEBERFAELLIG", purchased=dt.date(2020, 1, 1)
    )
    fine = due_item(workshop, days=3650, inventory_number="LW-OK", purchased=dt.date.today())
    client.force_login(coordinator)
    html = client.get(reverse("workshops:maintenance_due")).content.decode()
    assert "LW-UEBERFAELLIG" in html and "überfällig" in html
    assert "LW-OK" not in html
    assert "LW-OK" in client.get(reverse("workshops:maintenance_due") + "?all=1").content.decode()
    dashboard = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "LW-UEBERFAELLIG" in dashboard
    assert [d.equipment for d in due_and_overdue([workshop.school_id])] == [overdue]
    assert fine.pk
