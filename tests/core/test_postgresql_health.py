"""The PostgreSQL backend's health check (core.postgresql): a sound kept connection is reused
without asking the server first, and one the server has ended is noticed and replaced before a
request uses it, as with Django's own check."""

import time

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from people.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _asked(connection, monkeypatch) -> list[str]:
    """The statements sent over the driver's connection outside Django's cursors."""
    sent = []
    original = type(connection.connection).cursor

    def cursor(self, *args, **kwargs):
        made = original(self, *args, **kwargs)
        execute = made.execute

        def recorded(query, *a, **kw):
            sent.append(str(query))
            return execute(query, *a, **kw)

        made.execute = recorded
        return made

    monkeypatch.setattr(type(connection.connection), "cursor", cursor)
    return sent


def _next_request(connection) -> None:
    """What Django does between two requests of a worker with kept connections."""
    connection.close_if_unusable_or_obsolete()  # request_finished
    connection.close_if_unusable_or_obsolete()  # request_started
    connection.ensure_connection()
    connection.close_if_health_check_failed()  # before the first query of the request


def test_a_sound_connection_is_reused_without_a_question(monkeypatch):
    connection = connections[DEFAULT_DB_ALIAS]
    assert connection.health_check_enabled
    User.objects.count()
    kept = connection.connection
    sent = _asked(connection, monkeypatch)
    _next_request(connection)
    assert connection.connection is kept
    assert sent == []
    assert User.objects.count() == 0


def test_a_connection_the_server_ended_is_replaced_before_it_is_used():
    connection = connections[DEFAULT_DB_ALIAS]
    User.objects.count()
    kept = connection.connection
    pid = kept.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(50):  # the server's goodbye reaches the socket
        if not connection._quiet_and_idle(kept):
            break
        time.sleep(0.02)
    _next_request(connection)
    assert connection.connection is not kept
    assert User.objects.count() == 0  # no error reached the request
