"""The API's request parsers: deep, oversized, NUL-holding or non-finite JSON is a 400 (or 413)
problem, not a RecursionError or a database error."""

import json

import pytest

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

TRAINEE = {
    "lehrlingsrolle_number": "LR-9",
    "business": "4711",
    "first_name": "Lena",
    "last_name": "Weiß",
}


def _post(api, path, body: str):
    return api.generic("POST", path, data=body, content_type="application/json")


@pytest.mark.parametrize("depth", [33, 2000, 100_000])
def test_deeply_nested_json_is_a_bad_request(api, member, depth):
    body = json.dumps({**TRAINEE, "x": 1})[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    problem = assert_problem(_post(api, "/api/v1/trainees/", body), 400)
    assert "verschachtelt" in problem["detail"]


def test_nesting_within_the_limit_is_read(api, member):
    # Read, so the serializer sees it: a property a trainee does not have, named in the 400.
    body = json.dumps({**TRAINEE, "deep": [[[[1]]]]})
    problem = assert_problem(_post(api, "/api/v1/trainees/", body), 400)
    assert [e["field"] for e in problem["errors"]] == ["deep"]


@pytest.mark.parametrize("field", ["first_name", "business", "lehrlingsrolle_number"])
def test_nul_in_json_is_refused_naming_the_field(api, member, field):
    from people.models import TraineeProfile

    body = json.dumps({**TRAINEE, field: "a\x00b"})
    problem = assert_problem(_post(api, "/api/v1/trainees/", body), 400)
    assert problem["errors"][0]["field"] == field
    assert not TraineeProfile.objects.filter(lehrlingsrolle_number="LR-9").exists()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(api, number):
    body = '{"run": ' + number + ', "trainee": "LR-1"}'
    assert_problem(_post(api, "/api/v1/enrolments/", body), 400)


def test_a_body_above_the_upload_limit_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({**TRAINEE, "occupation": "x" * 2000})
    assert_problem(_post(api, "/api/v1/trainees/", body), 413)


@pytest.mark.parametrize("value", ["³", "٣", "9" * 30, "-1"])
def test_unicode_digits_and_huge_ids_in_filters_are_a_bad_request(api, value):
    assert_problem(api.get("/api/v1/enrolments/", {"run": value}), 400)
