"""Publishing a task reuses the channel's Redis client (config/broker.py), and Celery reads the
configuration Django's settings give it (config/celery.py)."""

import os

from django.conf import settings

from config.broker import Channel
from config.celery import app as celery_app
from tests.redisutils import redis_or_skip

# Nothing is written: the test only opens a channel (a PING).
REDIS_URL = os.environ.get("BROKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


def test_a_redis_channel_keeps_one_client_until_its_pool_is_rebuilt():
    redis_or_skip(REDIS_URL)
    with celery_app.connection_for_write(REDIS_URL) as connection:
        channel = connection.default_channel
        assert isinstance(channel, Channel)
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
            assert first is second
        channel._disconnect_pools()  # as after a fork or a lost connection
        with channel.conn_or_acquire() as third:
            assert third is not first
            assert third.connection_pool is channel.pool
            assert third.ping()
        with channel.conn_or_acquire(first) as given:
            assert given is first


def test_celery_reads_the_celery_settings_of_django():
    conf = celery_app.conf
    assert conf.task_routes == settings.CELERY_TASK_ROUTES
    assert conf.task_publish_retry_policy == settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    assert conf.broker_transport_options == settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE
    assert conf.task_always_eager == settings.CELERY_TASK_ALWAYS_EAGER
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json"  # Celery's default: no Django setting names it
