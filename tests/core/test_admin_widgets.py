"""Admin pages render a posted or linked value their field cannot hold as an error or leave it
out; Django's widgets alone answered both with a 500."""

import pytest

from tests.factories import CourseRunFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["?start=-207", "?start=abc&end=0001-13-01", "?day=³"])
def test_an_add_page_ignores_dates_in_the_query_that_are_no_dates(admin_client, query):
    assert admin_client.get("/admin/courses/session/add/" + query).status_code == 200


def test_an_add_page_takes_a_real_date_from_the_query(admin_client):
    page = admin_client.get("/admin/courses/session/add/?start=2031-03-03T08:00:00")
    assert page.status_code == 200
    assert "03.03.2031" in page.content.decode()  # German admin date format


@pytest.mark.parametrize("value", ["\t\x0b", "abc", "³", "9" * 30])
def test_an_autocomplete_field_with_an_invalid_id_shows_the_error(admin_client, value):
    run = CourseRunFactory()
    response = admin_client.post(
        "/admin/courses/courserun/add/",
        {"course": value, "school": run.school.pk, "workshop": run.workshop.pk},
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
