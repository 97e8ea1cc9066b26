"""The private iCal feeds: created per school, workshop or instructor, read by a real iCal parser,
renewed and kept to their owners."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from courses.models import CalendarFeed
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import CourseRunFactory, coordinator

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2031, 3, 3)


def shown_token(response) -> str:
    """The token of the address the page shows once, right after creating or renewing."""
    assert response.status_code == 200, response
    found = re.search(r'value="[^"]*/staff/calendar/feed/([^"/]+)\.ics"', response.content.decode())
    assert found, "the new address is shown"
    return found.group(1)


def _feed_events(client, token):
    response = client.get(reverse("courses:staff_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_school_feed_parses_with_stable_uids_sequence_and_cancelled_status(client):
    plan = make_plan(units=0)
    sessions = planning.create_series(
        run=plan.run,
        actor=None,
        first_date=MONDAY,
        start_time=dt.time(8),
        end_time=dt.time(12),
        count=3,
    )
    planning.publish_run(run=plan.run, actor=None)
    draft = CourseRunFactory(
        course__school=plan.school, course__title="Noch geheim", school=plan.school, status="draft"
    )
    planning.add_session(
        run=draft,
        start=planning.local_datetime(MONDAY, dt.time(14)),
        end=planning.local_datetime(MONDAY, dt.time(16)),
        actor=None,
    )
    client.force_login(plan.coordinator)
    token = shown_token(client.post(reverse("courses:staff_feed_list"), {"scope": "school"}))
    assert len(token) >= 40
    assert CalendarFeed.objects.filter(school=plan.school).exists()

    events = _feed_events(client, token)
    uids = [str(e["UID"]) for e in events]
    assert uids == [f"{s.uid}@lernwerkstatt" for s in sessions]  # drafts stay private
    assert events[0].decoded("DTSTART") == sessions[0].start

    planning.update_session(
        session=sessions[1],
        actor=None,
        start=sessions[1].start + dt.timedelta(hours=1),
        end=sessions[1].end + dt.timedelta(hours=1),
        instructor=plan.instructor,
    )
    planning.cancel_session(session=sessions[2], actor=None)
    client.logout()  # calendar apps fetch without a login
    events = {str(e["UID"]): e for e in _feed_events(client, token)}
    moved = events[f"{sessions[1].uid}@lernwerkstatt"]
    cancelled = events[f"{sessions[2].uid}@lernwerkstatt"]
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == sessions[1].start + dt.timedelta(hours=1)
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1
    assert str(events[f"{sessions[0].uid}@lernwerkstatt"]["STATUS"]) == "CONFIRMED"


def test_renewing_a_feed_token_retires_the_old_address(client):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    old = shown_token(
        client.post(
            reverse("courses:staff_feed_list"),
            {"scope": "workshop", "workshop": plan.workshop.pk},
        )
    )
    feed = CalendarFeed.objects.get(workshop=plan.workshop)
    assert client.get(reverse("courses:staff_feed", args=[old])).status_code == 200
    new = shown_token(client.post(reverse("courses:staff_feed_renew", args=[feed.pk])))
    assert new != old
    assert client.get(reverse("courses:staff_feed", args=[old])).status_code == 404
    assert client.get(reverse("courses:staff_feed", args=[new])).status_code == 200
    # someone else's coordinator can neither renew nor see it
    client.force_login(coordinator())
    assert client.post(reverse("courses:staff_feed_renew", args=[feed.pk])).status_code == 404
    assert client.get(reverse("courses:staff_feed", args=["erraten-" * 5])).status_code == 404


def test_instructor_feed_holds_only_their_sessions(client):
    plan = make_plan(units=0)
    mine = planning.add_session(
        run=plan.run,
        start=planning.local_datetime(MONDAY, dt.time(8)),
        end=planning.local_datetime(MONDAY, dt.time(10)),
        actor=None,
    )
    planning.publish_run(run=plan.run, actor=None)
    other = CourseRunFactory(course__school=plan.school, school=plan.school, status="published")
    planning.add_session(
        run=other,
        start=planning.local_datetime(MONDAY, dt.time(8)),
        end=planning.local_datetime(MONDAY, dt.time(10)),
        actor=None,
    )
    client.force_login(plan.instructor)
    token = shown_token(client.post(reverse("courses:staff_feed_list"), {"scope": "instructor"}))
    events = _feed_events(client, token)
    assert [str(e["UID"]) for e in events] == [f"{mine.uid}@lernwerkstatt"]
    # an instructor cannot create a school-wide feed
    client.post(reverse("courses:staff_feed_list"), {"scope": "school"})
    assert not CalendarFeed.objects.filter(school=plan.school).exists()
