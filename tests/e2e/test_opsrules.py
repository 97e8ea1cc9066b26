"""In a real browser, as the people see them: a trainee answers a seat offered from the waiting
list (desktop and phone), and a coordinator sees on the completion page which attendance is
missing before closing a run. axe-core checks both pages."""

import json

import pytest

from .conftest import check_a11y, login

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def setup(e2e_server):
    """An offer for the demo apprentice, and a BBS1 run that is over with attendance missing."""
    out = e2e_server.shell(
        """
import datetime as dt, json
from django.utils import timezone
from courses.models import CourseRun, Enrolment, Session
from people.models import User
now = timezone.now()
azubi = User.objects.get(email="azubi@demo.example")
run = (CourseRun.objects.filter(status="published", starts_at__gt=now + dt.timedelta(days=3))
       .exclude(enrolments__participant=azubi).order_by("starts_at").first())
offer = Enrolment.objects.create(run=run, participant=azubi, participant_name="Azubi",
                                 status="offered", waitlist_seq=9999,
                                 hold_until=now + dt.timedelta(hours=20))
template = CourseRun.objects.filter(school__code="BBS1").first()
past = CourseRun.objects.create(
    course=template.course, school=template.school, workshop=template.workshop, capacity=5,
    booking_opens_at=now - dt.timedelta(days=30), booking_closes_at=now - dt.timedelta(days=9),
    cancellation_deadline=now - dt.timedelta(days=10), status="published",
    starts_at=now - dt.timedelta(days=8), ends_at=now - dt.timedelta(days=8, hours=-4))
Session.objects.create(run=past, start=past.starts_at, end=past.ends_at, workshop=past.workshop)
person = User.objects.exclude(pk=azubi.pk).filter(trainee_profile__isnull=False).first()
Enrolment.objects.create(run=past, participant=person, participant_name="Erika Muster",
                         status="confirmed")
print(json.dumps({"offer": offer.pk, "past": past.pk}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def test_trainee_accepts_an_offered_seat(new_page, setup, e2e_server):
    page = new_page()
    login(page, "azubi@demo.example")
    page.goto("/my/")
    page.get_by_role("link", name="Ein Platz ist für Sie frei").first.click()
    page.wait_for_load_state()
    assert f"/my/enrolments/{setup['offer']}/offer/" in page.url
    check_a11y(page, "waitlist-offer")
    phone = new_page(viewport=PHONE)
    login(phone, "azubi@demo.example")
    phone.goto(f"/my/enrolments/{setup['offer']}/offer/")
    check_a11y(phone, "waitlist-offer-phone")
    page.get_by_role("button", name="Platz annehmen").click()
    page.wait_for_load_state()
    assert page.url.endswith("/my/")
    assert "Sie haben den Platz angenommen." in page.content()
    status = e2e_server.shell(
        "from courses.models import Enrolment; "
        f"print(Enrolment.objects.get(pk={setup['offer']}).status)"
    )
    assert status.strip().splitlines()[-1] == "confirmed"


def test_coordinator_sees_missing_attendance_and_closes(new_page, setup, e2e_server):
    page = new_page()
    login(page, "koordination@demo.example")
    page.goto(f"/staff/completion/runs/{setup['past']}/")
    assert page.get_by_role("heading", name="Anwesenheit fehlt").is_visible()
    assert "Erika Muster" in page.content()
    check_a11y(page, "completion-missing-attendance")
    page.get_by_label("Trotz fehlender Anwesenheit abschließen", exact=False).check()
    page.get_by_role("button", name="Kurs jetzt abschließen").click()
    page.wait_for_load_state()
    status = e2e_server.shell(
        "from courses.models import CourseRun; "
        f"print(CourseRun.objects.get(pk={setup['past']}).status)"
    )
    assert status.strip().splitlines()[-1] == "completed"
