"""The Redis broker transport of this project: kombu's own, except that a channel keeps the Redis
client it publishes with.

kombu's Redis channel builds a new `redis.Redis` client for every command it sends without one,
every published task included (its connection is pooled, but a client's constructor fills a
table of about 170 response callbacks). A client is stateless apart from its connection pool and
safe to share; it is rebuilt when the channel's pool is (after a fork or a disconnect), so a
reconnect behaves as before."""

from contextlib import contextmanager

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _command_client = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool
        cached = self._command_client
        if cached is None or cached.connection_pool is not pool:
            cached = self._command_client = self._create_client()
        yield cached


class Transport(kombu_redis.Transport):
    Channel = Channel


def use_for_redis_urls() -> None:
    """A redis:// broker URL (in settings or changed later on the app's conf) uses this
    transport; rediss:// and sentinel:// keep kombu's."""
    TRANSPORT_ALIASES["redis"] = f"{__name__}:Transport"
