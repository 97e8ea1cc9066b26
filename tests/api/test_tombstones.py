"""/tombstones/: deletions a syncing client must repeat; a cancellation stays, as a status."""

import pytest
from django.utils import timezone

from courses.models import Enrolment
from tests.factories import CourseRunFactory, EnrolmentFactory

from .conftest import sync

pytestmark = pytest.mark.django_db


def test_cancellation_is_a_status_and_deletion_a_tombstone(api, member, apprentice):
    run = CourseRunFactory()
    enrolment = EnrolmentFactory(run=run, participant=apprentice.user)
    _rows, cursor = sync(api, "/api/v1/enrolments/")
    Enrolment.objects.filter(pk=enrolment.pk).update(status="cancelled", updated_at=timezone.now())
    page = api.get("/api/v1/enrolments/", {"cursor": cursor}).json()
    assert [(r["id"], r["status"]) for r in page["results"]] == [(enrolment.pk, "cancelled")]

    before = timezone.now().isoformat()
    assert api.delete(f"/api/v1/trainees/{apprentice.pk}/").status_code == 204
    tombstones = api.get("/api/v1/tombstones/", {"updated_since": before}).json()["results"]
    assert {(t["resource"], t["object_id"]) for t in tombstones} == {
        ("trainees", str(apprentice.pk)),
    }


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


def test_deleting_a_business_through_the_api_deactivates_it_and_keeps_its_history(
    api, member, apprentice
):
    from certificates.models import Certificate

    enrolment = EnrolmentFactory(run=CourseRunFactory(), participant=apprentice.user)
    enrolment.business = member
    enrolment.save()
    Certificate.objects.create(
        enrolment=enrolment, number="C-1", verification_code="v1", issued_at=timezone.now()
    )
    assert api.delete("/api/v1/businesses/4711/").status_code == 204
    assert api.delete("/api/v1/businesses/4711/").status_code == 204  # again: nothing changes
    business = api.get("/api/v1/businesses/4711/").json()
    assert business["is_active"] is False  # a status the next sync carries
    enrolment.refresh_from_db()
    apprentice.refresh_from_db()
    assert enrolment.business_id == member.pk and apprentice.business_id == member.pk
    assert Certificate.objects.filter(enrolment=enrolment).exists()
    assert [e["id"] for e in api.get("/api/v1/enrolments/").json()["results"]] == [enrolment.pk]


def test_unpublishing_a_run_leaves_a_tombstone_for_every_chamber(api, make_client, other_chamber):
    from courses.services.planning.runs import unpublish_run

    run = CourseRunFactory()
    assert run.pk in {r["id"] for r in api.get("/api/v1/runs/").json()["results"]}
    unpublish_run(run=run, actor=None)
    assert run.pk not in {r["id"] for r in api.get("/api/v1/runs/").json()["results"]}
    for client in (api, make_client(other_chamber)):
        rows = client.get("/api/v1/tombstones/", {"resource": "runs"}).json()["results"]
        assert [(t["resource"], t["object_id"]) for t in rows] == [("runs", str(run.pk))]


def test_deactivating_a_trainee_leaves_a_tombstone_and_reactivating_brings_them_back(
    api, apprentice
):
    user = apprentice.user
    user.is_active = False
    user.save()
    assert api.get(f"/api/v1/trainees/{apprentice.pk}/").status_code == 404
    rows = api.get("/api/v1/tombstones/").json()["results"]
    assert [(t["resource"], t["object_id"]) for t in rows] == [("trainees", str(apprentice.pk))]
    before = apprentice.updated_at
    user.is_active = True
    user.save()
    apprentice.refresh_from_db()
    assert apprentice.updated_at > before  # the next sync lists them again
    assert api.get(f"/api/v1/trainees/{apprentice.pk}/").status_code == 200


def test_a_trainee_moving_to_another_chambers_business_leaves_the_old_chambers_view(
    api, apprentice, other_chamber
):
    from tests.factories import BusinessFactory

    apprentice.business = BusinessFactory(chamber=other_chamber)
    apprentice.save()
    rows = api.get("/api/v1/tombstones/").json()["results"]
    assert [(t["resource"], t["object_id"]) for t in rows] == [("trainees", str(apprentice.pk))]
