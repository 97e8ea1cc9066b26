"""/runs/: seats left and sessions. A chamber syncing runs with `updated_since` sees seat changes
(booking, cancelling and the promotion that follows touch the run's updated_at in the same
transaction); the nested sessions are written without DRF's per-field machinery (for speed) and
must give exactly what the declared fields give, in any time zone."""

import datetime as dt
import json
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from api.serializers.runs import SessionSerializer
from courses.models import CourseRun, Enrolment, Session
from courses.services import booking
from tests.factories import (
    CourseRunFactory,
    EnrolmentFactory,
    SessionFactory,
    TraineeProfileFactory,
)

pytestmark = pytest.mark.django_db


def _runs_since(api, since: dt.datetime) -> dict[int, dict]:
    response = api.get("/api/v1/runs/", {"updated_since": since.isoformat(), "page_size": 100})
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


@pytest.fixture
def synced_run(member):
    run = CourseRunFactory(capacity=2, min_participants=0)
    SessionFactory(run=run)
    # the run was last edited days ago; the chamber synced after that
    CourseRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))
    return run


def test_booking_through_the_api_shows_up_in_updated_since_with_new_seats_left(
    api, member, synced_run
):
    TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-7")
    before = timezone.now() - dt.timedelta(seconds=1)
    assert synced_run.pk not in _runs_since(api, before)  # nothing changed yet

    booked = api.post(
        "/api/v1/enrolments/", {"run": synced_run.pk, "trainee": "LR-7"}, format="json"
    )
    assert booked.status_code == 201, booked.content

    rows = _runs_since(api, before)
    assert synced_run.pk in rows
    assert rows[synced_run.pk]["seats_left"] == 1


def test_cancel_and_promotion_touch_the_run_too(api, member, synced_run):
    people = [TraineeProfileFactory(business=member).user for _ in range(3)]
    enrolments = [
        booking.book(run=synced_run, participant=p, business=member, source="api") for p in people
    ]
    assert enrolments[2].status == Enrolment.Status.WAITLISTED
    CourseRun.objects.filter(pk=synced_run.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=2)
    )
    before = timezone.now() - dt.timedelta(seconds=1)
    assert synced_run.pk not in _runs_since(api, before)

    cancelled = api.post(f"/api/v1/enrolments/{enrolments[0].pk}/cancel/", {}, format="json")
    assert cancelled.status_code == 200, cancelled.content
    rows = _runs_since(api, before)
    assert synced_run.pk in rows
    assert rows[synced_run.pk]["seats_left"] == 0  # the waiting one moved up
    assert Enrolment.objects.get(pk=enrolments[2].pk).status == Enrolment.Status.CONFIRMED

    # a promotion alone (capacity raised elsewhere) touches the run as well
    waiting = booking.book(
        run=synced_run,
        participant=TraineeProfileFactory(business=member).user,
        business=member,
        source="api",
    )
    assert waiting.status == Enrolment.Status.WAITLISTED
    CourseRun.objects.filter(pk=synced_run.pk).update(
        capacity=3, updated_at=timezone.now() - dt.timedelta(days=2)
    )
    assert synced_run.pk not in _runs_since(api, before)
    assert len(booking.promote_waiting(run=synced_run)) == 1
    rows = _runs_since(api, before)
    assert rows[synced_run.pk]["seats_left"] == 0


def test_a_refused_booking_leaves_updated_at_alone(api, member, synced_run):
    trainee = TraineeProfileFactory(business=member, lehrlingsrolle_number="LR-8")
    booking.book(run=synced_run, participant=trainee.user, business=member, source="api")
    CourseRun.objects.filter(pk=synced_run.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=2)
    )
    before = timezone.now() - dt.timedelta(seconds=1)
    again = api.post(
        "/api/v1/enrolments/", {"run": synced_run.pk, "trainee": "LR-8"}, format="json"
    )
    assert again.status_code == 409
    assert synced_run.pk not in _runs_since(api, before)


def test_runs_show_seats_left_and_sessions(api, member):
    run = CourseRunFactory(capacity=3, min_participants=0)
    SessionFactory(run=run)
    EnrolmentFactory(run=run, participant=TraineeProfileFactory(business=member).user)
    row = api.get(f"/api/v1/runs/{run.pk}/").json()
    assert row["seats"] == 3
    assert row["seats_left"] == 2
    assert len(row["sessions"]) == 1
    assert row["starts_at"].endswith(("+01:00", "+02:00"))  # ISO 8601 with offset


class _GenericSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = SessionSerializer.Meta.fields


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "America/St_Johns"])
def test_nested_sessions_match_drf_fields(db, zone):
    run = CourseRunFactory()
    winter = dt.datetime(2026, 1, 12, 7, 30, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 6, 6, 0, 5, 123456, tzinfo=dt.UTC)
    SessionFactory(run=run, start=winter, end=winter + dt.timedelta(hours=8))
    SessionFactory(run=run, start=summer, end=summer + dt.timedelta(hours=4))
    sessions = Session.objects.filter(run=run).order_by("start")
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        fast = SessionSerializer(sessions, many=True).data
        generic = _GenericSessionSerializer(sessions, many=True).data
        via_manager = SessionSerializer(run.sessions, many=True).data
    assert fast == generic
    assert sorted(map(dict, via_manager), key=lambda s: s["start"]) == fast
    if zone == "UTC":
        assert fast[0]["start"] == "2026-01-12T07:30:00Z"
    if zone == "Europe/Berlin":
        assert fast[1]["start"] == "2026-07-06T08:00:05.123456+02:00"


def test_run_list_rows_are_what_the_declared_fields_give(api, settings):
    """The list writes plain dicts for speed; each must equal the ModelSerializer's own output
    for that run (keys in order, values and types), in a zone with an offset too."""
    from api.selectors import runs_with_sessions
    from api.serializers.runs import RunSerializer

    settings.TIME_ZONE = "Europe/Berlin"
    with_suffix = CourseRunFactory(title_suffix="Gruppe B", capacity=4, min_participants=0)
    SessionFactory(run=with_suffix)
    SessionFactory(run=with_suffix, start=with_suffix.starts_at + dt.timedelta(days=1))
    CourseRunFactory()  # no sessions
    listed = api.get("/api/v1/runs/", {"page_size": 100}).json()["results"]
    by_id = {row["id"]: row for row in listed}
    expected = {
        run.pk: serializers.ModelSerializer.to_representation(RunSerializer(), run)
        for run in runs_with_sessions()
    }
    assert by_id.keys() == expected.keys()
    for pk, row in by_id.items():
        assert list(row) == list(expected[pk])
        assert row == json.loads(json.dumps(expected[pk], cls=JSONEncoder))
