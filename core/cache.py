"""A Redis cache that degrades instead of failing: the cache is an optimisation and the place
where rate limits count, never a dependency of a booking. While Redis is unreachable, reads
miss, writes are dropped and counters start again at one (throttles fail open), each with a
warning in the log; with the short socket timeouts of settings.CACHES nothing hangs."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _degrade(name: str, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            logger.warning("cache unavailable (%s in %s): degrading", type(exc).__name__, name)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


def _default(key, default=None, version=None):
    return default


def _delta(key, delta=1, version=None):
    return delta


class ResilientRedisCache(RedisCache):
    # True: callers use add() as a lock (allauth's rate limits); without Redis they proceed.
    add = _degrade("add", True)
    get = _degrade("get", _default)
    set = _degrade("set", None)
    touch = _degrade("touch", False)
    delete = _degrade("delete", False)
    get_many = _degrade("get_many", lambda *args, **kwargs: {})
    has_key = _degrade("has_key", False)
    incr = _degrade("incr", _delta)
    set_many = _degrade("set_many", lambda *args, **kwargs: [])
    delete_many = _degrade("delete_many", None)
    clear = _degrade("clear", False)
