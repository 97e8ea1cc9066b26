"""Dates and numbers in API requests outside what Python or a column holds: a 400 problem naming
the field, never an overflow in the database or in date arithmetic."""

import pytest

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31"])
@pytest.mark.parametrize("field", ["date_of_birth", "apprenticeship_start"])
def test_trainee_dates_out_of_range_are_refused(api, member, field, value):
    body = {
        "lehrlingsrolle_number": "LR-88",
        "business": member.member_number,
        "first_name": "Lena",
        "last_name": "Weiß",
        field: value,
    }
    problem = assert_problem(api.post("/api/v1/trainees/", body, format="json"), 400)
    assert [e["field"] for e in problem["errors"]] == [field]


@pytest.mark.parametrize("run", [2**63, 2**70, "³", 1e20])
def test_an_enrolment_for_a_run_id_out_of_range_is_refused(api, apprentice, run):
    body = {"run": run, "trainee": apprentice.lehrlingsrolle_number}
    problem = assert_problem(api.post("/api/v1/enrolments/", body, format="json"), 400)
    assert problem["errors"][0]["field"] == "run"


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "²⁰²⁶-01-01T00:00Z"]
)
def test_updated_since_out_of_range_is_refused(api, value):
    assert_problem(api.get("/api/v1/runs/", {"updated_since": value}), 400)
