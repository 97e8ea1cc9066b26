"""Booking through the API gives the web's results; Idempotency-Key replays or refuses."""

import datetime as dt

import pytest
from django.utils import timezone

from api.models import IdempotencyRecord
from courses.models import Enrolment
from tests.factories import CourseRunFactory, SessionFactory, TraineeProfileFactory

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


def test_same_idempotency_key_and_body_replays_without_booking_twice(api, small_run, apprentices):
    body = {"run": small_run.pk, "trainee": "LR-1"}
    first = api.post("/api/v1/enrolments/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    replay = api.post("/api/v1/enrolments/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert Enrolment.objects.filter(run=small_run).count() == 1

    other = api.post(
        "/api/v1/enrolments/",
        {"run": small_run.pk, "trainee": "LR-2"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Enrolment.objects.filter(run=small_run).count() == 1

    # Without a key the same body is a new request: the booking rule answers (already enrolled).
    assert api.post("/api/v1/enrolments/", body, format="json").status_code == 409


def test_idempotency_keys_are_per_api_key_and_replay_errors_too(
    api, make_client, chamber, small_run, apprentices
):
    body = {"run": small_run.pk, "trainee": "LR-404"}
    first = api.post("/api/v1/enrolments/", body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert first.status_code == 422
    TraineeProfileFactory(business=apprentices[0].business, lehrlingsrolle_number="LR-404")
    replay = api.post("/api/v1/enrolments/", body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert replay.status_code == 422  # the first answer, even though it would succeed now
    assert replay["Content-Type"] == "application/problem+json"
    second_key = make_client(chamber)
    fresh = second_key.post("/api/v1/enrolments/", body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert fresh.status_code == 201
    assert IdempotencyRecord.objects.count() == 2


def test_webhook_secret_is_not_kept_for_replays(api):
    body = {"url": "https://kammer.example/hook", "events": ["enrolment.created"]}
    first = api.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="w")
    assert first.json()["secret"].startswith("whsec_")
    replay = api.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="w")
    assert replay.json()["id"] == first.json()["id"]
    assert replay.json()["secret"] is None
    assert first.json()["secret"] not in str(IdempotencyRecord.objects.get().response_body)
