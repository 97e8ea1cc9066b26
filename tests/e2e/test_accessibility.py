"""axe-core over the main pages, in headless Chromium, as the people who use them see them:
fails on any serious or critical WCAG 2.1 A/AA violation. Each check keeps its full axe result
(all impacts) as JSON next to the screenshots."""

import json

import pytest

from .conftest import check_a11y, login

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}


@pytest.fixture(scope="module")
def ids(e2e_server):
    """Objects of the demo district the pages need, looked up (and one certificate issued)
    through the server's own code."""
    out = e2e_server.shell(
        """
import json
from courses.models import CourseRun, Enrolment, Session
from certificates.services import issue_certificate
run = CourseRun.objects.filter(status="published", school__code="BBS1",
                               requires_employer_approval=False).order_by("starts_at").first()
session = Session.objects.filter(run__school__code="BBS1", run__status="published",
                                 status="scheduled").order_by("start").first()
done = Enrolment.objects.filter(status="completed", run__school__code="BBS1").order_by("id").first()
certificate = issue_certificate(enrolment=done)
print(json.dumps({"run": run.pk, "session": session.pk, "completed_run": done.run_id,
                  "code": certificate.verification_code}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def test_public_pages(new_page, ids):
    page = new_page()
    page.goto("/")
    check_a11y(page, "catalogue")
    page.goto("/?q=Druck&free=true")
    check_a11y(page, "catalogue-filtered")
    page.goto(f"/runs/{ids['run']}/")
    check_a11y(page, "run-page")
    page.goto("/accounts/login/")
    check_a11y(page, "login")
    page.goto("/accounts/signup/")
    check_a11y(page, "signup")
    # A failed signup: errors must be tied to their fields and announced.
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    check_a11y(page, "signup-errors")
    page.goto(f"/verify/{ids['code']}/")
    check_a11y(page, "verification")


def test_public_pages_on_a_phone_in_english(new_page, ids):
    page = new_page(locale="en-GB", viewport=PHONE)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    check_a11y(page, "catalogue-phone-en")
    page.goto(f"/runs/{ids['run']}/")
    check_a11y(page, "run-page-phone-en")
    page.goto(f"/verify/{ids['code']}/")
    check_a11y(page, "verification-phone-en")


def test_trainee_pages(new_page, ids):
    page = new_page(viewport=PHONE)
    login(page, "azubi@demo.example")
    page.goto(f"/runs/{ids['run']}/")
    check_a11y(page, "booking")
    page.goto("/my/")
    check_a11y(page, "my-courses")
    page.goto("/certificates/")
    check_a11y(page, "my-certificates")


def test_business_pages(new_page):
    page = new_page()
    login(page, "betrieb@demo.example")
    page.goto("/business/")
    check_a11y(page, "business")


def test_coordinator_pages(new_page, ids):
    page = new_page()
    login(page, "koordination@demo.example")
    page.goto("/staff/")
    page.wait_for_selector("[data-chart-drawn]")
    check_a11y(page, "coordinator-dashboard")
    page.goto("/staff/runs/")
    check_a11y(page, "run-list")
    page.goto("/staff/runs/new/")
    check_a11y(page, "planning-form")
    page.goto(f"/staff/runs/{ids['run']}/")
    check_a11y(page, "run-detail-staff")
    page.goto(f"/staff/runs/{ids['run']}/series/new/")
    check_a11y(page, "series-form")
    page.goto("/staff/calendar/")
    check_a11y(page, "calendar-week")
    page.goto(f"/staff/certificates/runs/{ids['completed_run']}/")
    check_a11y(page, "certificates-staff")
    page.goto("/staff/equipment/")
    check_a11y(page, "equipment")


def test_attendance_on_a_tablet(new_page, ids):
    page = new_page(viewport=TABLET)
    login(page, "koordination@demo.example")
    page.goto(f"/staff/sessions/{ids['session']}/attendance/")
    check_a11y(page, "attendance-tablet")


def test_keyboard_reaches_content_through_the_skip_link(new_page):
    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    assert page.locator(".skip-link").is_visible(), "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"]
)
def test_legal_and_error_pages(new_page, viewport):
    """Impressum, privacy notice, accessibility statement (with its form, also after a failed
    submit) and Leichte Sprache: axe clean and no sideways scrolling. (The live server runs with
    DEBUG, which shows Django's own 404; tests/legal checks the error pages.)"""
    page = new_page(viewport=viewport)
    name = "phone" if viewport is PHONE else "desktop"
    for path, label in [
        ("/impressum/", "imprint"),
        ("/datenschutz/", "privacy"),
        ("/barrierefreiheit/", "accessibility"),
        ("/leichte-sprache/", "easy-language"),
    ]:
        page.goto(path)
        check_a11y(page, f"{label}-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.evaluate("window.innerWidth"), f"{path} scrolls sideways"
    page.goto("/barrierefreiheit/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    check_a11y(page, f"accessibility-errors-{name}")
