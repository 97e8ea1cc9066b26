"""HostileInputMiddleware: NUL anywhere in a request, a body above the limit and an id beyond
64 bits end as 4xx before a view runs (PostgreSQL cannot hold NUL in text; SQLite and
PostgreSQL cannot hold such ids), also on PostgreSQL where NUL used to be a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import CourseFactory, TraineeProfileFactory, coordinator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/verify/%00/",
        "/verify/a%00b/badge.json",
        "/my/calendar/feed/a%00b.ics",
        "/business/approvals/%00/",
    ],
)
def test_nul_in_the_path_is_a_bad_request(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()


@pytest.mark.parametrize("query", ["?q=%00", "?page=%00", "?%00=1", "?status=a%00"])
def test_nul_in_the_query_is_a_bad_request(client, query):
    user = coordinator()
    client.force_login(user)
    assert client.get("/staff/courses/" + query).status_code == 400
    assert client.get("/" + query).status_code == 400


def test_nul_in_posted_form_data_is_a_bad_request_and_nothing_is_written(client):
    user = coordinator()
    client.force_login(user)
    course = CourseFactory(school=user.memberships.get().school)
    response = client.post(f"/staff/courses/{course.pk}/edit/", {"title": "Neu\x00"})
    assert response.status_code == 400
    course.refresh_from_db()
    assert course.title != "Neu\x00"


def test_nul_in_the_api_query_is_a_problem(client):
    response = client.get("/api/v1/runs/?updated_since=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "nul_character"


def test_nul_in_a_stored_header_is_a_problem(client):
    response = client.post(
        "/api/v1/webhooks/", {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k\x00"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"


def test_a_cookie_with_nul_is_dropped_not_looked_up(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("pk", ["9223372036854775808", "99999999999999999999999999"])
def test_an_id_beyond_64_bits_names_nothing(client, pk):
    user = TraineeProfileFactory().user
    client.force_login(user)
    assert client.get(f"/runs/{pk}/").status_code == 404
    assert client.get(f"/my/feedback/{pk}/").status_code == 404


def test_a_body_above_the_limit_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    response = client.post("/accounts/login/", {"login": "x" * 2000, "password": "y"})
    assert response.status_code == 413


def test_the_verification_upload_is_refused_unread_above_the_pdf_limit(client, monkeypatch):
    from certificates import forms as certificate_forms
    from certificates.verify import verify

    assert verify.max_request_body == certificate_forms.UPLOAD_PDF_MAX_BYTES + 64 * 1024
    read = []
    monkeypatch.setattr(
        certificate_forms.VerifyUploadForm, "__init__", lambda *a, **k: read.append(1)
    )
    big = SimpleUploadedFile("c.pdf", b"%PDF" + b"0" * (verify.max_request_body + 1))
    response = client.post("/verify/ABC-123/", {"file": big})
    assert response.status_code == 413
    assert "Anfrage zu groß" in response.content.decode()
    assert read == []
