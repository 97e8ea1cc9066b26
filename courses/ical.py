"""iCalendar (RFC 5545) and iTIP (RFC 5546) for sessions.

- Every session is its own event with a stable UID; its SEQUENCE (stored on the session) grows
  with every change, so a calendar replaces the old copy instead of adding a second one.
- E-mails carry iTIP messages: one calendar object per session (one UID per message), METHOD
  REQUEST for a seat and every later change, CANCEL when the seat or the session goes. Each has
  the school as ORGANIZER and the participant as ATTENDEE, and DTSTAMP is the time the message
  is made.
- Feeds and downloads are METHOD PUBLISH: ORGANIZER and no ATTENDEE, as RFC 5546 asks. A place on
  the waiting list is not a seat: its events are TENTATIVE.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from core.links import absolute_url

from .models import CourseRun, Enrolment, Session

PRODID = "-//Lernwerkstatt 4.0//DE"


def session_uid(session: Session) -> str:
    return f"{session.uid}@lernwerkstatt"


def organizer(run: CourseRun) -> vCalAddress:
    """The school that runs the course: its address, or the address our mail comes from."""
    email = run.school.email or _address(settings.DEFAULT_FROM_EMAIL)
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(run.school.name)
    return address


def attendee(enrolment: Enrolment) -> vCalAddress:
    participant = enrolment.participant
    address = vCalAddress(f"mailto:{participant.email}")
    address.params["cn"] = vText(enrolment.participant_name or participant.get_full_name())
    address.params["cutype"] = "INDIVIDUAL"
    address.params["role"] = "REQ-PARTICIPANT"
    # The participant booked the seat themselves (or their employer did): nothing to answer.
    address.params["partstat"] = "ACCEPTED"
    address.params["rsvp"] = "FALSE"
    return address


def _address(from_email: str) -> str:
    """The bare address of "Name <address>"."""
    return from_email.rsplit("<", 1)[-1].rstrip(">").strip()


def _status(session: Session, *, cancelled: bool, tentative: bool) -> str:
    run = session.run
    if (
        cancelled
        or session.status == Session.Status.CANCELLED
        or run.status == CourseRun.Status.CANCELLED
    ):
        return "CANCELLED"
    return "TENTATIVE" if tentative else "CONFIRMED"


def session_event(
    session: Session,
    *,
    stamp: dt.datetime,
    cancelled: bool = False,
    tentative: bool = False,
    enrolment: Enrolment | None = None,
) -> Event:
    """A VEVENT for one session; expects run, course, school and workshop loaded
    (select_related). With `enrolment`, the participant is its ATTENDEE (iTIP messages only)."""
    run = session.run
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp)
    event.add("dtstart", session.start)
    event.add("dtend", session.end)
    event.add("sequence", session.sequence)
    event.add("summary", run.course.title)
    event.add("location", vText(f"{session.workshop}, {run.school.name}"))
    event.add("url", absolute_url(run))
    event.add("organizer", organizer(run))
    if enrolment is not None:
        event.add("attendee", attendee(enrolment))
    event.add("status", _status(session, cancelled=cancelled, tentative=tentative))
    return event


def _calendar(method: str, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def itip_message(
    session: Session, *, enrolment: Enrolment, method: str, now: dt.datetime | None = None
) -> bytes:
    """One iTIP message (RFC 5546) about one session for one participant: REQUEST (a seat, or a
    change of the session) or CANCEL (the seat or the session is gone)."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    cal = _calendar(method)
    cal.add_component(
        session_event(
            session,
            stamp=now or timezone.now(),
            cancelled=method == "CANCEL",
            enrolment=enrolment,
        )
    )
    return cal.to_ical()


def build_calendar(
    sessions: Iterable[Session],
    *,
    name: str = "",
    cancelled: bool = False,
    tentative_runs: Iterable[int] = (),
    now: dt.datetime | None = None,
) -> bytes:
    """A published calendar (METHOD:PUBLISH) with one VEVENT per session, for feeds and
    downloads. Sessions of runs in `tentative_runs` (a waiting-list place) are TENTATIVE; with
    `cancelled`, every event is CANCELLED (a cancelled enrolment)."""
    stamp = now or timezone.now()
    tentative = set(tentative_runs)
    cal = _calendar("PUBLISH", name)
    for session in sessions:
        cal.add_component(
            session_event(
                session,
                stamp=stamp,
                cancelled=cancelled,
                tentative=session.run_id in tentative,
            )
        )
    return cal.to_ical()
