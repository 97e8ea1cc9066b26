"""/certificates/: links that work outside the API (verification page, PDF download)."""

import pytest

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_certificate_links_to_its_verification_page_and_pdf(api, world):
    row = api.get(f"/api/v1/certificates/{world.certificate.pk}/").json()
    assert row["verification_url"] == "https://lernwerkstatt.example/verify/abc123/"
    assert row["pdf_url"] == f"http://testserver/api/v1/certificates/{world.certificate.pk}/pdf/"
    response = api.get(row["pdf_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_certificate_without_pdf_is_a_404_problem(api, world):
    world.certificate.pdf = ""
    world.certificate.save(update_fields=["pdf"])
    assert api.get(f"/api/v1/certificates/{world.certificate.pk}/").json()["pdf_url"] is None
    body = assert_problem(api.get(f"/api/v1/certificates/{world.certificate.pk}/pdf/"), 404)
    assert body["code"] == "not_found"
