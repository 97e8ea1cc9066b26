"""schemathesis against our own OpenAPI schema, through the WSGI app, with a valid key, with every
check it has and with both positive data (valid by the schema: must be accepted) and negative
data (invalid by the schema: must be rejected with a 4xx). So the schema says what the server
enforces: limits, formats, header lengths, and path and body agreeing."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.config._checks import (
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
    PositiveDataAcceptanceConfig,
)

from api.services.keys import create_api_key

from .conftest import ALL_SCOPES


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
# Query parameters and headers the schema does not name are ignored, as HTTP caches, proxies and
# tracking add them; request bodies refuse unknown properties (additionalProperties: false, tested
# for every body serializer in test_schema_enforced.py). schemathesis couples the two, so its
# "extra parameters" are off.
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], allow_extra_parameters=False
)
# Every check, "schema-valid request rejected" included: the schema carries the plausible years
# of a date as a pattern and forbids properties a body does not have, as the server does.
# A 422 is an answer to valid data too: a cursor of the right form this server did not issue,
# an unknown run, a booking rule; malformed input is a 400.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=[*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
)
# Examples per operation: SCHEMATHESIS_EXAMPLES (CI sets it; a quick local run takes the default).
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    # The same cases on every run and machine: a finding is a regression, not a dice roll.
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, bearer, world):
    # No `checks`: every check schemathesis ships (not only "no server error").
    case.call_and_validate(headers=bearer)
