"""District statistics and open data: the aggregates are right, small cells are suppressed
(with a second cell when one alone could be worked out), and no export carries personal data."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseRun, Enrolment
from demand.exports import COLUMNS, statistics_csv, statistics_json
from demand.selectors.statistics import MIN_CELL, Period, statistics, suppress
from tests.factories import (
    BusinessFactory,
    CourseRunFactory,
    DistrictFactory,
    EnrolmentFactory,
    SchoolFactory,
    SessionFactory,
    UserFactory,
    district_admin,
)

pytestmark = pytest.mark.django_db


def _cells(counts):
    return [(c.group, c.value, c.suppressed) for c in suppress(counts)]


def test_suppress_hides_small_cells_and_one_more_when_one_alone_is_small():
    one_small = _cells([("A", 10), ("B", 3), ("C", 7)])
    assert one_small == [("A", 10, False), ("B", None, True), ("C", None, True)]
    two_small = _cells([("A", 10), ("B", 3), ("C", 1)])
    assert two_small == [("A", 10, False), ("B", None, True), ("C", None, True)]
    assert _cells([("A", 5), ("B", 0)]) == [("A", 5, False), ("B", 0, False)]


@pytest.fixture
def district():
    district = DistrictFactory()
    big = SchoolFactory(district=district, name="BBS Groß")
    small = SchoolFactory(district=district, name="BBS Klein")
    middle = SchoolFactory(district=district, name="BBS Mitte")
    now = timezone.now()
    business = BusinessFactory(name="Zimmerei Ärmel")
    people = []
    for school, count in ((big, 12), (small, 2), (middle, 6)):
        run = CourseRunFactory(
            course__school=school,
            status=CourseRun.Status.COMPLETED,
            capacity=12,
            starts_at=now - dt.timedelta(days=30),
            ends_at=now - dt.timedelta(days=29),
        )
        SessionFactory(
            run=run, start=now - dt.timedelta(days=30), end=now - dt.timedelta(days=30, hours=-6)
        )
        for index in range(count):
            person = UserFactory(
                first_name="Quirin",
                last_name=f"Zwiebelmeier{index}",
                email=f"quirin{school.pk}-{index}@privat.example",
                date_of_birth=dt.date(2004, 5, 17),
            )
            status = Enrolment.Status.NO_SHOW if index == 0 else Enrolment.Status.COMPLETED
            people.append(
                EnrolmentFactory(run=run, participant=person, business=business, status=status)
            )
    period = Period(start=(now - dt.timedelta(days=60)).date(), end=now.date())
    return {
        "district": district,
        "schools": (big, small, middle),
        "period": period,
        "people": people,
    }


def _table(tables, key):
    return {c.group: (c.value, c.suppressed) for c in next(t for t in tables if t.key == key).cells}


def test_participants_by_school_with_small_cells_suppressed(district):
    ids = [s.pk for s in district["schools"]]
    tables = statistics(school_ids=ids, period=district["period"])
    by_school = _table(tables, "participants_by_school")
    assert by_school["BBS Groß"] == (12, False)
    assert by_school["BBS Klein"] == (None, True)  # 2 < MIN_CELL
    assert by_school["BBS Mitte"] == (None, True)  # hidden too: total minus the rest gives it
    hours = _table(tables, "hours_by_school")
    assert hours["BBS Groß"] == (6.0, False)
    fill = _table(tables, "fill_rate_by_school")
    assert fill["BBS Groß"] == (100.0, False)  # 12 of 12 seats
    assert fill["BBS Klein"] == (None, True)
    no_show = _table(tables, "no_show_rate_by_school")
    assert no_show["BBS Groß"] == (round(100 / 12, 1), False)
    ages = _table(tables, "participants_by_age_group")
    assert set(ages) == {"18–24"}


def test_exports_carry_no_personal_data(district):
    ids = [s.pk for s in district["schools"]]
    tables = statistics(school_ids=ids, period=district["period"])
    text = statistics_csv(tables, district["period"]).decode()
    as_json = json.dumps(statistics_json(tables, district["period"]), ensure_ascii=False)
    for enrolment in district["people"]:
        person = enrolment.participant
        for exported in (text, as_json):
            assert person.last_name not in exported
            assert person.email not in exported
            assert "2004-05-17" not in exported
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == COLUMNS
    for row in reader:
        if row["suppressed"] == "true":
            assert row["value"] == ""
        elif row["unit"] not in ("%",) and row["table"].startswith("participants_"):
            assert int(row["value"]) >= MIN_CELL


def test_the_admin_downloads_only_their_district(client, district):
    other = SchoolFactory(district=DistrictFactory(code="fern", name="Fernkreis"), name="BBS Fern")
    CourseRunFactory(course__school=other)
    client.force_login(district_admin(district["district"]))
    query = f"?start={district['period'].start}&end={district['period'].end}"
    response = client.get(reverse("demand:statistics_export", args=["json"]) + query)
    data = response.json()
    groups = {row["group"] for table in data["tables"] for row in table["rows"]}
    assert "BBS Groß" in groups and "BBS Fern" not in groups
    assert set(data["columns"]) == set(COLUMNS)
