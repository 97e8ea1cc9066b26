"""Calendar invitations follow iTIP (RFC 5546): checked with two parsers we did not write, vobject
and ics, besides our own icalendar.

The journey: a booking sends a REQUEST per session; moving a session sends an updated REQUEST
with a higher SEQUENCE; calling it off sends a CANCEL with a higher one still; every message has
one UID, the school as ORGANIZER, the participant as ATTENDEE and a DTSTAMP of the moment it was
made. Feeds are PUBLISH (ORGANIZER, no ATTENDEE); a waiting-list place is TENTATIVE or absent."""

import datetime as dt
from urllib.parse import urlsplit

import ics
import pytest
import vobject
from django.utils import timezone
from icalendar import Calendar

from courses.ical import build_calendar, itip_message
from courses.models import Session
from courses.services.booking.book import book
from courses.services.booking.cancel import cancel
from courses.services.planning import cancel_session, update_session
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import coordinator
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db

SCHOOL_EMAIL = "lernwerkstatt@bbs1.example"


def attachments(message) -> list[tuple[str, bytes]]:
    """(METHOD of the MIME part, calendar) for each calendar attachment."""
    found = []
    for _name, content, mimetype in message.attachments:
        if mimetype.startswith("text/calendar"):
            method = mimetype.split("method=")[1]
            found.append((method, content if isinstance(content, bytes) else content.encode()))
    return found


def itip_violations(raw: bytes, method: str, *, attendee: str | None) -> list[str]:
    """The RFC 5546 rules, read by vobject and by ics independently; returns what is broken."""
    text = raw.decode()
    problems = []
    cal = vobject.readOne(text)
    events = list(cal.vevent_list)
    if cal.method.value != method:
        problems.append(f"vobject: METHOD {cal.method.value} != {method}")
    uids = {e.uid.value for e in events}
    if method != "PUBLISH" and len(uids) != 1:
        problems.append(f"vobject: {len(uids)} UIDs in one iTIP message")
    for event in events:
        for prop in ("uid", "dtstamp", "dtstart", "organizer", "summary"):
            if prop not in event.contents:
                problems.append(f"vobject: {prop.upper()} missing")
        if method in ("REQUEST", "CANCEL"):
            if "sequence" not in event.contents:
                problems.append("vobject: SEQUENCE missing")
            got = [a.value.lower() for a in event.contents.get("attendee", [])]
            if got != [f"mailto:{attendee}".lower()]:
                problems.append(f"vobject: ATTENDEE {got}")
        elif "attendee" in event.contents:
            problems.append("vobject: ATTENDEE in PUBLISH")
        if method == "CANCEL" and event.status.value != "CANCELLED":
            problems.append("vobject: CANCEL without STATUS:CANCELLED")
    parsed = ics.Calendar(text)
    if parsed.method != method:
        problems.append(f"ics: METHOD {parsed.method}")
    for event in parsed.events:
        if event.organizer is None or "mailto:" not in str(event.organizer).lower():
            problems.append("ics: ORGANIZER missing")
        emails = [a.email.lower() for a in event.attendees]
        if method == "PUBLISH" and emails:
            problems.append("ics: ATTENDEE in PUBLISH")
        if method != "PUBLISH" and emails != [attendee.lower()]:
            problems.append(f"ics: ATTENDEE {emails}")
        if method == "CANCEL" and event.status != "CANCELLED":
            problems.append("ics: CANCEL without STATUS:CANCELLED")
    return problems


def event_of(raw: bytes):
    (event,) = vobject.readOne(raw.decode()).vevent_list
    return event


@pytest.fixture
def booked(mailoutbox, django_capture_on_commit_callbacks):
    run = make_run(capacity=5, sessions=2)
    run.school.email = SCHOOL_EMAIL
    run.school.save()
    person = verified_trainee()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = book(run=run, participant=person)
    return run, person, enrolment


def test_the_checker_finds_a_broken_message(booked):
    run, person, enrolment = booked
    session = run.sessions.first()
    good = itip_message(session, enrolment=enrolment, method="REQUEST")
    assert itip_violations(good, "REQUEST", attendee=person.email) == []
    cal = Calendar.from_ical(good)
    for event in cal.walk("VEVENT"):
        del event["ORGANIZER"]
        del event["ATTENDEE"]
    broken = itip_violations(cal.to_ical(), "REQUEST", attendee=person.email)
    assert "vobject: ORGANIZER missing" in broken and "ics: ORGANIZER missing" in broken
    assert "vobject: ATTENDEE []" in broken


def test_booking_sends_one_request_per_session_with_organizer_and_attendee(booked, mailoutbox):
    run, person, _enrolment = booked
    before = timezone.now().replace(microsecond=0)
    (mail,) = mailoutbox
    messages = attachments(mail)
    assert [m for m, _ in messages] == ["REQUEST", "REQUEST"]
    uids = []
    for method, raw in messages:
        assert itip_violations(raw, method, attendee=person.email) == []
        event = event_of(raw)
        uids.append(event.uid.value)
        assert event.organizer.value == f"mailto:{SCHOOL_EMAIL}"
        assert event.organizer.params["CN"] == [run.school.name]
        assert event.status.value == "CONFIRMED"
        # DTSTAMP is when the message was made, not when the session was last saved.
        assert abs(event.dtstamp.value - before) < dt.timedelta(minutes=1)
    assert uids == [f"{s.uid}@lernwerkstatt" for s in run.sessions.order_by("start")]


def test_moving_then_cancelling_a_session_sends_request_then_cancel_with_growing_sequence(
    booked, mailoutbox, django_capture_on_commit_callbacks
):
    run, person, _enrolment = booked
    session = run.sessions.order_by("start").first()
    first = event_of(attachments(mailoutbox[0])[0][1])
    mailoutbox.clear()
    staff = coordinator(school=run.school)

    with django_capture_on_commit_callbacks(execute=True):
        update_session(
            session=session, actor=staff, start=day_at(30, 9), end=day_at(30, 13), workshop=None
        )
    (moved_mail,) = mailoutbox
    assert moved_mail.to == [person.email]
    assert "geändert" in moved_mail.subject.lower()
    ((method, raw),) = attachments(moved_mail)
    assert method == "REQUEST"
    assert itip_violations(raw, "REQUEST", attendee=person.email) == []
    moved = event_of(raw)
    assert moved.uid.value == first.uid.value
    assert int(moved.sequence.value) > int(first.sequence.value)
    assert moved.dtstart.value == day_at(30, 9)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(session=session, actor=staff)
    ((method, raw),) = attachments(mailoutbox[0])
    assert method == "CANCEL"
    assert itip_violations(raw, "CANCEL", attendee=person.email) == []
    gone = event_of(raw)
    assert gone.uid.value == first.uid.value
    assert int(gone.sequence.value) > int(moved.sequence.value)


def test_a_rolled_back_move_sends_nothing(booked, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    run, _person, _enrolment = booked
    mailoutbox.clear()
    session = run.sessions.first()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        update_session(
            session=session,
            actor=coordinator(school=run.school),
            start=day_at(31, 9),
            end=day_at(31, 12),
        )
        raise RuntimeError("rollback")
    assert mailoutbox == []
    assert Session.objects.get(pk=session.pk).start == session.start


def test_cancelling_the_seat_sends_cancel_for_each_session(
    booked, mailoutbox, django_capture_on_commit_callbacks
):
    run, person, enrolment = booked
    requested = {event_of(raw).uid.value for _m, raw in attachments(mailoutbox[0])}
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(enrolment=enrolment, actor=person)
    messages = attachments(mailoutbox[0])
    assert {m for m, _ in messages} == {"CANCEL"}
    assert {event_of(raw).uid.value for _m, raw in messages} == requested
    for _method, raw in messages:
        assert itip_violations(raw, "CANCEL", attendee=person.email) == []


def test_waiting_list_gets_no_invitation_and_a_tentative_download(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    run = make_run(capacity=1)
    first, second = verified_trainee(), verified_trainee()
    with django_capture_on_commit_callbacks(execute=True):
        book(run=run, participant=first)
        waiting = book(run=run, participant=second)
    assert waiting.status == "waitlisted"
    assert attachments(mailoutbox[1]) == []
    client.force_login(second)
    raw = client.get(f"/my/enrolments/{waiting.pk}/calendar.ics").content
    assert itip_violations(raw, "PUBLISH", attendee=None) == []
    assert {e.status.value for e in vobject.readOne(raw.decode()).vevent_list} == {"TENTATIVE"}


def test_published_calendar_has_organizer_and_no_attendee(booked):
    run, _person, _enrolment = booked
    raw = build_calendar(run.sessions.select_related("run__course", "run__school", "workshop"))
    assert itip_violations(raw, "PUBLISH", attendee=None) == []


def test_trainee_subscribes_to_a_personal_feed_from_my_courses(client, booked):
    run, person, _enrolment = booked
    other = make_run(capacity=3)
    client.force_login(person)
    page = client.get("/my/").content.decode()
    assert "Kalender-Abo" in page
    response = client.post("/my/calendar/feed/")
    assert response.status_code == 302
    page = client.get("/my/").content.decode()
    feed_url = page.split('data-feed-url="')[1].split('"')[0]
    client.logout()  # calendar apps have no session: the token is the credential
    raw = client.get(urlsplit(feed_url).path).content
    assert itip_violations(raw, "PUBLISH", attendee=None) == []
    uids = {e.uid.value for e in vobject.readOne(raw.decode()).vevent_list}
    assert uids == {f"{s.uid}@lernwerkstatt" for s in run.sessions.all()}
    assert not uids & {f"{s.uid}@lernwerkstatt" for s in other.sessions.all()}
    # Not served at the staff feed address (which would read it as an instructor's feed).
    token = urlsplit(feed_url).path.rsplit("/", 1)[1]
    assert client.get(f"/staff/calendar/feed/{token}").status_code == 404

    # Renewing revokes the old address.
    client.force_login(person)
    client.post("/my/calendar/feed/")
    client.logout()
    assert client.get(urlsplit(feed_url).path).status_code == 404
