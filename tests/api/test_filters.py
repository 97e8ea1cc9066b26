"""List parameters (api.filters and the FilterSets of each resource): they narrow the list they
document, a bad value is a 400 problem naming the parameter (never a 500), and a single object is
found by its id alone."""

import datetime as dt

import pytest
from django.utils import timezone

from api.services.tombstones import record_tombstone
from certificates.models import Certificate
from courses.models import Attendance, Enrolment
from tests.factories import (
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    TraineeProfileFactory,
)

from .conftest import assert_problem, sync

pytestmark = pytest.mark.django_db


def _ids(api, path, params=None, key="id"):
    response = api.get(path, {"page_size": 1000, **(params or {})})
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


@pytest.fixture
def second(world, member):
    """Beside `world`: a cancelled run of another course with an enrolment of another apprentice,
    its attendance and certificate."""
    run = CourseRunFactory(status="cancelled", cancelled_at=timezone.now())
    session = SessionFactory(run=run)
    profile = TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-2")
    enrolment = EnrolmentFactory(run=run, participant=profile.user, status="cancelled")
    attendance = Attendance.objects.create(enrolment=enrolment, session=session, status="absent")
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number="BBS-2025-0002",
        verification_code="def456",
        issued_at=timezone.now(),
    )
    record_tombstone(resource="trainees", object_id=998, chamber_id=member.chamber_id)
    return run, profile, enrolment, attendance, certificate


def test_each_list_parameter_narrows_its_list(api, world, second):
    run, profile, enrolment, attendance, certificate = second
    assert _ids(api, "/api/v1/runs/") == {world.run.pk, run.pk}
    assert _ids(api, "/api/v1/runs/", {"course": world.course.pk}) == {world.run.pk}
    assert _ids(api, "/api/v1/runs/", {"status": "cancelled"}) == {run.pk}

    assert _ids(api, "/api/v1/enrolments/", {"run": run.pk}) == {enrolment.pk}
    assert _ids(api, "/api/v1/enrolments/", {"trainee": world.trainee.pk}) == {world.enrolment.pk}
    assert _ids(api, "/api/v1/enrolments/", {"status": "confirmed"}) == {world.enrolment.pk}

    assert _ids(api, "/api/v1/attendance/", {"run": run.pk}) == {attendance.pk}
    assert _ids(api, "/api/v1/attendance/", {"enrolment": world.enrolment.pk}) == {
        world.attendance.pk
    }
    assert _ids(api, "/api/v1/certificates/", {"enrolment": enrolment.pk}) == {certificate.pk}

    # The number is compared without surrounding blanks.
    assert _ids(api, "/api/v1/trainees/", {"lehrlingsrolle_number": " LR-2 "}) == {profile.pk}

    assert _ids(api, "/api/v1/tombstones/", {"resource": "trainees"}, "object_id") == {"998"}
    # The schema's enum: an unknown resource is refused.
    assert api.get("/api/v1/tombstones/", {"resource": "rooms"}).status_code == 400

    # Empty values filter nothing.
    assert _ids(api, "/api/v1/enrolments/", {"run": "", "status": ""}) == {
        world.enrolment.pk,
        enrolment.pk,
    }


def test_updated_since_returns_only_what_changed(api, member):
    run = CourseRunFactory(capacity=50, min_participants=0)
    old = [
        EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
        for _ in range(3)
    ]
    Enrolment.objects.update(updated_at=timezone.now() - dt.timedelta(days=2))
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    fresh = EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    rows, _ = sync(api, "/api/v1/enrolments/", updated_since=since)
    assert [r["id"] for r in rows] == [fresh.pk]
    assert old[0].pk not in {r["id"] for r in rows}

    bad = api.get("/api/v1/enrolments/", {"updated_since": "gestern"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "updated_since"
    naive = api.get("/api/v1/enrolments/", {"updated_since": "2025-01-01T10:00:00"})
    assert naive.status_code == 400


@pytest.mark.parametrize(
    "path,params,field",
    [
        ("/api/v1/enrolments/", {"cursor": "not a cursor!"}, "cursor"),
        ("/api/v1/enrolments/", {"cursor": ""}, "cursor"),
        ("/api/v1/enrolments/", {"page_size": "0"}, "page_size"),
        ("/api/v1/enrolments/", {"page_size": "x"}, "page_size"),
        ("/api/v1/enrolments/", {"run": "-1"}, "run"),
        ("/api/v1/enrolments/", {"run": "9" * 30}, "run"),
        ("/api/v1/runs/", {"status": "draft"}, "status"),
        ("/api/v1/courses/", {"updated_since": "2025-13-45T99:00:00Z"}, "updated_since"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_field(api, path, params, field):
    body = assert_problem(api.get(path, params), 400)
    assert body["errors"][0]["field"] == field


@pytest.mark.parametrize(
    "path,params,message",
    [
        ("/api/v1/attendance/", {"enrolment": "12a"}, "Eine positive ganze Zahl erwartet."),
        # A digit to str.isdigit() that int() refuses: still a 400, not a server error.
        ("/api/v1/certificates/", {"enrolment": "²"}, "Eine positive ganze Zahl erwartet."),
        ("/api/v1/enrolments/", {"status": " confirmed"}, "Unbekannter Status."),
        (
            "/api/v1/tombstones/",
            {"updated_since": "2025-03-01T08:00:00"},
            "Der Zeitpunkt braucht eine Zeitzone (Z oder +01:00).",
        ),
        (
            "/api/v1/webhooks/",
            {"updated_since": "gestern"},
            "Kein Zeitpunkt nach ISO 8601, z. B. 2025-03-01T08:00:00+01:00.",
        ),
    ],
)
def test_a_bad_value_names_its_parameter_and_says_why(api, path, params, message):
    body = assert_problem(api.get(path, params), 400)
    assert body["code"] == "validation_failed"
    [error] = body["errors"]
    assert error == {"field": next(iter(params)), "message": message, "code": "invalid"}


def test_parameters_narrow_lists_not_lookups(api, world):
    # A single object is found by its id (among the chamber's) whatever the query string says.
    response = api.get(f"/api/v1/enrolments/{world.enrolment.pk}/", {"status": "cancelled"})
    assert response.status_code == 200
    response = api.get(f"/api/v1/webhooks/{world.webhook.pk}/", {"updated_since": "x"})
    assert response.status_code == 200

    # The delivery log filters the deliveries by updated_since, not the endpoint they belong to.
    deliveries = f"/api/v1/webhooks/{world.webhook.pk}/deliveries/"
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = api.get(deliveries, {"updated_since": later})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert_problem(api.get(deliveries, {"updated_since": "x"}), 400)


@pytest.mark.parametrize("cursor", ["not-a-cursor", "eyJ1IjoxfQ"])
def test_a_cursor_of_the_right_form_we_never_issued_is_422(api, cursor):
    from .conftest import assert_problem

    problem = assert_problem(api.get("/api/v1/enrolments/", {"cursor": cursor}), 422)
    assert problem["errors"][0]["field"] == "cursor"
