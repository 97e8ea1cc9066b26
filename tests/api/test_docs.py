"""The OpenAPI schema and its documentation pages."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


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
