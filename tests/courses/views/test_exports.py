"""Participant lists (CSV, XLSX) and signature lists (PDF) as a coordinator downloads them, read
back with real readers: csv, openpyxl and PDFium (pypdfium2)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Enrolment
from tests.factories import (
    BusinessFactory,
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
    business_contact,
    coordinator,
    instructor,
    trainee,
)
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    return CourseRunFactory(course__title="SPS-Programmierung Grundlagen")


@pytest.fixture
def people(run):
    """Two seat holders from different businesses, one on the waiting list, one cancelled."""
    schroeder = BusinessFactory(name="Schröder & Co")
    ayse = trainee(user__first_name="Ayşe", user__last_name="Öztürk", business=schroeder)
    jonas = trainee(user__first_name="Jonas", user__last_name="Bäcker")
    waiting = trainee(user__first_name="Wanda", user__last_name="Wartend")
    gone = trainee(user__first_name="Gustav", user__last_name="Gegangen")
    EnrolmentFactory(run=run, participant=ayse)
    EnrolmentFactory(run=run, participant=jonas)
    EnrolmentFactory(
        run=run, participant=waiting, status=Enrolment.Status.WAITLISTED, waitlist_seq=1
    )
    EnrolmentFactory(run=run, participant=gone, status=Enrolment.Status.CANCELLED)
    return {"ayse": ayse, "jonas": jonas, "waiting": waiting, "gone": gone, "business": schroeder}


@pytest.fixture
def staff_client(client, run):
    client.force_login(coordinator(school=run.school))
    return client


def test_csv_lists_participants_for_excel(staff_client, run, people):
    response = staff_client.get(reverse("courses:export_participants_csv", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert ".csv" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "German Excel needs the byte-order mark to read UTF-8"
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Nr.", "Nachname", "Vorname"]
    names = [row[1] for row in rows[1:]]
    assert "Öztürk" in names and "Bäcker" in names and "Wartend" in names
    assert "Gegangen" not in names, "cancelled enrolments are not participants"
    ayse = next(row for row in rows if row[1] == "Öztürk")
    assert ayse[4] == "Schröder & Co"
    assert ayse[6] == "bestätigt"
    waiting = next(row for row in rows if row[1] == "Wartend")
    assert waiting[6] == "Warteliste" and waiting[7] == "1"


def test_csv_neutralises_formulas_typed_into_names(staff_client, run):
    evil = trainee(user__first_name='=HYPERLINK("http://x")', user__last_name="@SUM(A1)")
    EnrolmentFactory(run=run, participant=evil)
    body = staff_client.get(reverse("courses:export_participants_csv", args=[run.pk])).content
    rows = list(csv.reader(io.StringIO(body.decode().lstrip("\ufeff")), delimiter=";"))
    assert rows[1][1] == "'@SUM(A1)"
    assert rows[1][2].startswith("'=")


def test_xlsx_reads_back_with_headers_and_rows(staff_client, run, people):
    response = staff_client.get(reverse("courses:export_participants_xlsx", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "SPS-Programmierung Grundlagen"
    header_index = next(i for i, row in enumerate(values) if row[0] == "Nr.")
    data = [row for row in values[header_index + 1 :] if row[0] is not None]
    assert [row[1] for row in data] == sorted(
        [row[1] for row in data if row[6] != "Warteliste"]
    ) + ["Wartend"], "seat holders by name first, then the waiting list"
    assert {row[1] for row in data} == {"Öztürk", "Bäcker", "Wartend"}
    assert sheet.freeze_panes == f"A{header_index + 2}"


def test_xlsx_in_english_for_an_english_speaking_coordinator(staff_client, run, people):
    staff_client.cookies["django_language"] = "en"
    response = staff_client.get(reverse("courses:export_participants_xlsx", args=[run.pk]))
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = next(row for row in values if row[0] == "No.")
    assert header[1] == "Last name"
    assert any(row[6] == "confirmed" for row in values)


def test_instructor_of_the_run_may_download_but_not_other_instructors(client, run, people):
    run.instructor = instructor(school=run.school)
    run.save(update_fields=["instructor"])
    url = reverse("courses:export_participants_csv", args=[run.pk])
    client.force_login(run.instructor)
    assert client.get(url).status_code == 200
    client.force_login(instructor(school=run.school))
    assert client.get(url).status_code == 403


def test_instructor_of_one_session_may_print_its_signature_list(client, run, people):
    session = SessionFactory(run=run, instructor=instructor(school=run.school))
    client.force_login(session.instructor)
    url = reverse("courses:export_signature_list", args=[session.pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "who",
    [
        lambda run: coordinator(),  # another school
        lambda run: business_contact(),
        lambda run: trainee(),
        lambda run: UserFactory(),
    ],
    ids=["other-school-coordinator", "business-contact", "trainee", "plain-user"],
)
def test_others_may_not_download(client, run, people, who):
    client.force_login(who(run))
    for name in ("courses:export_participants_csv", "courses:export_participants_xlsx"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, run):
    response = client.get(reverse("courses:export_participants_csv", args=[run.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_run_and_session_are_404(staff_client):
    assert (
        staff_client.get(reverse("courses:export_participants_csv", args=[999999])).status_code
        == 404
    )
    assert (
        staff_client.get(reverse("courses:export_signature_list", args=[999999])).status_code == 404
    )


def test_post_is_refused(staff_client, run):
    response = staff_client.post(reverse("courses:export_participants_csv", args=[run.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("size", [3, 30])
def test_exports_run_a_fixed_number_of_queries(
    staff_client, run, size, django_assert_max_num_queries
):
    for _ in range(size):
        EnrolmentFactory(run=run)
    session = SessionFactory(run=run)
    # session + user + roles (auth) + run + enrolments; the same at 3 and at 30 rows.
    with django_assert_max_num_queries(8):
        staff_client.get(reverse("courses:export_participants_csv", args=[run.pk]))
    with django_assert_max_num_queries(8):
        staff_client.get(reverse("courses:export_participants_xlsx", args=[run.pk]))
    with django_assert_max_num_queries(8):
        staff_client.get(reverse("courses:export_signature_list", args=[session.pk]))


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "list.pdf"
    path.write_bytes(content)
    return pdf_text(path)


def test_signature_list_has_a_row_per_seat_holder(staff_client, run, people, tmp_path):
    start = timezone.make_aware(dt.datetime(2031, 3, 4, 8, 30))
    session = SessionFactory(run=run, start=start, end=start + dt.timedelta(hours=6))
    response = staff_client.get(reverse("courses:export_signature_list", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)
    assert "Unterschriftenliste" in text
    assert "SPS-Programmierung Grundlagen" in text
    assert "04.03.2031" in text or "4. März 2031" in text
    assert "08:30" in text and "14:30" in text
    assert "Öztürk, Ayşe" in text or "Öztürk, Ay" in text
    assert "Schröder & Co" in text
    assert "Bäcker, Jonas" in text
    assert "Wartend" not in text, "the waiting list does not sign"
    assert "Gegangen" not in text
    assert "Unterschrift" in text


def test_signature_list_runs_over_pages_with_the_header_repeated(staff_client, run, tmp_path):
    for _ in range(30):
        EnrolmentFactory(run=run)
    session = SessionFactory(run=run)
    content = staff_client.get(reverse("courses:export_signature_list", args=[session.pk])).content
    pages = _pdf_text(content, tmp_path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    assert all("Unterschrift" in page for page in pages)


def test_signature_list_for_another_school_is_refused(client, run, people):
    session = SessionFactory(run=run)
    client.force_login(coordinator())
    response = client.get(reverse("courses:export_signature_list", args=[session.pk]))
    assert response.status_code == 403


def test_signature_list_prints_names_beyond_latin_1(staff_client, run, tmp_path):
    EnrolmentFactory(
        run=run, participant=trainee(user__first_name="Łukasz", user__last_name="Yılmaz")
    )
    session = SessionFactory(run=run)
    content = staff_client.get(reverse("courses:export_signature_list", args=[session.pk])).content
    assert "Yılmaz, Łukasz" in _pdf_text(content, tmp_path)


def test_run_page_links_the_exports(staff_client, run):
    session = SessionFactory(run=run)
    html = staff_client.get(reverse("courses:staff_run_detail", args=[run.pk])).content.decode()
    assert reverse("courses:export_participants_csv", args=[run.pk]) in html
    assert reverse("courses:export_participants_xlsx", args=[run.pk]) in html
    assert reverse("courses:export_signature_list", args=[session.pk]) in html
