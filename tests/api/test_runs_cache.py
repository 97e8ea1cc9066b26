"""The run list's rows are cached while nothing they show has changed: a booking or a moved
session shows at once, paging on from a cached first page sees every run once, and a client holding
a page's ETag gets 304 until the page changes."""

import datetime as dt

import pytest

from courses.services import booking
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.freshness import settle_catalogue

from .conftest import sync

pytestmark = pytest.mark.django_db


def _row(api, run) -> dict:
    response = api.get("/api/v1/runs/", {"page_size": 100})
    assert response.status_code == 200
    return next(row for row in response.json()["results"] if row["id"] == run.pk)


def test_a_booking_and_a_moved_session_show_at_once(api, django_assert_num_queries):
    run = make_run(capacity=3)
    settle_catalogue()
    assert _row(api, run)["seats_left"] == 3
    with django_assert_num_queries(2):  # the key, the stamps: the rows come from the cache
        assert _row(api, run)["seats_left"] == 3
    booking.book(run=run, participant=verified_trainee())
    assert _row(api, run)["seats_left"] == 2
    settle_catalogue()
    _row(api, run)
    session = run.sessions.order_by("start").first()
    session.start -= dt.timedelta(hours=1)
    session.save()
    starts = [s["start"] for s in _row(api, run)["sessions"]]
    assert dt.datetime.fromisoformat(starts[0]) == session.start


def test_paging_on_from_a_cached_first_page_sees_every_run_once(api):
    runs = [make_run(sessions=1) for _ in range(7)]
    settle_catalogue()
    first, _ = sync(api, "/api/v1/runs/")
    again, last_cursor = sync(api, "/api/v1/runs/")
    assert [row["id"] for row in again] == [row["id"] for row in first]
    assert sorted(row["id"] for row in again) == sorted(run.pk for run in runs)
    assert last_cursor


def test_a_cached_page_answers_304_until_it_changes(api):
    run = make_run(capacity=3)
    settle_catalogue()
    etag = api.get("/api/v1/runs/")["ETag"]
    assert api.get("/api/v1/runs/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    booking.book(run=run, participant=verified_trainee())
    changed = api.get("/api/v1/runs/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
