"""/enrolments/: booking and cancelling through the API give the web's results; the hand-written
output equals the declared fields."""

import datetime as dt

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


def test_fast_enrolment_output_equals_the_declared_fields(api, member):
    from rest_framework import serializers

    from api.selectors import enrolments_of
    from api.serializers.enrolments import EnrolmentSerializer

    run = CourseRunFactory(capacity=1, min_participants=0)
    EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    EnrolmentFactory(
        run=run,
        participant=TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-Q").user,
        status="waitlisted",
        waitlist_seq=1,
        confirmed_at=None,
    )
    for enrolment in enrolments_of(member.chamber):
        serializer = EnrolmentSerializer(enrolment)
        assert serializer.data == serializers.ModelSerializer.to_representation(
            serializer, enrolment
        )
