"""Utilisation per item and type, as a page, CSV and XLSX."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.courses.planning_fixtures import make_plan
from workshops.models import EquipmentReservation
from workshops.selectors import utilisation

pytestmark = pytest.mark.django_db


def test_utilisation_per_item_and_type_with_csv_and_xlsx(client):
    from openpyxl import load_workbook

    plan = make_plan(units=2)
    start = timezone.make_aware(dt.datetime(2031, 3, 1))
    end = timezone.make_aware(dt.datetime(2031, 3, 8))
    # 4 h inside the period, 2 h of a reservation crossing its end
    EquipmentReservation.objects.create(
        equipment=plan.printers[0],
        start=start + dt.timedelta(hours=8),
        end=start + dt.timedelta(hours=12),
        kind="external",
    )
    EquipmentReservation.objects.create(
        equipment=plan.printers[0],
        start=end - dt.timedelta(hours=2),
        end=end + dt.timedelta(hours=5),
    )
    EquipmentReservation.objects.create(
        equipment=plan.printers[1],
        start=start + dt.timedelta(hours=8),
        end=start + dt.timedelta(hours=9),
        is_active=False,  # cancelled: does not count
    )
    per_item, per_type = utilisation([plan.school.pk], start=start, end=end)
    by_key = {row.key: row for row in per_item}
    assert by_key[plan.printers[0].pk].hours == 6.0
    assert by_key[plan.printers[0].pk].reservations == 2
    assert by_key[plan.printers[1].pk].hours == 0
    assert per_type[0].hours == 6.0

    client.force_login(plan.coordinator)
    url = reverse("workshops:utilisation") + "?start=2031-03-01&end=2031-03-07"
    html = client.get(url).content.decode()
    assert "<table" in html and plan.printers[0].inventory_number in html
    csv_text = client.get(url + "&format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Ebene;Bezeichnung;Stunden reserviert")
    assert f"{plan.printers[0].inventory_number}" in csv_text and ";6.0;2;" in csv_text
    xlsx = client.get(url + "&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Ebene"
    assert any(r[1].startswith(plan.printers[0].inventory_number) and r[2] == 6.0 for r in rows[1:])
    bad = client.get(reverse("workshops:utilisation") + "?start=2031-03-07&end=2031-03-01")
    assert "Das Ende liegt vor dem Beginn." in bad.content.decode()
