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

from api.services import create_api_key

from .conftest import ALL_SCOPES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def bearer(world, chamber):
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
