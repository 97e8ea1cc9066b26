"""/healthz answers while the process lives; /readyz only while the database (and a configured
broker) answer, else 503 with a JSON body naming what failed."""

import socket

import pytest
from django.db import connections

from config import health


def test_healthz_is_200_without_touching_the_database(client):
    # No database fixture here: any query would raise, so liveness needs no database.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_200_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def _closed_port() -> int:
    """A local port nobody listens on: bind, read the number, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_database():
    """A real connection that fails: a PostgreSQL connection to a closed local port, used by
    /readyz in place of the default connection (kept out of the connection registry so the test
    framework does not stand in for it)."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings_dict = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "lernwerkstatt",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(_closed_port()),
        "OPTIONS": {"connect_timeout": 2},
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
    }
    unreachable = DatabaseWrapper(settings_dict, alias="unreachable")
    original = health.connection
    health.connection = unreachable
    yield
    health.connection = original
    unreachable.close()


def test_readyz_is_503_naming_the_database_when_it_is_down(client, db, unreachable_database):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "failed"
    # The driver's own words: a real refused connection, not a stand-in exception.
    assert "refused" in body["failed"]["database"].lower()
    assert "broker" not in body["failed"]  # no broker configured: nothing to fail


def test_readyz_is_503_naming_the_broker_when_it_is_down(client, settings, db):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/1"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"] == {"database": "ok", "broker": "failed", "worker": "ok"}
    assert list(body["failed"]) == ["broker"]


def test_readyz_is_200_with_a_live_broker(client, settings, db):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/1"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CELERY_BROKER_URL = url
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok", "worker": "ok"}


def test_readyz_says_when_no_broker_is_configured(client, settings, db):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "broker": "not configured",
        "worker": "not configured",
    }
