"""The staff dashboard: the charts with their tables for coordinators, none for instructors,
in a number of queries that does not grow with the runs."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CourseRunFactory,
    EnrolmentFactory,
    EquipmentFactory,
    SchoolFactory,
    coordinator,
    instructor,
)

pytestmark = pytest.mark.django_db


def _run(school, *, capacity=10, days=10, **kwargs):
    start = timezone.now() + dt.timedelta(days=days)
    return CourseRunFactory(
        course__school=school,
        capacity=capacity,
        min_participants=2,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        **kwargs,
    )


def test_dashboard_shows_charts_with_table_fallback(client):
    school = SchoolFactory()
    run = _run(school, capacity=4)
    EnrolmentFactory(run=run)
    EquipmentFactory(workshop=run.workshop)
    client.force_login(coordinator(school=school))
    html = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/charts.js" in html
    assert 'id="chart-fill-rate"' in html and 'id="chart-equipment-hours"' in html
    # The figures are in a real table with headers, not only in the canvas.
    table = html[html.index('id="chart-fill-rate"') :]
    assert '<th scope="col"' in table and f'<th scope="row">{run.course.title}' in table
    assert re.search(r'<canvas role="img" aria-label="[^"]*25 %', table)
    spec = json.loads(
        re.search(
            r'<script id="fill-rate" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert spec["series"][0]["values"] == [25]


def test_dashboard_in_english(client):
    school = SchoolFactory()
    _run(school)
    client.force_login(coordinator(school=school))
    client.cookies["django_language"] = "en"
    html = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "Fill rate of upcoming courses" in html
    assert "Data as a table" in html


def test_instructors_see_no_school_charts(client):
    school = SchoolFactory()
    _run(school)
    client.force_login(instructor(school=school))
    html = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "chart-fill-rate" not in html
    assert "chart.umd.min.js" not in html


@pytest.mark.parametrize("runs", [2, 12])
def test_dashboard_queries_do_not_grow_with_runs(client, runs, django_assert_max_num_queries):
    school = SchoolFactory()
    for day in range(runs):
        run = _run(school, days=day + 1)
        EnrolmentFactory(run=run)
        EquipmentFactory(workshop=run.workshop)
    client.force_login(coordinator(school=school))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("courses:staff_dashboard"))
    assert response.status_code == 200
