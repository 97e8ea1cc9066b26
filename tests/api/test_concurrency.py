"""What only PostgreSQL can prove: parallel requests with one Idempotency-Key book once."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from api.models import IdempotencyRecord
from api.services import create_api_key
from courses.models import Enrolment
from tests.factories import CourseRunFactory, SessionFactory, TraineeProfileFactory

from .conftest import ALL_SCOPES


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
