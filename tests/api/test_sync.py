"""What a syncing chamber system relies on: natural-key upserts that change nothing twice,
a cursor that misses no row while rows change, updated_since, tombstones, bounded queries."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Enrolment
from people.models import Business, TraineeProfile
from tests.factories import (
    BusinessFactory,
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    TraineeProfileFactory,
)

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


def _sync(api, path, **params):
    """Page through a list to its end; returns the rows and the last cursor."""
    rows, query, cursor = [], {"page_size": 3, **params}, None
    while True:
        page = api.get(path, {**query, **({"cursor": cursor} if cursor else {})}).json()
        rows += page["results"]
        cursor = page["next_cursor"]
        if not cursor:
            return rows, page["last_cursor"]


def test_cursor_pages_see_every_row_while_rows_change(api, member):
    run = CourseRunFactory(capacity=50, min_participants=0)
    enrolments = [
        EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
        for _ in range(10)
    ]
    # Ties on updated_at must not lose or repeat rows across pages.
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments[:6]]).update(
        updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    seen = []
    page = api.get("/api/v1/enrolments/", {"page_size": 4}).json()
    seen += [r["id"] for r in page["results"]]
    # While the client pages: a row it has seen and one it has not yet seen change, one is added.
    Enrolment.objects.filter(pk=seen[0]).update(status="cancelled", updated_at=timezone.now())
    unseen = next(e for e in enrolments if e.pk not in seen)
    Enrolment.objects.filter(pk=unseen.pk).update(updated_at=timezone.now())
    added = EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    cursor = page["next_cursor"]
    while cursor:
        page = api.get("/api/v1/enrolments/", {"page_size": 4, "cursor": cursor}).json()
        seen += [r["id"] for r in page["results"]]
        cursor = page["next_cursor"]
    every = {e.pk for e in enrolments} | {added.pk}
    assert set(seen) == every  # nothing skipped
    assert seen.count(seen[0]) == 2  # the changed row came again, now as cancelled
    assert page["results"][-1]["id"] in (seen[0], unseen.pk, added.pk)


def test_updated_since_returns_only_what_changed(api, member):
    run = CourseRunFactory(capacity=50, min_participants=0)
    old = [
        EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
        for _ in range(3)
    ]
    Enrolment.objects.update(updated_at=timezone.now() - dt.timedelta(days=2))
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    fresh = EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    rows, _ = _sync(api, "/api/v1/enrolments/", updated_since=since)
    assert [r["id"] for r in rows] == [fresh.pk]
    assert old[0].pk not in {r["id"] for r in rows}

    bad = api.get("/api/v1/enrolments/", {"updated_since": "gestern"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "updated_since"
    naive = api.get("/api/v1/enrolments/", {"updated_since": "2025-01-01T10:00:00"})
    assert naive.status_code == 400


def test_cancellation_is_a_status_and_deletion_a_tombstone(api, member, apprentice):
    run = CourseRunFactory()
    enrolment = EnrolmentFactory(run=run, participant=apprentice.user)
    _rows, cursor = _sync(api, "/api/v1/enrolments/")
    Enrolment.objects.filter(pk=enrolment.pk).update(status="cancelled", updated_at=timezone.now())
    page = api.get("/api/v1/enrolments/", {"cursor": cursor}).json()
    assert [(r["id"], r["status"]) for r in page["results"]] == [(enrolment.pk, "cancelled")]

    before = timezone.now().isoformat()
    assert api.delete(f"/api/v1/trainees/{apprentice.pk}/").status_code == 204
    assert api.delete("/api/v1/businesses/4711/").status_code == 204
    tombstones = api.get("/api/v1/tombstones/", {"updated_since": before}).json()["results"]
    assert {(t["resource"], t["object_id"]) for t in tombstones} == {
        ("trainees", str(apprentice.pk)),
        ("businesses", str(member.pk)),
    }
    assert api.get("/api/v1/businesses/4711/").status_code == 404


def test_deleting_a_business_in_the_admin_leaves_tombstones_for_it_and_its_trainees(
    api, member, apprentice
):
    member_id = member.pk
    member.delete()
    rows = api.get("/api/v1/tombstones/").json()["results"]
    assert {(t["resource"], t["object_id"]) for t in rows} == {
        ("businesses", str(member_id)),
        ("trainees", str(apprentice.pk)),
    }


@pytest.mark.parametrize("n", [3, 12])
def test_lists_run_a_fixed_number_of_queries(api, member, django_assert_max_num_queries, n):
    for _ in range(n):
        run = CourseRunFactory(capacity=30, min_participants=0)
        SessionFactory(run=run)
        EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    # auth (key lookup, last-used update) + the list itself (+ prefetch of sessions for runs)
    for path in ("/api/v1/runs/", "/api/v1/enrolments/", "/api/v1/trainees/", "/api/v1/courses/"):
        with django_assert_max_num_queries(4):
            assert api.get(path, {"page_size": 50}).status_code == 200


def test_runs_show_seats_left_and_sessions(api, member):
    run = CourseRunFactory(capacity=3, min_participants=0)
    SessionFactory(run=run)
    EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    row = api.get(f"/api/v1/runs/{run.pk}/").json()
    assert row["seats"] == 3
    assert row["seats_left"] == 2
    assert len(row["sessions"]) == 1
    assert row["starts_at"].endswith(("+01:00", "+02:00"))  # ISO 8601 with offset


def test_fast_enrolment_output_equals_the_declared_fields(api, member):
    from rest_framework import serializers

    from api.selectors import enrolments_of
    from api.serializers.enrolments import EnrolmentSerializer

    run = CourseRunFactory(capacity=1, min_participants=0)
    EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    EnrolmentFactory(
        run=run,
        participant=TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-Q").user,
        status="waitlisted",
        waitlist_seq=1,
        confirmed_at=None,
    )
    for enrolment in enrolments_of(member.chamber):
        serializer = EnrolmentSerializer(enrolment)
        assert serializer.data == serializers.ModelSerializer.to_representation(
            serializer, enrolment
        )
