"""Every endpoint × (no key, bad keys, other chamber's key, key without the scope, right key)."""

import datetime as dt

import pytest
from django.utils import timezone

from api.services.keys import create_api_key, revoke_api_key

from .conftest import ALL_SCOPES, client_for

# (name, method, path template, body, scopes that grant it, status for the right key,
#  status for another chamber's key with every scope)
ENDPOINTS = [
    ("courses", "get", "/api/v1/courses/", None, ["courses:read"], 200, 200),
    ("course", "get", "/api/v1/courses/{course}/", None, ["courses:read"], 200, 200),
    ("runs", "get", "/api/v1/runs/", None, ["courses:read"], 200, 200),
    ("demand", "get", "/api/v1/demand/courses/", None, ["courses:read"], 200, 200),
    ("run", "get", "/api/v1/runs/{run}/", None, ["courses:read"], 200, 200),
    ("uelu", "get", "/api/v1/runs/{run}/uelu-report/", None, ["enrolments:read"], 200, 200),
    ("enrolments", "get", "/api/v1/enrolments/", None, ["enrolments:read"], 200, 200),
    ("enrolment", "get", "/api/v1/enrolments/{enrolment}/", None, ["enrolments:read"], 200, 404),
    (
        "book",
        "post",
        "/api/v1/enrolments/",
        {"run": "{run}", "trainee": "LR-2099-002"},
        ["enrolments:write"],
        201,
        422,
    ),
    (
        "cancel",
        "post",
        "/api/v1/enrolments/{enrolment}/cancel/",
        {},
        ["enrolments:write"],
        200,
        404,
    ),
    ("attendances", "get", "/api/v1/attendance/", None, ["enrolments:read"], 200, 200),
    ("attendance", "get", "/api/v1/attendance/{attendance}/", None, ["enrolments:read"], 200, 404),
    (
        "businesses",
        "get",
        "/api/v1/businesses/",
        None,
        ["enrolments:read", "businesses:write"],
        200,
        200,
    ),
    (
        "business",
        "get",
        "/api/v1/businesses/4711/",
        None,
        ["enrolments:read", "businesses:write"],
        200,
        404,
    ),
    (
        "business-post",
        "post",
        "/api/v1/businesses/",
        {"member_number": "4712", "name": "Elektro Kaya"},
        ["businesses:write"],
        201,
        201,  # the natural key is per chamber: the other chamber creates its own member
    ),
    (
        "business-put",
        "put",
        "/api/v1/businesses/4711/",
        {"name": "Tischlerei Schröder GmbH"},
        ["businesses:write"],
        200,
        201,
    ),
    ("business-delete", "delete", "/api/v1/businesses/4711/", None, ["businesses:write"], 204, 404),
    (
        "trainees",
        "get",
        "/api/v1/trainees/",
        None,
        ["enrolments:read", "businesses:write"],
        200,
        200,
    ),
    (
        "trainee",
        "get",
        "/api/v1/trainees/{trainee}/",
        None,
        ["enrolments:read", "businesses:write"],
        200,
        404,
    ),
    (
        "trainee-post",
        "post",
        "/api/v1/trainees/",
        {"lehrlingsrolle_number": "LR-9", "business": "4711", "first_name": "A", "last_name": "B"},
        ["businesses:write"],
        201,
        422,  # 4711 is not the other chamber's member
    ),
    (
        "trainee-delete",
        "delete",
        "/api/v1/trainees/{trainee}/",
        None,
        ["businesses:write"],
        204,
        404,
    ),
    ("certificates", "get", "/api/v1/certificates/", None, ["certificates:read"], 200, 200),
    (
        "certificate",
        "get",
        "/api/v1/certificates/{certificate}/",
        None,
        ["certificates:read"],
        200,
        404,
    ),
    (
        "certificate-pdf",
        "get",
        "/api/v1/certificates/{certificate}/pdf/",
        None,
        ["certificates:read"],
        200,
        404,
    ),
    (
        "tombstones",
        "get",
        "/api/v1/tombstones/",
        None,
        ["enrolments:read", "businesses:write"],
        200,
        200,
    ),
    ("webhooks", "get", "/api/v1/webhooks/", None, ["webhooks:manage"], 200, 200),
    (
        "webhook-post",
        "post",
        "/api/v1/webhooks/",
        {"url": "https://kammer.example/hook", "events": ["certificate.issued"]},
        ["webhooks:manage"],
        201,
        201,
    ),
    ("webhook", "get", "/api/v1/webhooks/{webhook}/", None, ["webhooks:manage"], 200, 404),
    (
        "webhook-patch",
        "patch",
        "/api/v1/webhooks/{webhook}/",
        {"is_active": False},
        ["webhooks:manage"],
        200,
        404,
    ),
    (
        "webhook-delete",
        "delete",
        "/api/v1/webhooks/{webhook}/",
        None,
        ["webhooks:manage"],
        204,
        404,
    ),
    (
        "deliveries",
        "get",
        "/api/v1/webhooks/{webhook}/deliveries/",
        None,
        ["webhooks:manage"],
        200,
        404,
    ),
]


def _fill(value, ids):
    if isinstance(value, str):
        text = value.format(**ids)
        return int(text) if text.isdigit() and value.startswith("{") else text
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.fixture
def call(world, member):
    from tests.factories import TraineeProfileFactory

    # A second apprentice to book (the first is already enrolled).
    TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-2099-002")
    ids = {
        "course": world.course.pk,
        "run": world.run.pk,
        "enrolment": world.enrolment.pk,
        "attendance": world.attendance.pk,
        "trainee": world.trainee.pk,
        "certificate": world.certificate.pk,
        "webhook": world.webhook.pk,
    }

    def do(client, method, path, body):
        return getattr(client, method)(_fill(path, ids), _fill(body, ids), format="json")

    return do


PARAMS = [pytest.param(*e, id=e[0]) for e in ENDPOINTS]


@pytest.mark.parametrize("name,method,path,body,scopes,ok,other", PARAMS)
def test_no_or_bad_key_is_401(call, chamber, name, method, path, body, scopes, ok, other):
    expired, expired_plain = create_api_key(
        chamber=chamber,
        name="old",
        scopes=ALL_SCOPES,
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    revoked, revoked_plain = create_api_key(chamber=chamber, name="gone", scopes=ALL_SCOPES)
    revoke_api_key(api_key=revoked)
    for plaintext in (None, "lw_00000000.wrong", expired_plain, revoked_plain, revoked_plain + "x"):
        response = call(client_for(plaintext), method, path, body)
        assert response.status_code == 401, (plaintext, response.content)
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("name,method,path,body,scopes,ok,other", PARAMS)
def test_key_without_scope_is_403(
    call, make_client, chamber, name, method, path, body, scopes, ok, other
):
    client = make_client(chamber, [s for s in ALL_SCOPES if s not in scopes])
    response = call(client, method, path, body)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("name,method,path,body,scopes,ok,other", PARAMS)
def test_other_chambers_key_sees_nothing_of_ours(
    call, make_client, other_chamber, world, name, method, path, body, scopes, ok, other
):
    response = call(make_client(other_chamber, ALL_SCOPES), method, path, body)
    assert response.status_code == other, response.content
    if method == "get" and other == 200 and "results" in response.json():
        # Lists of chamber data come back empty; the catalogue is the same for everyone.
        if name not in ("courses", "runs"):
            assert response.json()["results"] == []
        else:
            assert response.json()["results"] != []
    if name == "uelu":
        assert response.json()["participants"] == []


@pytest.mark.parametrize("name,method,path,body,scopes,ok,other", PARAMS)
def test_right_key_succeeds_with_each_granting_scope(
    call, make_client, chamber, name, method, path, body, scopes, ok, other
):
    for scope in scopes[:1]:
        response = call(make_client(chamber, [scope]), method, path, body)
        assert response.status_code == ok, response.content
    if len(scopes) > 1 and method == "get":
        response = call(make_client(chamber, [scopes[1]]), method, path, body)
        assert response.status_code == ok


def test_the_chamber_cancels_as_its_members_contact_would(api, member, other_chamber):
    """Cancel until the deadline (test_enrolments: refused after it); leave the waiting list
    always; never for another chamber's member."""
    from api.permissions import ChamberAsBusinessContact
    from tests.factories import (
        BusinessFactory,
        CourseRunFactory,
        EnrolmentFactory,
        TraineeProfileFactory,
    )

    run = CourseRunFactory(cancellation_deadline=timezone.now() - dt.timedelta(hours=1))
    waiting = EnrolmentFactory(
        run=run,
        participant=TraineeProfileFactory(business=member).user,
        status="waitlisted",
        waitlist_seq=1,
        confirmed_at=None,
    )
    response = api.post(f"/api/v1/enrolments/{waiting.pk}/cancel/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"

    foreign = EnrolmentFactory(
        run=run,
        participant=TraineeProfileFactory(business=BusinessFactory(chamber=other_chamber)).user,
    )
    actor = ChamberAsBusinessContact(member.chamber)
    assert actor.has_perm("courses.cancel_enrolment", waiting)
    assert not actor.has_perm("courses.cancel_enrolment", foreign)
    assert not actor.has_perm("courses.cancel_after_deadline", run)
