"""Every operation of the chamber API with hostile input: never a server error.

The operations come from our own OpenAPI schema. Hypothesis fills the path with known ids and
hostile values, each query parameter and body property with hostile values (NUL, numbers and
dates out of range, Unicode digits, control characters, long text, deep JSON), and sometimes
sends a body that is no JSON object at all. FUZZ_EXAMPLES (tests/fuzz/hostile.py) sets the cases
per operation."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz.hostile import EXAMPLES, RAW_BODIES, json_value, text

from .conftest import client_for


def _operations() -> list[tuple[str, str, dict]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper(), operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = _operations()


def _properties(operation: dict, components: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    return list(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))


COMPONENTS = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


@pytest.fixture
def fuzz_api(world, make_client, chamber):
    from api.services.keys import create_api_key

    from .conftest import ALL_SCOPES

    _key, plaintext = create_api_key(chamber=chamber, name="fuzz", scopes=ALL_SCOPES)
    known = [
        world.run.pk, world.enrolment.pk, world.attendance.pk, world.trainee.pk,
        world.certificate.pk, world.webhook.pk, world.course.pk,
    ]  # fmt: skip
    return client_for(plaintext), known, world.business.member_number


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _o in OPERATIONS]
)
@settings(
    max_examples=EXAMPLES * 3,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_server_error(path, method, operation, data, fuzz_api):
    api, known, member_number = fuzz_api

    def fill(match):
        if match[1] == "member_number":
            value = data.draw(st.just(member_number) | text, label="member_number")
        else:
            value = data.draw(
                st.sampled_from(known).map(str) | st.sampled_from(["0", "9" * 19, "³"]) | text,
                label=match[1],
            )
        from urllib.parse import quote

        return quote(value, safe="") or "x"

    url = re.sub(r"\{(\w+)\}", fill, path)
    params = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
    chosen = data.draw(st.lists(st.sampled_from(params), unique=True)) if params else []
    query = {name: data.draw(text, label=name) for name in chosen}
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)

    body = None
    if method in {"POST", "PUT", "PATCH"}:
        props = _properties(operation, COMPONENTS)
        body = data.draw(
            st.fixed_dictionaries({}, optional=dict.fromkeys(props, json_value)).map(json.dumps)
            | json_value.map(json.dumps)
            | st.sampled_from(RAW_BODIES),
            label="body",
        )
    headers = {}
    if method == "POST" and data.draw(st.booleans(), label="idempotent"):
        headers["HTTP_IDEMPOTENCY_KEY"] = data.draw(text, label="Idempotency-Key")
    response = api.generic(method, url, data=body or "", content_type="application/json", **headers)
    assert response.status_code < 500, f"{method} {url} {body!r:.300} -> {response.status_code}"
