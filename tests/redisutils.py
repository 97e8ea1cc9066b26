"""Tests that need a real Redis (a Celery broker for a real worker) skip where none answers."""

import pytest


def redis_or_skip(url: str):
    """A client of the Redis database at `url`, or the test is skipped naming why."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis unreachable at {url}: {exc}")
    return client
