"""Idempotency records hold a response with personal data: they live 24 hours, are purged by beat,
an expired key counts as new, and a replay never hands out a trainee deleted since."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from api.models import IdempotencyRecord
from api.tasks import purge_idempotency_records
from people.models import TraineeProfile

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def _trainee(number="LR-2025-0042", first_name="Mia"):
    return {
        "lehrlingsrolle_number": number,
        "first_name": first_name,
        "last_name": "Neumann",
        "business": "4711",
        "occupation": "Tischler:in",
        "apprenticeship_start": "2025-08-01",
        "date_of_birth": "2008-04-30",
    }


def _age(hours: float) -> None:
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=hours))


def test_replay_of_a_deleted_trainee_is_refused(api, member):
    first = api.post("/api/v1/trainees/", _trainee(), format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == 201, first.content
    assert api.delete(f"/api/v1/trainees/{first.json()['id']}/").status_code == 204
    assert not TraineeProfile.objects.filter(pk=first.json()["id"]).exists()

    replay = api.post("/api/v1/trainees/", _trainee(), format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    body = assert_problem(replay, 410)
    assert body["code"] == "idempotency_replay_gone"
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert "Mia" not in replay.content.decode() and "Neumann" not in replay.content.decode()


def test_replay_within_24_hours_still_answers_the_first_response(api, member):
    first = api.post("/api/v1/trainees/", _trainee(), format="json", HTTP_IDEMPOTENCY_KEY="t-2")
    _age(23.5)
    replay = api.post("/api/v1/trainees/", _trainee(), format="json", HTTP_IDEMPOTENCY_KEY="t-2")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()


def test_an_expired_key_is_new_again(api, member):
    api.post("/api/v1/trainees/", _trainee(), format="json", HTTP_IDEMPOTENCY_KEY="t-3")
    _age(24.5)
    # Another body under the same key: within 24 hours a 422, after them a new request.
    other = _trainee(number="LR-2025-0043", first_name="Jonas")
    response = api.post("/api/v1/trainees/", other, format="json", HTTP_IDEMPOTENCY_KEY="t-3")
    assert response.status_code == 201, response.content
    assert "Idempotent-Replayed" not in response
    assert TraineeProfile.objects.filter(lehrlingsrolle_number="LR-2025-0043").exists()
    record = IdempotencyRecord.objects.get(key="t-3")
    assert record.created_at > timezone.now() - dt.timedelta(minutes=1)
    assert record.response_body["first_name"] == "Jonas"


def test_beat_purges_records_older_than_24_hours(api, member):
    api.post("/api/v1/trainees/", _trainee(), format="json", HTTP_IDEMPOTENCY_KEY="old")
    _age(25)
    api.post("/api/v1/trainees/", _trainee("LR-9"), format="json", HTTP_IDEMPOTENCY_KEY="new")
    assert purge_idempotency_records() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert (
        settings.CELERY_BEAT_SCHEDULE["api.purge_idempotency_records"]["task"]
        == "api.tasks.purge_idempotency_records"
    )
