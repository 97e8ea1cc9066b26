"""Equipment: inventory services and pages, external reservations, labels, utilisation."""

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput
from core.models import AuditEntry
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import EquipmentFactory, EquipmentTypeFactory, coordinator, instructor
from tests.timeutils import day_at, form_datetime
from workshops.errors import EquipmentUnavailable, ReservationConflict
from workshops.models import Equipment, EquipmentReservation
from workshops.selectors import utilisation
from workshops.services import (
    create_equipment,
    reserve_external,
    set_equipment_status,
    update_equipment,
)

pytestmark = pytest.mark.django_db


# --- services ----------------------------------------------------------------------------------


def test_create_and_update_equipment_refuse_duplicates_and_foreign_workshops():
    plan = make_plan(units=1)
    item = create_equipment(
        school=plan.school,
        actor=plan.coordinator,
        type=plan.printer,
        inventory_number="LW-3D-100",
        workshop=plan.workshop,
        manufacturer="Prusa",
    )
    assert AuditEntry.objects.filter(action="equipment.created", object_id=str(item.pk)).exists()
    with pytest.raises(InvalidInput) as err:
        create_equipment(
            school=plan.school, actor=None, type=plan.printer, inventory_number="LW-3D-100"
        )
    assert err.value.field == "inventory_number"
    other = make_plan(units=0)
    with pytest.raises(InvalidInput) as err:
        update_equipment(equipment=item, actor=None, workshop=other.workshop)
    assert err.value.field == "workshop"
    item.refresh_from_db()
    assert item.workshop == plan.workshop


def test_external_reservation_conflicts_with_a_session_and_names_it():
    plan = make_plan(units=6)
    planning.add_session(
        run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=plan.coordinator
    )
    with pytest.raises(ReservationConflict) as err:
        reserve_external(
            equipment=plan.printers[0],
            start=day_at(30, 11),
            end=day_at(30, 15),
            actor=plan.coordinator,
            purpose="Ausleihe Tischlerei",
        )
    assert plan.run.course.title in err.value.message
    assert plan.printers[0].inventory_number in err.value.message
    # afterwards it is free again
    reservation = reserve_external(
        equipment=plan.printers[0],
        start=day_at(30, 12),
        end=day_at(30, 15),
        actor=plan.coordinator,
        purpose="Ausleihe Tischlerei",
    )
    assert reservation.kind == "external"


def test_external_reservation_bad_input_and_broken_items_are_refused():
    item = EquipmentFactory()
    with pytest.raises(InvalidInput, match="Ende"):
        reserve_external(
            equipment=item, start=day_at(3, 12), end=day_at(3, 8), actor=None, purpose="x"
        )
    with pytest.raises(InvalidInput, match="Zukunft"):
        reserve_external(
            equipment=item, start=day_at(-3, 8), end=day_at(-3, 12), actor=None, purpose="x"
        )
    with pytest.raises(InvalidInput, match="Zweck"):
        reserve_external(
            equipment=item, start=day_at(3, 8), end=day_at(3, 12), actor=None, purpose=" "
        )
    set_equipment_status(equipment=item, status=Equipment.Status.DEFECTIVE, actor=None, note="Düse")
    with pytest.raises(EquipmentUnavailable):
        reserve_external(
            equipment=item, start=day_at(3, 8), end=day_at(3, 12), actor=None, purpose="Ausleihe"
        )
    assert not EquipmentReservation.objects.exists()
    item.refresh_from_db()
    assert "Düse" in item.notes


# --- pages -------------------------------------------------------------------------------------


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


def test_external_reservation_form_and_conflict_message(client):
    plan = make_plan(units=6)
    planning.add_session(run=plan.run, start=day_at(5, 8), end=day_at(5, 12), actor=None)
    client.force_login(plan.coordinator)
    url = reverse("workshops:reservation_create", args=[plan.printers[0].pk])
    response = client.post(
        url,
        {
            "start": form_datetime(day_at(5, 10)),
            "end": form_datetime(day_at(5, 14)),
            "purpose": "Ausleihe Schreinerei",
        },
    )
    assert response.status_code == 200
    assert plan.run.course.title in response.content.decode()
    response = client.post(
        url,
        {
            "start": form_datetime(day_at(6, 10)),
            "end": form_datetime(day_at(6, 9)),
            "purpose": "Ausleihe Schreinerei",
        },
    )
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    assert not EquipmentReservation.objects.filter(kind="external").exists()
    response = client.post(
        url,
        {
            "start": form_datetime(day_at(6, 8)),
            "end": form_datetime(day_at(6, 16)),
            "purpose": "Ausleihe Schreinerei",
        },
    )
    assert response.status_code == 302
    assert EquipmentReservation.objects.filter(kind="external").count() == 1


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


def test_equipment_pages_are_for_the_own_schools_coordinators_only(client):
    plan = make_plan(units=1)
    item = plan.printers[0]
    urls = [
        reverse("workshops:equipment_detail", args=[item.pk]),
        reverse("workshops:equipment_edit", args=[item.pk]),
        reverse("workshops:reservation_create", args=[item.pk]),
        reverse("workshops:maintenance_create", args=[item.pk]),
        reverse("workshops:schedule_create", args=[item.pk]),
    ]
    for user in (coordinator(), plan.instructor, instructor(plan.school)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        response = client.post(
            reverse("workshops:equipment_status", args=[item.pk]), {"status": "retired"}
        )
        assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "available"
    client.force_login(coordinator())
    labels = client.get(reverse("workshops:labels_pdf") + f"?ids={item.pk}")
    assert labels.status_code == 302  # not one of theirs: nothing to print
    client.force_login(plan.coordinator)
    for url in urls:
        assert client.get(url).status_code == 200, url


# --- labels ------------------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_label_pdf_reads_back_with_pdftotext(client, tmp_path):
    plan = make_plan(units=0)
    items = [
        EquipmentFactory(
            workshop=plan.workshop,
            type=plan.printer,
            inventory_number=f"LW-3D-{i:03d}",
            name=f"Prusa Nr. {i}",
        )
        for i in range(26)  # more than one page of 24
    ]
    client.force_login(plan.coordinator)
    query = "&".join(f"ids={i.pk}" for i in items)
    response = client.get(reverse("workshops:labels_pdf") + "?" + query)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 - fixed poppler tool on our own temp file
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607 - poppler on PATH, as in .ci/run
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for item in items:
        assert item.inventory_number in text
    assert "Prusa Nr. 25" in text
    info = subprocess.run(  # noqa: S603 - fixed poppler tool on our own temp file
        ["pdfinfo", str(pdf)],  # noqa: S607 - poppler on PATH, as in .ci/run
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout
    assert re.search(r"^Pages:\s+2$", info, re.MULTILINE), info


# --- utilisation -------------------------------------------------------------------------------


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


def test_odd_query_parameters_never_give_a_500(client):
    plan = make_plan(units=1)
    client.force_login(plan.coordinator)
    for url in [
        reverse("workshops:equipment_create") + "?school=abc",
        reverse("workshops:equipment_list") + "?type=abc&status=kaputt&workshop=-1&page=x",
        reverse("workshops:labels_pdf") + "?ids=abc",
        reverse("workshops:utilisation") + "?start=gestern&end=2031-13-45",
        reverse("courses:staff_calendar_month") + "?month=2031-13",
        reverse("courses:staff_calendar_month") + "?month=abc&workshop=x",
        reverse("courses:staff_calendar_week") + "?date=31.02.2031",
        reverse("courses:staff_run_list") + "?status=unbekannt&page=999",
    ]:
        assert client.get(url).status_code in (200, 302), url


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
