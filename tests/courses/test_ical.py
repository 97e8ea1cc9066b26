import pytest
from icalendar import Calendar

from courses.ical import build_calendar
from courses.models import Session
from tests.factories import SessionFactory


@pytest.mark.django_db
def test_calendar_has_stable_uid_sequence_and_cancel_status():
    session = SessionFactory()
    cancelled = SessionFactory(run=session.run, status=Session.Status.CANCELLED, sequence=2)
    cal = Calendar.from_ical(build_calendar([session, cancelled], method="REQUEST"))
    events = cal.walk("VEVENT")
    assert cal["METHOD"] == "REQUEST"
    assert [str(e["UID"]) for e in events] == [
        f"{session.uid}@lernwerkstatt",
        f"{cancelled.uid}@lernwerkstatt",
    ]
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    assert int(events[1]["SEQUENCE"]) == 2
    assert events[0].decoded("DTSTART") == session.start


@pytest.mark.django_db
def test_cancel_method_marks_every_event_cancelled():
    session = SessionFactory()
    cal = Calendar.from_ical(build_calendar([session], method="CANCEL"))
    assert [str(e["STATUS"]) for e in cal.walk("VEVENT")] == ["CANCELLED"]
