"""Redis down (cache and broker on a port nobody listens on): a web booking neither hangs nor
fails; rate limits fail open with a log line and the outbox delivers the e-mail later."""

import time

import pytest
from django.core import mail
from django.core.cache import caches

from core.models import OutboxEmail
from core.services.outbox import hand_off_now
from courses.models import Enrolment
from tests.courses.booking_fixtures import make_run, verified_trainee

from .outages import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield
    caches["default"].close()


def test_signing_in_and_booking_with_redis_down_is_quick_and_booked(
    client, cache_down, broker_down, django_capture_on_commit_callbacks, caplog
):
    run = make_run()
    person = verified_trainee()
    person.set_password("Werkstatt-2026!")
    person.save()
    # Sign-in counts failed attempts in the cache: it still works, without counting.
    response = client.post(
        "/accounts/login/", {"login": person.email, "password": "Werkstatt-2026!"}
    )
    assert response.status_code == 302
    assert client.get(f"/runs/{run.pk}/").status_code == 200
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/runs/{run.pk}/book/")
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 3, f"booking took {elapsed:.1f} s with Redis down"
    assert Enrolment.objects.get(run=run, participant=person).status == "confirmed"
    assert OutboxEmail.objects.get().status == "pending"  # sent by the sweep once Redis is back
    assert mail.outbox == []
    assert "cache unavailable" in caplog.text
    hand_off_now()  # what the hand-off gathered meets the broker down
    assert "not handed off" in caplog.text
    assert OutboxEmail.objects.get().status == "pending"


def test_the_cache_degrades_instead_of_raising(cache_down):
    cache = caches["default"]
    assert cache.get("k", "fallback") == "fallback"
    assert cache.add("k", 1) is True  # as a lock: proceed
    assert cache.incr("k") == 1
    assert cache.get_many(["a", "b"]) == {}
    cache.set("k", 1)
    cache.delete("k")
