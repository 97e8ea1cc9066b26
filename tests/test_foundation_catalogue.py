"""The public catalogue runs a fixed number of queries however many runs it lists: 3 runs and
30 runs (each with equipment needs, sessions and enrolments) cost the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CourseEquipmentFactory,
    CourseRunFactory,
    EnrolmentFactory,
    EquipmentFactory,
    EquipmentTypeFactory,
    SessionFactory,
    trainee,
)

pytestmark = pytest.mark.django_db


def add_runs(n: int, printer_type) -> None:
    for _ in range(n):
        run = CourseRunFactory(capacity=2, min_participants=1)
        CourseEquipmentFactory(course=run.course, equipment_type=printer_type)
        EquipmentFactory(workshop=run.workshop, type=printer_type)
        SessionFactory(run=run)
        EnrolmentFactory(run=run)
        EnrolmentFactory(run=run, status="waitlisted", waitlist_seq=1)


def queries_for(client, url="/") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "trainee"])
def test_catalogue_queries_do_not_grow_with_the_runs(client, who, django_assert_num_queries):
    if who == "trainee":
        client.force_login(trainee())
    printer = EquipmentTypeFactory(participants_per_unit=2)
    add_runs(3, printer)
    queries_for(client)  # warm up: session, content types and the like are loaded once
    small, page = queries_for(client)
    assert page.count('<th scope="row"') == 3

    add_runs(27, printer)
    large, page = queries_for(client)
    assert page.count('<th scope="row"') == 20  # a full page
    assert large == small
    print(f"catalogue queries ({who}): {small}")
    with django_assert_num_queries(small):
        client.get("/?page=2")


def test_catalogue_shows_seats_left_per_run(client):
    printer = EquipmentTypeFactory(participants_per_unit=2)
    run = CourseRunFactory(capacity=10, course__title="Lasergravur für Tischlereien")
    CourseEquipmentFactory(course=run.course, equipment_type=printer)
    EquipmentFactory(workshop=run.workshop, type=printer)  # one printer: 2 seats
    EnrolmentFactory(run=run)
    _, page = queries_for(client)
    assert "Lasergravur für Tischlereien" in page
    row = page[page.index("Lasergravur für Tischlereien") :]
    row = row[: row.index("</tr>")]
    assert (
        'data-label="Freie Plätze">1</td>' in row
    )  # min(10 seats, 16 in room, 2 printer seats) - 1
