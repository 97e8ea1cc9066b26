"""/trainees/: upserts by Lehrlingsrolle number; a login without password for new apprentices."""

import pytest

from people.models import TraineeProfile
from tests.factories import BusinessFactory, TraineeProfileFactory

pytestmark = pytest.mark.django_db


def test_trainee_upsert_creates_login_without_password_and_is_idempotent(api, member):
    body = {
        "lehrlingsrolle_number": "LR-2025-0042",
        "business": "4711",
        "first_name": "Özlem",
        "last_name": "Yılmaz",
        "occupation": "Elektroniker:in",
        "apprenticeship_start": "2025-08-01",
        "date_of_birth": "2008-04-30",
    }
    first = api.post("/api/v1/trainees/", body, format="json")
    assert first.status_code == 201, first.content
    profile = TraineeProfile.objects.get(lehrlingsrolle_number="LR-2025-0042")
    assert profile.business == member
    assert not profile.user.has_usable_password()
    assert first.json()["email"] is None  # the placeholder address is not shown as real

    again = api.post("/api/v1/trainees/", body, format="json")
    assert again.status_code == 200
    assert again.json() == first.json()

    moved = BusinessFactory(chamber=member.chamber, member_number="4800")
    changed = api.post("/api/v1/trainees/", {**body, "business": "4800"}, format="json")
    assert changed.json()["business"] == moved.pk
    assert changed.json()["updated_at"] > first.json()["updated_at"]


def test_trainee_of_another_chambers_business_cannot_be_taken_over(api, member, other_chamber):
    foreign = TraineeProfileFactory(
        business=BusinessFactory(chamber=other_chamber), lehrlingsrolle_number="LR-X"
    )
    body = {
        "lehrlingsrolle_number": "LR-X",
        "business": "4711",
        "first_name": "A",
        "last_name": "B",
    }
    response = api.post("/api/v1/trainees/", body, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "lehrlingsrolle_number"
    foreign.refresh_from_db()
    assert foreign.business.chamber == other_chamber
    assert foreign.user.first_name != "A"


def test_fields_not_sent_stay_and_null_clears_a_date(api, member):
    body = {
        "lehrlingsrolle_number": "LR-D",
        "business": "4711",
        "first_name": "Jörg",
        "last_name": "Test",
        "email": "joerg@example.org",
        "date_of_birth": "2008-04-30",
        "occupation": "Tischler:in",
    }
    assert api.post("/api/v1/trainees/", body, format="json").status_code == 201
    minimal = {k: body[k] for k in ("lehrlingsrolle_number", "business", "first_name")}
    row = api.post("/api/v1/trainees/", {**minimal, "last_name": "Neu"}, format="json").json()
    assert (row["last_name"], row["date_of_birth"], row["occupation"], row["email"]) == (
        "Neu",
        "2008-04-30",
        "Tischler:in",
        "joerg@example.org",  # an e-mail address not sent (or sent empty) stays
    )
    row = api.post(
        "/api/v1/trainees/",
        {**minimal, "last_name": "Neu", "email": "", "date_of_birth": None},
        format="json",
    ).json()
    assert (row["date_of_birth"], row["email"]) == (None, "joerg@example.org")
    profile = TraineeProfile.objects.get(lehrlingsrolle_number="LR-D")
    assert profile.user.date_of_birth is None
