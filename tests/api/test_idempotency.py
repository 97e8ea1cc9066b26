"""Idempotency-Key on POST: the same key and body replay the first answer, another body is a 422;
parallel requests with one key book once (PostgreSQL only can prove that)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from api.models import IdempotencyRecord
from api.services.keys import create_api_key
from courses.models import Enrolment
from tests.factories import CourseRunFactory, SessionFactory, TraineeProfileFactory

from .conftest import ALL_SCOPES

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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_with_one_idempotency_key_book_once(chamber, member):
    run = CourseRunFactory(capacity=5, min_participants=0)
    SessionFactory(run=run)
    TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-P")
    _key, plaintext = create_api_key(chamber=chamber, name="race", scopes=ALL_SCOPES)
    barrier = threading.Barrier(6)
    responses = []

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        barrier.wait()
        try:
            responses.append(
                client.post(
                    "/api/v1/enrolments/",
                    {"run": run.pk, "trainee": "LR-P"},
                    format="json",
                    HTTP_IDEMPOTENCY_KEY="once",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(responses) == 6
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.get("Idempotent-Replayed") == "true" for r in responses) == 5
    assert Enrolment.objects.filter(run=run).count() == 1
    assert IdempotencyRecord.objects.count() == 1
