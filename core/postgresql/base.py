"""Django's PostgreSQL backend (ENGINE "core.postgresql") with a health check that costs no round
trip while the connection is sound.

With CONN_HEALTH_CHECKS, Django asks a kept connection "SELECT 1" before the first query of every
request: a round trip per request, on every page and every booking. A server that ends a
connection (a restart, pg_terminate_backend, an idle timeout) says so on the socket and closes it,
so an idle connection whose socket has nothing to read is alive as far as asking could tell; only
then is the question skipped. Anything else (something to read, a transaction left open, a closed
or broken connection) gets Django's own check."""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if self._quiet_and_idle(connection):
            return True
        return super().is_usable()

    @staticmethod
    def _quiet_and_idle(connection) -> bool:
        from psycopg.pq import TransactionStatus

        if connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
