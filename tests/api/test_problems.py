"""One error shape everywhere (api.problems): RFC 9457 problem details for every 4xx."""

import pytest

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/enrolments/99999999999999999999999/", "/api/v1/enrolments/abc/", "/api/v1/nope/"],
)
def test_unknown_ids_and_paths_are_404_problems(api, path):
    assert_problem(api.get(path), 404)


def test_validation_errors_list_every_field(api):
    body = assert_problem(
        api.post("/api/v1/webhooks/", {"url": "ftp://x", "events": []}, format="json"), 400
    )
    assert {e["field"] for e in body["errors"]} == {"url", "events"}
    body = assert_problem(
        api.post(
            "/api/v1/webhooks/",
            {"url": "javascript:alert(1)", "events": ["run.cancelled"]},
            format="json",
        ),
        400,
    )
    assert body["errors"][0]["field"] == "url"
    body = assert_problem(
        api.post("/api/v1/businesses/", "not json", content_type="application/json"), 400
    )
    assert body["code"] == "parse_error"
    assert_problem(api.delete("/api/v1/courses/"), 405)


def test_unauthenticated_problem_has_www_authenticate(client):
    response = client.get("/api/v1/courses/")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body["code"] == "not_authenticated"


def test_throttling_per_key_with_retry_after(make_client, chamber, settings):
    settings.API_THROTTLE_RATE = "3/min"
    first, second = make_client(chamber), make_client(chamber)
    for _ in range(3):
        assert first.get("/api/v1/courses/").status_code == 200
    response = first.get("/api/v1/courses/")
    body = assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert body["retry_after"] == int(response["Retry-After"])
    assert second.get("/api/v1/courses/").status_code == 200  # another key has its own budget


@pytest.mark.django_db
def test_unknown_path_with_an_encoded_newline_is_a_problem_404(api):
    # found by schemathesis: "%0A" in an id fell through the catch-all to the HTML 404
    response = api.get("/api/v1/courses/abc%0Adef/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
