"""ÜLU report: one selector for the API (JSON) and the staff exports (CSV, XLSX)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Attendance
from courses.reports import uelu_report
from tests.factories import (
    BusinessFactory,
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    TraineeProfileFactory,
    coordinator,
)
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_run(member, other_chamber):
    run = CourseRunFactory(capacity=10, min_participants=0)
    day1 = SessionFactory(run=run, start=day_at(21, 8), end=day_at(21, 16))  # 8 h
    day2a = SessionFactory(run=run, start=day_at(22, 8), end=day_at(22, 12))  # 4 h
    day2b = SessionFactory(run=run, start=day_at(22, 13), end=day_at(22, 15))  # 2 h
    ours = TraineeProfileFactory(
        business=member,
        lehrlingsrolle_number="LR-100",
        occupation="Tischler:in",
        occupation_code="3140",
        apprenticeship_start=(day_at(21, 8) - dt.timedelta(days=400)).date(),
    )
    ours.user.date_of_birth = dt.date(2006, 5, 4)
    ours.user.save()
    run.course.instruction_plan = "HOL-1/24"
    run.course.save()
    theirs = TraineeProfileFactory(
        business=BusinessFactory(chamber=other_chamber, member_number="H-1"),
        lehrlingsrolle_number="LR-200",
    )
    e_ours = EnrolmentFactory(run=run, participant=ours.user)
    e_theirs = EnrolmentFactory(run=run, participant=theirs.user)
    EnrolmentFactory(run=run, status="cancelled", cancelled_at=timezone.now())
    A = Attendance.objects.create
    A(enrolment=e_ours, session=day1, status="present")
    A(enrolment=e_ours, session=day2a, status="present", minutes=120, reason="Arzttermin")
    A(enrolment=e_ours, session=day2b, status="excused", reason="Berufsschule")
    A(enrolment=e_theirs, session=day1, status="absent")
    return run, e_ours, e_theirs


def test_report_sums_hours_per_day_with_absence_reasons(report_run):
    run, e_ours, e_theirs = report_run
    report = uelu_report(run)
    assert [d.isoformat() for d in report.days] == [
        day_at(21, 8).date().isoformat(),
        day_at(22, 8).date().isoformat(),
    ]
    # Cancelled enrolments never sat in the course: not in the report.
    assert {p.enrolment for p in report.participants} == {e_ours.pk, e_theirs.pk}
    ours = next(p for p in report.participants if p.enrolment == e_ours.pk)
    assert ours.lehrlingsrolle_number == "LR-100"
    assert ours.occupation == "Tischler:in"
    assert ours.occupation_code == "3140"
    assert ours.training_year == 2  # 400 days after the start of the apprenticeship
    assert ours.date_of_birth == dt.date(2006, 5, 4)
    assert ours.status_text == "bestätigt"
    assert report.instruction_plan == "HOL-1/24"
    assert report.course_number == f"{run.school.code}-{run.course.pk}"
    assert report.course_hours == 14.0  # the sessions: 8 + 4 + 2
    assert ours.member_number == "4711"
    assert [(d.hours_planned, d.hours_attended) for d in ours.days] == [(8.0, 8.0), (6.0, 2.0)]
    assert ours.days[1].absence_reasons == ["Arzttermin", "entschuldigt: Berufsschule"]
    assert ours.hours_attended == 10.0
    theirs = next(p for p in report.participants if p.enrolment == e_theirs.pk)
    assert theirs.days[0].hours_attended == 0.0
    assert theirs.days[0].absence_reasons == ["abwesend"]


@pytest.mark.parametrize("n", [2, 15])
def test_report_runs_a_fixed_number_of_queries(member, django_assert_max_num_queries, n):
    run = CourseRunFactory(capacity=30, min_participants=0)
    sessions = [
        SessionFactory(run=run, start=day_at(21 + i, 8), end=day_at(21 + i, 12)) for i in range(3)
    ]
    for _ in range(n):
        enrolment = EnrolmentFactory(
            run=run, participant=TraineeProfileFactory(business=member).user
        )
        for session in sessions:
            Attendance.objects.create(enrolment=enrolment, session=session, status="present")
    with django_assert_max_num_queries(4):
        report = uelu_report(run)
        assert len(report.participants) == n


def test_api_report_shows_only_the_chambers_participants(api, report_run):
    run, e_ours, _e_theirs = report_run
    body = api.get(f"/api/v1/runs/{run.pk}/uelu-report/").json()
    assert [p["enrolment"] for p in body["participants"]] == [e_ours.pk]
    assert body["participants"][0]["days"][1]["hours_attended"] == 2.0
    assert body["participants"][0]["hours_attended"] == 10.0
    assert body["participants"][0]["date_of_birth"] == "2006-05-04"
    assert body["participants"][0]["training_year"] == 2
    assert body["participants"][0]["occupation_code"] == "3140"
    assert body["participants"][0]["status"] == "confirmed"
    assert body["participants"][0]["status_text"] == "bestätigt"
    assert body["instruction_plan"] == "HOL-1/24"
    english = api.get(f"/api/v1/runs/{run.pk}/uelu-report/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["participants"][0]["status_text"] == "confirmed"


def test_staff_exports_for_the_runs_coordinator_only(client, report_run):
    run, _e_ours, _e_theirs = report_run
    csv_url = f"/staff/reports/runs/{run.pk}/uelu.csv"
    xlsx_url = f"/staff/reports/runs/{run.pk}/uelu.xlsx"
    assert client.get(csv_url).status_code == 302  # to the login

    client.force_login(coordinator())  # of another school
    assert client.get(csv_url).status_code == 403
    assert client.get(xlsx_url).status_code == 403

    client.force_login(coordinator(school=run.school))
    response = client.get(csv_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith(
        "Name;Geburtsdatum;Lehrlingsrollen-Nr.;Ausbildungsberuf;Berufskennziffer;Ausbildungsjahr;"
        "Unterweisungsplan / Kursnummer;Betrieb;Mitgliedsnummer;Kammer;Status"
    )
    assert len(lines) == 3  # header + two participants (the cancelled one is not in it)
    expected = (
        "04.05.2006;LR-100;Tischler:in;3140;2;HOL-1/24;Tischlerei Schröder;4711;HWK-LG;bestätigt;"
        "8,0;;2,0;Arzttermin / entschuldigt: Berufsschule;10,0"
    )
    assert any(expected in line for line in lines), lines

    response = client.get(xlsx_url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("Name", "Geburtsdatum", "Lehrlingsrollen-Nr.", "Ausbildungsberuf")
    ours = next(r for r in rows[2:] if r[2] == "LR-100")
    assert ours[10] == "bestätigt"
    assert ours[-1] == 10.0
    assert client.get("/staff/reports/runs/999999/uelu.csv").status_code == 404
