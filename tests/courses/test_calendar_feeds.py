"""Week and month calendar (constant queries) and the private iCal feeds."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from courses.models import CalendarFeed
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import CourseRunFactory, WorkshopFactory, coordinator

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2031, 3, 3)


def _fill(plan, n: int, offset: int = 0):
    """n sessions in the week of MONDAY, spread over runs, days and two workshops; each slot
    index maps to its own (day, room, hour)."""
    rooms = [plan.workshop, plan.other_room]
    for i in range(offset, offset + n):
        room = rooms[(i // 5) % 2]
        run = CourseRunFactory(
            course__school=plan.school, school=plan.school, workshop=room, status="published"
        )
        day = MONDAY + dt.timedelta(days=i % 5)
        hour = 7 + i // 10
        planning.add_session(
            run=run,
            start=planning.local_datetime(day, dt.time(hour)),
            end=planning.local_datetime(day, dt.time(hour, 50)),
            actor=None,
            use_run_instructor=False,
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("view", ["week", "month"])
def test_calendar_pages_run_a_constant_number_of_queries(client, view):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    if view == "week":
        url = reverse("courses:staff_calendar_week") + f"?date={MONDAY}"
    else:
        url = reverse("courses:staff_calendar_month") + f"?month={MONDAY:%Y-%m}"
    plan.other_room = WorkshopFactory(school=plan.school)
    _fill(plan, 3)
    small = _queries(client, url)
    _fill(plan, 40, offset=3)
    large = _queries(client, url)
    assert small == large, (small, large)
    assert large <= 8
    page = client.get(url).content.decode()
    assert page.count("calendar-entry") >= 43


def test_week_view_shows_sessions_by_workshop_and_day(client):
    plan = make_plan(units=0)
    planning.add_session(
        run=plan.run,
        start=planning.local_datetime(MONDAY + dt.timedelta(days=2), dt.time(9)),
        end=planning.local_datetime(MONDAY + dt.timedelta(days=2), dt.time(11)),
        actor=None,
    )
    client.force_login(plan.coordinator)
    page = client.get(reverse("courses:staff_calendar_week") + f"?date={MONDAY}").content.decode()
    assert str(plan.workshop) in page and plan.run.course.title in page
    assert "09:00–11:00" in page
    # another school's coordinator does not see it
    client.force_login(coordinator())
    page = client.get(reverse("courses:staff_calendar_week") + f"?date={MONDAY}").content.decode()
    assert plan.run.course.title not in page


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
    client.post(reverse("courses:staff_feed_list"), {"scope": "school"})
    feed = CalendarFeed.objects.get(school=plan.school)
    assert len(feed.token) >= 40

    events = _feed_events(client, feed.token)
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
    events = {str(e["UID"]): e for e in _feed_events(client, feed.token)}
    moved = events[f"{sessions[1].uid}@lernwerkstatt"]
    cancelled = events[f"{sessions[2].uid}@lernwerkstatt"]
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == sessions[1].start + dt.timedelta(hours=1)
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1
    assert str(events[f"{sessions[0].uid}@lernwerkstatt"]["STATUS"]) == "CONFIRMED"


def test_renewing_a_feed_token_retires_the_old_address(client):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    client.post(
        reverse("courses:staff_feed_list"), {"scope": "workshop", "workshop": plan.workshop.pk}
    )
    feed = CalendarFeed.objects.get(workshop=plan.workshop)
    old = feed.token
    assert client.get(reverse("courses:staff_feed", args=[old])).status_code == 200
    client.post(reverse("courses:staff_feed_renew", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.token != old
    assert client.get(reverse("courses:staff_feed", args=[old])).status_code == 404
    assert client.get(reverse("courses:staff_feed", args=[feed.token])).status_code == 200
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
    client.post(reverse("courses:staff_feed_list"), {"scope": "instructor"})
    feed = CalendarFeed.objects.get(instructor=plan.instructor)
    events = _feed_events(client, feed.token)
    assert [str(e["UID"]) for e in events] == [f"{mine.uid}@lernwerkstatt"]
    # an instructor cannot create a school-wide feed
    client.post(reverse("courses:staff_feed_list"), {"scope": "school"})
    assert not CalendarFeed.objects.filter(school=plan.school).exists()
