"""One error shape everywhere; throttling; the schema, docs and feeds."""

import io

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from api.models import ApiKey

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}


def _assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].startswith("urn:lernwerkstatt:problem:")
    return body


@pytest.mark.parametrize(
    "path,params,field",
    [
        ("/api/v1/enrolments/", {"cursor": "not-a-cursor"}, "cursor"),
        ("/api/v1/enrolments/", {"cursor": "eyJ1IjoxfQ"}, "cursor"),
        ("/api/v1/enrolments/", {"page_size": "0"}, "page_size"),
        ("/api/v1/enrolments/", {"page_size": "x"}, "page_size"),
        ("/api/v1/enrolments/", {"run": "-1"}, "run"),
        ("/api/v1/enrolments/", {"run": "9" * 30}, "run"),
        ("/api/v1/runs/", {"status": "draft"}, "status"),
        ("/api/v1/courses/", {"updated_since": "2025-13-45T99:00:00Z"}, "updated_since"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_field(api, path, params, field):
    body = _assert_problem(api.get(path, params), 400)
    assert body["errors"][0]["field"] == field


@pytest.mark.parametrize(
    "path",
    ["/api/v1/enrolments/99999999999999999999999/", "/api/v1/enrolments/abc/", "/api/v1/nope/"],
)
def test_unknown_ids_and_paths_are_404_problems(api, path):
    _assert_problem(api.get(path), 404)


def test_validation_errors_list_every_field(api):
    body = _assert_problem(
        api.post("/api/v1/webhooks/", {"url": "ftp://x", "events": []}, format="json"), 400
    )
    assert {e["field"] for e in body["errors"]} == {"url", "events"}
    body = _assert_problem(
        api.post(
            "/api/v1/webhooks/",
            {"url": "javascript:alert(1)", "events": ["run.cancelled"]},
            format="json",
        ),
        400,
    )
    assert body["errors"][0]["field"] == "url"
    body = _assert_problem(
        api.post("/api/v1/businesses/", "not json", content_type="application/json"), 400
    )
    assert body["code"] == "parse_error"
    _assert_problem(api.delete("/api/v1/courses/"), 405)


def test_unauthenticated_problem_has_www_authenticate(client):
    response = client.get("/api/v1/courses/")
    body = _assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body["code"] == "not_authenticated"


def test_throttling_per_key_with_retry_after(make_client, chamber, settings):
    settings.API_THROTTLE_RATE = "3/min"
    first, second = make_client(chamber), make_client(chamber)
    for _ in range(3):
        assert first.get("/api/v1/courses/").status_code == 200
    response = first.get("/api/v1/courses/")
    body = _assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert body["retry_after"] == int(response["Retry-After"])
    assert second.get("/api/v1/courses/").status_code == 200  # another key has its own budget


def test_schema_describes_auth_errors_and_every_endpoint(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["chamberKey"] == {
        **schema["components"]["securitySchemes"]["chamberKey"],
        "type": "http",
        "scheme": "bearer",
    }
    assert "Problem" in schema["components"]["schemas"]
    paths = schema["paths"]
    for path in (
        "/api/v1/courses/",
        "/api/v1/runs/{id}/uelu-report/",
        "/api/v1/enrolments/{id}/cancel/",
        "/api/v1/businesses/{member_number}/",
        "/api/v1/certificates/{id}/pdf/",
        "/api/v1/webhooks/{id}/deliveries/",
        "/api/v1/tombstones/",
        "/api/v1/moochub/courses/",
    ):
        assert path in paths, path
    get_enrolments = paths["/api/v1/enrolments/"]["get"]
    assert {"401", "403", "404", "429"} <= set(get_enrolments["responses"])
    assert "application/problem+json" in get_enrolments["responses"]["401"]["content"]
    assert {p["name"] for p in get_enrolments["parameters"]} >= {"cursor", "updated_since", "run"}
    post = paths["/api/v1/enrolments/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in post["parameters"]}
    assert {"409", "422"} <= set(post["responses"])


def test_docs_are_served_with_local_assets(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "unpkg" not in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert client.get("/api/v1/redoc/").status_code == 200


def test_moochub_feed_lists_the_public_catalogue(client, world):
    from tests.factories import CourseRunFactory

    CourseRunFactory(status="draft")
    response = client.get("/api/v1/moochub/courses/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.api+json"
    body = response.json()
    assert len(body["data"]) == 1
    course = body["data"][0]
    assert course["type"] == "Course"
    attributes = course["attributes"]
    assert attributes["name"] == world.course.title
    assert attributes["learningObjectives"] == world.course.learning_outcome_list
    assert attributes["languages"] == ["de"]
    assert attributes["duration"] == "PT16H"
    assert attributes["url"].endswith(f"/runs/{world.run.pk}/")
    assert attributes["startDate"][0].startswith(str(world.run.starts_at.year))
    assert body["links"]["self"].endswith("?page=1")
    assert client.get("/api/v1/moochub/courses/", {"page": "0"}).status_code == 400


def test_create_api_key_command_prints_the_key_last(chamber):
    out = io.StringIO()
    call_command(
        "create_api_key",
        "--chamber",
        chamber.code,
        "--scopes",
        "courses:read,enrolments:read",
        "--expires-days",
        "30",
        stdout=out,
    )
    plaintext = out.getvalue().strip().splitlines()[-1]
    key = ApiKey.objects.get(chamber=chamber)
    assert plaintext.startswith(key.prefix + ".")
    assert plaintext not in key.key_hash and key.key_hash != plaintext
    assert key.scopes == ["courses:read", "enrolments:read"]
    assert key.expires_at is not None
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert client.get("/api/v1/courses/").status_code == 200
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "create_api_key", "--chamber", chamber.code, "--scopes", "everything", stdout=out
        )


@pytest.mark.django_db
def test_unknown_path_with_an_encoded_newline_is_a_problem_404(api):
    # found by schemathesis: "%0A" in an id fell through the catch-all to the HTML 404
    response = api.get("/api/v1/courses/abc%0Adef/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
