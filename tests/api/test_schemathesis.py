"""schemathesis against our own OpenAPI schema, through the WSGI app, with a valid key: no input
gives a server error, and every response matches the schema (status, content type, body)."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.services.keys import create_api_key

from .conftest import ALL_SCOPES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def _keep_test_connection():
    """schemathesis calls the WSGI app directly, so Django's request signals close "old"
    connections after each request; inside the test's transaction that would close it (on
    PostgreSQL). Django's own test client switches this off the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(_keep_test_connection, world, chamber):
    _key, plaintext = create_api_key(chamber=chamber, name="schemathesis", scopes=ALL_SCOPES)
    return {"Authorization": f"Bearer {plaintext}"}


# Loaded at collection through the WSGI app (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, bearer, world):
    case.call_and_validate(headers=bearer, checks=CHECKS)
