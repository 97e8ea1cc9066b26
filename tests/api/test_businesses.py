"""/businesses/: upserts by member number that change nothing twice; fields not sent stay."""

import pytest

from people.models import Business

pytestmark = pytest.mark.django_db


def test_put_business_twice_changes_nothing(api, chamber):
    body = {"name": "Elektro Kaya", "city": "Stade", "email": "info@kaya.example"}
    first = api.put("/api/v1/businesses/E-100/", body, format="json")
    assert first.status_code == 201
    assert first.json()["member_number"] == "E-100"
    second = api.put("/api/v1/businesses/E-100/", body, format="json")
    assert second.status_code == 200
    assert second.json() == first.json()  # same id, same updated_at: nothing was written
    assert Business.objects.filter(chamber=chamber, member_number="E-100").count() == 1

    changed = api.put("/api/v1/businesses/E-100/", {**body, "city": "Buxtehude"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["id"] == first.json()["id"]
    assert changed.json()["city"] == "Buxtehude"
    assert changed.json()["updated_at"] > first.json()["updated_at"]


def test_post_business_upserts_by_member_number(api, member):
    response = api.post(
        "/api/v1/businesses/",
        {"member_number": "4711", "name": member.name, "city": member.city},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["id"] == member.pk
    assert response.json()["updated_at"] == api.get("/api/v1/businesses/4711/").json()["updated_at"]
    missing = api.post("/api/v1/businesses/", {"name": "Ohne Nummer"}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "member_number"


def test_fields_not_sent_stay_and_blank_ones_clear(api, member):
    member.city, member.street, member.email = "Stade", "Am Hafen 1", "info@schroeder.example"
    member.save()
    response = api.put("/api/v1/businesses/4711/", {"name": "Schröder GmbH"}, format="json")
    row = response.json()
    assert (row["name"], row["city"], row["street"]) == ("Schröder GmbH", "Stade", "Am Hafen 1")
    row = api.put(
        "/api/v1/businesses/4711/", {"name": "Schröder GmbH", "email": ""}, format="json"
    ).json()
    assert (row["email"], row["city"]) == ("", "Stade")
