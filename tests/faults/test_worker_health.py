"""A worker that stopped consuming is noticed (/readyz reads the age of the heartbeat beat sends
through the broker to a worker), and the documented topology restarts workers and beat."""

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from core.services.heartbeat import record_heartbeat
from core.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def live_broker(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.WORKER_HEARTBEAT_MAX_AGE = 120


@pytest.mark.django_db
def test_readyz_fails_while_no_worker_has_run_the_heartbeat_lately(client, live_broker):
    assert client.get("/readyz").status_code == 200  # a fresh installation: none yet
    record_heartbeat(now=timezone.now() - dt.timedelta(minutes=5))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "failed"
    assert re.search(r"heartbeat 30\d s ago", response.json()["failed"]["worker"])
    heartbeat.delay()  # eager here: as a worker runs it when beat sends it
    assert client.get("/readyz").status_code == 200


def test_beat_sends_the_heartbeat_often_enough():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["core.heartbeat"]
    assert entry["task"] == "core.tasks.heartbeat"
    assert entry["schedule"] * 3 <= settings.WORKER_HEARTBEAT_MAX_AGE


def test_compose_restarts_worker_and_beat():
    services = yaml.safe_load((ROOT / "docker/compose.yaml").read_text())["services"]
    for name in ("worker", "beat", "web"):
        assert services[name].get("restart") in {"unless-stopped", "always"}, name


@pytest.mark.parametrize("unit", ["web", "worker", "beat"])
def test_systemd_units_restart_and_run_the_documented_commands(unit):
    text = (ROOT / f"deploy/systemd/lernwerkstatt-{unit}.service").read_text()
    assert re.search(r"^Restart=always$", text, re.M)
    command = re.search(r"^ExecStart=(\S+)\s+(.*)$", text, re.M)
    assert command.group(1).endswith(
        {"web": "gunicorn", "worker": "celery", "beat": "celery"}[unit]
    )
    readme = (ROOT / "README.md").read_text()
    assert f"deploy/systemd/lernwerkstatt-{unit}.service" in readme
