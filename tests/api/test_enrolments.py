"""/enrolments/: booking and cancelling through the API give the web's results; the hand-written
output equals the declared fields."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from courses.models import Enrolment
from tests.factories import (
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    TraineeProfileFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_run():
    run = CourseRunFactory(capacity=1, min_participants=0)
    SessionFactory(run=run)
    return run


@pytest.fixture
def apprentices(member):
    return [
        TraineeProfileFactory(business=member, lehrlingsrolle_number=f"LR-{i}") for i in range(1, 4)
    ]


def test_booking_confirms_then_waitlists_with_position(api, small_run, apprentices):
    first = api.post("/api/v1/enrolments/", {"run": small_run.pk, "trainee": "LR-1"}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "confirmed"
    assert first.json()["lehrlingsrolle_number"] == "LR-1"
    second = api.post(
        "/api/v1/enrolments/",
        {"run": small_run.pk, "trainee": str(apprentices[1].pk)},
        format="json",
    )
    assert second.json()["status"] == "waitlisted"
    assert second.json()["waitlist_position"] == 1
    assert Enrolment.objects.get(pk=second.json()["id"]).source == "api"
    third = api.post("/api/v1/enrolments/", {"run": small_run.pk, "trainee": "LR-3"}, format="json")
    assert third.json()["waitlist_position"] == 2

    duplicate = api.post(
        "/api/v1/enrolments/", {"run": small_run.pk, "trainee": "LR-1"}, format="json"
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "already_enrolled"
    assert duplicate.json()["errors"][0]["field"] == "trainee"

    cancelled = api.post(
        f"/api/v1/enrolments/{first.json()['id']}/cancel/", {"reason": "krank"}, format="json"
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    promoted = api.get(f"/api/v1/enrolments/{second.json()['id']}/").json()
    assert promoted["status"] == "confirmed"
    assert api.get(f"/api/v1/enrolments/{third.json()['id']}/").json()["waitlist_position"] == 1

    again = api.post(f"/api/v1/enrolments/{first.json()['id']}/cancel/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "cancellation_not_allowed"


def test_booking_errors_are_problems(api, apprentices):
    closed = CourseRunFactory(
        booking_closes_at=timezone.now() - dt.timedelta(hours=1),
        booking_opens_at=timezone.now() - dt.timedelta(days=3),
    )
    response = api.post("/api/v1/enrolments/", {"run": closed.pk, "trainee": "LR-1"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "booking_closed"
    draft = CourseRunFactory(status="draft")
    response = api.post("/api/v1/enrolments/", {"run": draft.pk, "trainee": "LR-1"}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "run"
    response = api.post(
        "/api/v1/enrolments/", {"run": closed.pk, "trainee": "LR-404"}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "trainee"
    response = api.post("/api/v1/enrolments/", {"run": "abc", "trainee": ""}, format="json")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"run", "trainee"}


def test_cancel_after_deadline_is_refused_like_for_a_business(api, apprentices):
    run = CourseRunFactory(cancellation_deadline=timezone.now() - dt.timedelta(hours=1))
    booked = api.post("/api/v1/enrolments/", {"run": run.pk, "trainee": "LR-1"}, format="json")
    assert booked.json()["status"] == "confirmed"
    response = api.post(f"/api/v1/enrolments/{booked.json()['id']}/cancel/", {}, format="json")
    assert response.status_code == 409
    assert Enrolment.objects.get(pk=booked.json()["id"]).status == "confirmed"


def _waitlisted(run, member):
    EnrolmentFactory(
        run=run,
        participant=TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-Q").user,
        status="waitlisted",
        waitlist_seq=1,
        confirmed_at=None,
    )


def test_fast_enrolment_output_equals_the_declared_fields(api, member):
    from rest_framework import serializers

    from api.selectors import enrolments_of
    from api.serializers.enrolments import EnrolmentSerializer

    run = CourseRunFactory(capacity=1, min_participants=0)
    EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    _waitlisted(run, member)
    for enrolment in enrolments_of(member.chamber):
        serializer = EnrolmentSerializer(enrolment)
        assert serializer.data == serializers.ModelSerializer.to_representation(
            serializer, enrolment
        )


@pytest.mark.parametrize("name", ["Azubi Meyer", "Jürgen Öztürk\u2028"])
def test_list_pages_are_the_declared_fields_byte_for_byte_etag_included(api, member, name):
    """The list reads plain rows, not model instances: its pages (bytes and ETag) are still what
    the declared fields give, for ASCII and other names, every status, whole seconds too."""
    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer

    from api.selectors import enrolments_of
    from api.serializers.enrolments import EnrolmentSerializer
    from core.conditional import digest_etag

    run = CourseRunFactory(capacity=1, min_participants=0)
    whole_second = timezone.now().replace(microsecond=0)
    EnrolmentFactory(
        run=run,
        participant=TraineeProfileFactory(business=member).user,
        participant_name=name,
        confirmed_at=whole_second,
    )
    _waitlisted(run, member)
    EnrolmentFactory(
        run=run,
        participant=TraineeProfileFactory(business=member).user,
        status="cancelled",
        cancelled_at=timezone.now() - dt.timedelta(days=400),  # in winter time or summer time
        cancel_reason="krank",
    )
    path = "/api/v1/enrolments/?page_size=2"
    for _page in range(2):
        response = api.get(path)
        page = response.json()
        shown = enrolments_of(member.chamber).filter(pk__in=[r["id"] for r in page["results"]])
        declared = [
            serializers.ModelSerializer.to_representation(EnrolmentSerializer(e), e)
            for e in sorted(shown, key=lambda e: (e.updated_at, e.pk))
        ]
        assert response.content.endswith(b'"results":' + JSONRenderer().render(declared) + b"}")
        rows_json = json.dumps(declared, default=str, separators=(",", ":")).encode()
        more = b"more" if page["next"] else b"last"
        assert response["ETag"] == digest_etag(rows_json, more, path.encode())
        path = page["next"] and page["next"].split("testserver", 1)[1]
    assert path is None
