"""What schemathesis found when it sent negative and positive data (tests/api/test_schemathesis.py),
each reproduced: the server now enforces what the OpenAPI schema says, no more and no less."""

import pytest

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value",
    [
        "",  # present but empty
        "2025-03-01 08:00:00+01:00",  # a space instead of T: ISO 8601 maybe, RFC 3339 not
        "2025-03-01T08:00+01:00",  # no seconds
        "2025-03-01",  # a date
    ],
)
def test_updated_since_takes_only_an_rfc3339_date_time(api, value):
    body = assert_problem(api.get("/api/v1/enrolments/", {"updated_since": value}), 400)
    assert body["errors"][0]["field"] == "updated_since"


def test_updated_since_in_rfc3339_is_accepted(api):
    for value in ("2025-03-01T08:00:00+01:00", "2025-03-01T07:00:00.5Z"):
        assert api.get("/api/v1/enrolments/", {"updated_since": value}).status_code == 200


def _business(key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return {"member_number": "E-9", "name": "Elektro Nord"}, headers


@pytest.mark.parametrize("key", ["x" * 201, " padded", "tab\tinside", "ümlaut"])
def test_idempotency_keys_outside_the_schema_are_refused(api, key):
    body, headers = _business(key)
    problem = assert_problem(api.post("/api/v1/businesses/", body, format="json", **headers), 400)
    assert problem["errors"][0]["field"] == "Idempotency-Key"


def test_every_idempotency_key_the_schema_allows_is_accepted(api):
    for key in ("a", "x" * 200, "order 17/2025-03", "~!@#$%^&*()"):
        body, headers = _business(key)
        response = api.post("/api/v1/businesses/", body, format="json", **headers)
        assert response.status_code in (200, 201), (key, response.content)


@pytest.mark.parametrize("value", ["true", 1, 0, "yes", None])
def test_is_active_must_be_a_json_boolean(api, value):
    body = {"name": "Elektro Nord", "is_active": value}
    problem = assert_problem(api.put("/api/v1/businesses/E-9/", body, format="json"), 400)
    assert problem["errors"][0]["field"] == "is_active"
    assert (
        api.put("/api/v1/businesses/E-9/", {**body, "is_active": False}, format="json").json()[
            "is_active"
        ]
        is False
    )


def test_text_and_number_fields_take_only_their_json_type(api):
    problem = assert_problem(
        api.put("/api/v1/businesses/E-9/", {"name": "Elektro Nord", "city": 12}, format="json"),
        400,
    )
    assert [e["field"] for e in problem["errors"]] == ["city"]
    problem = assert_problem(
        api.post("/api/v1/enrolments/", {"run": "12", "trainee": 7}, format="json"), 400
    )
    assert {e["field"] for e in problem["errors"]} == {"run", "trainee"}


def test_an_unknown_tombstone_resource_is_refused(api):
    problem = assert_problem(api.get("/api/v1/tombstones/", {"resource": "courses"}), 400)
    assert problem["errors"][0]["field"] == "resource"
    assert api.get("/api/v1/tombstones/", {"resource": "trainees"}).status_code == 200


def test_put_takes_the_member_number_from_the_path_and_refuses_another_in_the_body(api):
    ok = api.put("/api/v1/businesses/E-9/", {"name": "Elektro Nord"}, format="json")
    assert ok.status_code == 201 and ok.json()["member_number"] == "E-9"
    # A client may repeat it (a round trip of what it read) ...
    same = {"name": "Elektro Nord GmbH", "member_number": "E-9"}
    assert api.put("/api/v1/businesses/E-9/", same, format="json").status_code == 200
    # ... but not name another business.
    other = {"name": "Elektro Nord", "member_number": "E-10"}
    problem = assert_problem(api.put("/api/v1/businesses/E-9/", other, format="json"), 422)
    assert problem["errors"][0]["field"] == "member_number"
    assert api.get("/api/v1/businesses/E-10/").status_code == 404
    assert api.get("/api/v1/businesses/E-9/").json()["name"] == "Elektro Nord GmbH"


def test_a_property_the_body_does_not_have_is_refused_naming_it(api, client):
    """One rule for every request body, in the schema and on the server: a misspelt field is
    a 400 naming it, not silently dropped (nor a NUL under it ignored)."""
    for body, field in (
        ({"name": "Elektro Nord", "emial": "info@example.org"}, "emial"),
        ({"name": "Elektro Nord", "note": "a\x00b"}, "note"),
    ):
        problem = assert_problem(api.put("/api/v1/businesses/E-9/", body, format="json"), 400)
        assert [e["field"] for e in problem["errors"]] == [field]
    assert api.get("/api/v1/businesses/E-9/").status_code == 404  # nothing half-written
    schema = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    requests = [name for name in schema if name.endswith("Request")]
    assert requests and all(schema[n]["additionalProperties"] is False for n in requests)


def test_post_requires_the_member_number_the_schema_requires(api, client):
    problem = assert_problem(api.post("/api/v1/businesses/", {"name": "X"}, format="json"), 400)
    assert problem["errors"][0]["field"] == "member_number"
    schema = client.get("/api/v1/schema/?format=json").json()
    create = schema["components"]["schemas"]["BusinessCreateRequest"]
    assert "member_number" in create["required"]
    put = schema["components"]["schemas"]["BusinessInputRequest"]
    assert "member_number" in put["properties"]
    assert "member_number" not in put.get("required", [])


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("courses:my", 400),
        ("ftp://example.org/x", 400),
        ("http://[", 422),
        ("http://x:99999/", 422),
    ],
)
def test_webhook_urls_outside_http_are_refused_never_a_500(api, url, status):
    body = {"url": url, "events": ["run.cancelled"]}
    problem = assert_problem(api.post("/api/v1/webhooks/", body, format="json"), status)
    assert problem["errors"][0]["field"] == "url"


def _strict_serializers():
    import importlib
    import pkgutil

    import api.serializers
    from api.serializers.fields import StrictInputSerializer

    for module in pkgutil.iter_modules(api.serializers.__path__):
        importlib.import_module(f"api.serializers.{module.name}")
    found, todo = [], [StrictInputSerializer]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return sorted(set(found), key=lambda s: s.__name__)


@pytest.mark.parametrize("serializer", _strict_serializers(), ids=lambda s: s.__name__)
def test_every_request_body_refuses_a_property_it_does_not_have(serializer):
    data = serializer(data={"zz_unknown": "x"}, partial=True)
    assert not data.is_valid()
    assert "zz_unknown" in data.errors
