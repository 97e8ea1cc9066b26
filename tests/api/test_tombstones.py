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
