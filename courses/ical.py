"""iCalendar (RFC 5545) for sessions: one stable UID per session, SEQUENCE bumped on change,
cancelled sessions as STATUS:CANCELLED. Used by the e-mail attachments and the private feeds."""

from collections.abc import Iterable

from icalendar import Calendar, Event, vText

from core.links import absolute_url

from .models import Session

PRODID = "-//Lernwerkstatt 4.0//DE"


def session_uid(session: Session) -> str:
    return f"{session.uid}@lernwerkstatt"


def session_event(session: Session, *, cancelled: bool = False) -> Event:
    """A VEVENT for one session; expects run, course and workshop loaded (select_related)."""
    run = session.run
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", session.updated_at)
    event.add("dtstart", session.start)
    event.add("dtend", session.end)
    event.add("sequence", session.sequence)
    event.add("summary", run.course.title)
    event.add("location", vText(f"{session.workshop}, {run.school.name}"))
    event.add("url", absolute_url(run))
    if (
        cancelled
        or session.status == Session.Status.CANCELLED
        or run.status == run.Status.CANCELLED
    ):
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def build_calendar(
    sessions: Iterable[Session], *, method: str = "PUBLISH", name: str = "", cancelled: bool = False
) -> bytes:
    """A VCALENDAR with one VEVENT per session. `method` is PUBLISH for feeds and downloads,
    REQUEST for booking confirmations and CANCEL for cancellations (then every event is
    cancelled)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for session in sessions:
        cal.add_component(session_event(session, cancelled=cancelled or method == "CANCEL"))
    return cal.to_ical()
