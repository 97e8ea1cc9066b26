"""/moochub/courses/: the public catalogue as a MOOChub v3 feed, checked against the official
MOOChub JSON schema (tests/vendor/moochub) with format checking."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tests.timeutils import day_at

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "vendor/moochub/moochub-schema-v3.0.1.json").read_text()
)
URL = "/api/v1/moochub/courses/"


def schema_errors(body: dict) -> list[str]:
    validator = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)
    ]


def test_the_schema_itself_is_valid_and_checks_formats():
    Draft202012Validator.check_schema(SCHEMA)
    # Format checking is on: an id that is no UUID is an error, not a pass.
    assert schema_errors({"links": {}, "data": [{"id": "course-1", "type": "Course"}]})


@pytest.fixture
def catalogue(world):
    """Besides the world's run: a paid two-day run at another level, a run without sessions,
    and runs the feed must not show (draft, booking closed)."""
    from tests.factories import CourseFactory, CourseRunFactory, SessionFactory

    paid = CourseRunFactory(
        course=CourseFactory(
            level="advanced",
            learning_outcomes="SPS <programmieren>\nTesten",
            competences=["5.1", "3.4"],
        ),
        price_business=Decimal("120.00"),
        title_suffix="Frühjahr",
    )
    for day in (22, 23):
        SessionFactory(run=paid, start=day_at(day, 8), end=day_at(day, 15, 30))
    CourseRunFactory(course=CourseFactory(level="intermediate"))
    CourseRunFactory(status="draft")
    closed = CourseRunFactory(booking_closes_at=day_at(-1, 0), booking_opens_at=day_at(-5, 0))
    return paid, closed


def test_feed_validates_against_the_official_schema_with_zero_errors(client, catalogue):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 3
    assert schema_errors(body) == []


def test_feed_fields_a_portal_reads(client, world, catalogue):
    paid, closed = catalogue
    body = client.get(URL).json()
    by_url = {c["attributes"]["url"]: c for c in body["data"]}
    assert f"https://lernwerkstatt.example/runs/{closed.pk}/" not in by_url
    course = by_url[f"https://lernwerkstatt.example/runs/{world.run.pk}/"]
    attributes = course["attributes"]
    assert uuid.UUID(course["id"]).version == 5
    assert attributes["name"] == world.course.title
    assert attributes["inLanguage"] == ["de"]
    assert attributes["duration"] == "PT8H"
    assert attributes["workload"] == {"timeValue": 8, "timeUnit": "h/day"}
    assert attributes["creator"][0] == {
        "type": "Organization",
        "name": world.run.school.name,
        "url": "https://lernwerkstatt.example/",
    }
    assert attributes["contentLocation"]["name"] == world.run.school.name
    assert attributes["educationalLevel"][0]["educationalFramework"] == "DigComp"
    assert attributes["learningResourceType"]["identifier"] == "https://w3id.org/kim/hcrt/course"
    assert attributes["license"] == [{"identifier": "proprietary", "url": None}]
    assert attributes["access"] == ["free"]
    assert attributes["startDate"][0].startswith(str(world.session.start.year))

    other = by_url[f"https://lernwerkstatt.example/runs/{paid.pk}/"]["attributes"]
    assert other["duration"] == "PT15H"  # two sessions of 7.5 hours
    assert other["workload"] == {"timeValue": 8, "timeUnit": "h/day"}  # 7.5 rounded
    assert other["access"] == ["paid"]
    assert other["offer"][0]["price"] == 120.0
    assert "<li>SPS &lt;programmieren&gt;</li>" in other["description"]
    assert body["links"]["self"].endswith("?page=1")


def test_teaches_carries_the_courses_digcomp_competences(client, world, catalogue):
    paid, _closed = catalogue
    body = client.get(URL).json()
    assert schema_errors(body) == []
    by_url = {c["attributes"]["url"]: c["attributes"] for c in body["data"]}
    teaches = by_url[f"https://lernwerkstatt.example/runs/{paid.pk}/"]["teaches"]
    # In the framework's order, each a Skill of the schema's shape.
    assert [skill["shortCode"] for skill in teaches] == ["3.4", "5.1"]
    programming = teaches[0]
    assert {"inLanguage": "en", "name": "Programming"} in programming["name"]
    assert {"inLanguage": "de", "name": "Programmieren"} in programming["name"]
    assert programming["educationalFramework"] == "DigComp"
    assert programming["educationalFrameworkVersion"] == "2.2"
    assert programming["url"].startswith("https://publications.jrc.ec.europa.eu/")
    assert by_url[f"https://lernwerkstatt.example/runs/{world.run.pk}/"]["teaches"] == []
    # The schema checks the Skill's shape: a framework it does not know is an error.
    programming["educationalFramework"] = "OurOwn"
    assert schema_errors(body)


def test_ids_are_stable_uuids_across_requests_and_pages(client, catalogue):
    first = [c["id"] for c in client.get(URL).json()["data"]]
    again = [c["id"] for c in client.get(URL).json()["data"]]
    assert first == again
    assert len(set(first)) == len(first)


def test_media_type_carries_the_moochub_version(client, world):
    response = client.get(URL)
    assert response["Content-Type"] == "application/vnd.api+json; moochub-version=3.0.1"
    asked = client.get(URL, HTTP_ACCEPT="application/vnd.api+json; moochub-version=3")
    assert asked.status_code == 200
    assert asked["Content-Type"] == "application/vnd.api+json; moochub-version=3.0.1"
    old = client.get(URL, HTTP_ACCEPT="application/vnd.api+json; moochub-version=2")
    assert old.status_code == 406
    assert old["Content-Type"] == "application/problem+json"


def test_bad_page_numbers_are_problems(client, world):
    for page in ("0", "x", "²"):
        response = client.get(URL, {"page": page})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"


def test_feed_pages_past_fifty_runs(client, world):
    from tests.factories import CourseRunFactory

    CourseRunFactory.create_batch(50, course=world.course)
    first = client.get(URL).json()
    second = client.get(URL, {"page": 2}).json()
    assert len(first["data"]) == 50
    assert len(second["data"]) == 1
    assert schema_errors(second) == []
    assert "prev" in second["links"]
    assert dt.datetime.fromisoformat(first["meta"]["generated"])
