"""The instructor with a phone (390 px): from "Meine Termine" to the run they teach and its
participants, attendance with "Alle anwesend", and the equipment page a QR label opens, where
a defect can be reported. Every page passes axe and none scrolls sideways."""

import json
import re

import pytest

from .conftest import SCREENSHOT_DIR, check_a11y, login

PHONE = {"width": 390, "height": 844}
INSTRUCTOR = "ausbilder@demo.example"


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


@pytest.fixture(scope="module")
def teaching(e2e_server):
    """A session of a BBS1 run the demo instructor teaches that began ten minutes ago, with the
    demo apprentice confirmed; an item of BBS1 and one of another school."""
    out = e2e_server.shell(
        """
import datetime as dt, json
from django.utils import timezone
from courses.models import CourseRun, Enrolment, Session
from people.models import User
from workshops.models import Equipment
teacher = User.objects.get(email="ausbilder@demo.example")
run = CourseRun.objects.filter(status="published", school__code="BBS1",
                               instructor=teacher).order_by("starts_at")[0]
start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
session = Session.objects.create(run=run, start=start, end=start + dt.timedelta(hours=2),
                                 workshop=run.workshop, instructor=teacher)
azubi = User.objects.get(email="azubi@demo.example")
Enrolment.objects.filter(run=run, participant=azubi).delete()
Enrolment.objects.create(run=run, participant=azubi, participant_name=azubi.get_full_name(),
                         booked_by=azubi, status="confirmed", confirmed_at=timezone.now())
own = Equipment.objects.filter(school=run.school, status="available").order_by("pk")[0]
other = Equipment.objects.exclude(school=run.school).order_by("pk")[0]
print(json.dumps({"run": run.pk, "session": session.pk, "own": own.pk, "other": other.pk}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def test_instructor_on_a_phone_takes_attendance_and_opens_an_item(new_page, teaching):
    page = new_page(viewport=PHONE)
    login(page, INSTRUCTOR)
    page.goto("/staff/my-sessions/")
    no_sideways_scroll(page)
    check_a11y(page, "instructor-my-sessions")
    page.screenshot(path=str(SCREENSHOT_DIR / "instructor-my-sessions-390.png"), full_page=True)

    page.locator(f"a[href='/staff/my-runs/{teaching['run']}/']").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=participants]").count() == 1
    assert "anwesend bei" in page.content()
    no_sideways_scroll(page)
    check_a11y(page, "instructor-taught-run")
    page.screenshot(path=str(SCREENSHOT_DIR / "instructor-run-390.png"), full_page=True)

    page.goto(f"/staff/sessions/{teaching['session']}/attendance/")
    no_sideways_scroll(page)
    check_a11y(page, "instructor-attendance")
    page.get_by_role("button", name="Alle anwesend").click()
    page.wait_for_load_state()
    count = page.locator("[data-testid=attendance-count]").inner_text()
    present, expected = (int(n) for n in re.findall(r"\d+", count))
    assert present == expected > 0, count
    assert page.locator("[data-testid=back-to-run]").get_attribute("href") == (
        f"/staff/my-runs/{teaching['run']}/"
    )
    no_sideways_scroll(page)
    page.screenshot(path=str(SCREENSHOT_DIR / "instructor-attendance-390.png"), full_page=True)

    page.goto(f"/staff/equipment/{teaching['own']}/")
    assert page.get_by_role("heading", name="Defekt melden").is_visible()
    no_sideways_scroll(page)
    check_a11y(page, "instructor-equipment")
    page.screenshot(path=str(SCREENSHOT_DIR / "instructor-equipment-390.png"), full_page=True)

    response = page.goto(f"/staff/equipment/{teaching['other']}/")
    assert response.status == 403
