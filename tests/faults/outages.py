"""Real outages for tests: ports nobody listens on, and the database driver's own error."""

import socket

import pytest
from django.db import OperationalError, connection


def closed_port() -> int:
    """A local port nobody listens on: bind, read the number, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def driver_error() -> OperationalError:
    """The error psycopg raises when PostgreSQL is gone, as Django hands it on."""
    import psycopg

    try:
        psycopg.connect(host="127.0.0.1", port=closed_port(), connect_timeout=2)
    except psycopg.OperationalError as exc:
        wrapped = OperationalError(*exc.args)
        wrapped.__cause__ = exc
        return wrapped
    raise AssertionError("a closed port accepted a connection")


@pytest.fixture
def database_down(monkeypatch):
    """From now on every query of this process fails as during a database restart."""
    error = driver_error()

    def refuse(*args, **kwargs):
        raise error

    def down():
        monkeypatch.setattr(connection, "cursor", refuse)
        monkeypatch.setattr(connection, "chunked_cursor", refuse)

    return down
