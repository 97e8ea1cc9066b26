"""Sync clients poll lists: an unchanged answer is a 304 without a body (ETag / If-None-Match),
a changed one a 200 with a new ETag; the same for the public catalogue page."""

import pytest

from courses.services import booking
from tests.factories import CourseRunFactory, SessionFactory, TraineeProfileFactory

pytestmark = pytest.mark.django_db


def test_unchanged_run_list_is_not_modified_and_a_booking_changes_it(api, member):
    run = CourseRunFactory(capacity=3, min_participants=0)
    SessionFactory(run=run)
    first = api.get("/api/v1/runs/", {"page_size": 100})
    assert first.status_code == 200
    etag = first["ETag"]

    again = api.get("/api/v1/runs/", {"page_size": 100}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""

    booking.book(run=run, participant=TraineeProfileFactory(business=member).user, source="api")
    changed = api.get("/api/v1/runs/", {"page_size": 100}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["results"][0]["seats_left"] == 2


def test_other_list_endpoints_answer_conditionally_too(api, member):
    TraineeProfileFactory(business=member)
    first = api.get("/api/v1/trainees/")
    assert first.status_code == 200
    assert api.get("/api/v1/trainees/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_catalogue_page_is_not_modified_for_a_client_that_has_it(client):
    CourseRunFactory()
    first = client.get("/")
    assert first.status_code == 200
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get("/", HTTP_IF_NONE_MATCH='"stale"').status_code == 200
