"""Faults of the production topology, made real where a test can: a broker or cache URL on a
local port nobody listens on, a database driver's own connection error."""

import pytest

from config.celery import app as celery_app

from .outages import closed_port, database_down  # noqa: F401 - fixtures


def _forget_broker_pools():
    # The app caches its broker connection pools on first use; the next send builds them anew.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):
    """Celery publishes to a Redis broker that refuses connections (as during a Redis restart)
    instead of running tasks eagerly."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    old = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    settings.CELERY_BROKER_URL = url
    _forget_broker_pools()
    yield url
    celery_app.conf.update(**old)
    _forget_broker_pools()
