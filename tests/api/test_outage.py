"""The API when the database or Redis is gone: a problem+json 503 with Retry-After for the
database; with Redis (the throttle's cache) unreachable the API keeps answering, fast."""

import time

import pytest
from django.core.cache import caches

from tests.faults.outages import closed_port, driver_error

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_the_api_answers_a_problem_503_during_a_database_outage(api, monkeypatch):
    from django.db import connection

    api.raise_request_exception = False
    error = driver_error()

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(connection, "cursor", refuse)
    response = api.get("/api/v1/runs/")
    monkeypatch.undo()
    body = assert_problem(response, 503)
    assert response["Retry-After"] == "30"
    assert body["code"] == "unavailable"


@pytest.fixture
def redis_cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield
    caches["default"].close()


def test_with_redis_down_the_throttled_api_answers_and_logs(
    api, settings, redis_cache_down, caplog
):
    settings.API_THROTTLE_RATE = "2/min"
    started = time.monotonic()
    statuses = [api.get("/api/v1/courses/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # fails open: nothing counted, nothing refused
    assert time.monotonic() - started < 5
    assert "cache unavailable" in caplog.text
