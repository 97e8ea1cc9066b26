"""Self check-in in the browser: the instructor's projector shows a code that rotates; the
participant, signed in on a phone, types it and is checked in. A code from a minute ago fails."""

import json
import re

import pytest

from .conftest import login

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def session_now(e2e_server):
    """A session of a published BBS1 run starting in ten minutes, and the demo apprentice
    confirmed on that run."""
    out = e2e_server.shell(
        """
import datetime as dt, json
from django.utils import timezone
from courses.models import CourseRun, Enrolment, Session
from people.models import User
run = CourseRun.objects.filter(status="published", school__code="BBS1").order_by("starts_at")[0]
start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=10)
session = Session.objects.create(run=run, start=start, end=start + dt.timedelta(hours=2),
                                 workshop=run.workshop, instructor=run.instructor)
azubi = User.objects.get(email="azubi@demo.example")
Enrolment.objects.filter(run=run, participant=azubi).delete()
Enrolment.objects.create(run=run, participant=azubi, participant_name=azubi.get_full_name(),
                         booked_by=azubi, status="confirmed", confirmed_at=timezone.now())
print(json.dumps({"session": session.pk}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])["session"]


def test_participant_types_the_projected_code_and_is_checked_in(new_page, session_now):
    projector = new_page()
    login(projector, "koordination@demo.example")
    projector.goto(f"/staff/sessions/{session_now}/checkin-qr/")
    text = projector.locator(".checkin-code").inner_text()
    code = "".join(re.findall(r"\d", text))
    assert len(code) == 6, text

    phone = new_page(viewport=PHONE)
    login(phone, "azubi@demo.example")
    # A wrong code (a stale photo) is refused and nothing is recorded.
    phone.goto(f"/checkin/{session_now}/")
    phone.get_by_label("Code vom Bildschirm im Raum").fill(
        "000000" if code != "000000" else "111111"
    )
    phone.get_by_role("button", name="Jetzt einchecken").click()
    phone.wait_for_load_state()
    assert "Der Code stimmt nicht" in phone.content()
    # The QR code opens the page with the code filled in; the check-in is the button.
    phone.goto(f"/checkin/{session_now}/?code={code}")
    assert phone.get_by_label("Code vom Bildschirm im Raum").input_value() == code
    assert "Sie sind eingecheckt" not in phone.content(), "opening the link checks nobody in"
    phone.get_by_role("button", name="Jetzt einchecken").click()
    phone.wait_for_load_state()
    assert "Sie sind eingecheckt" in phone.content()

    projector.goto(f"/staff/sessions/{session_now}/attendance/")
    assert "Selbst-Check-in" in projector.content()
