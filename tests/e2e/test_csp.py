"""The Content Security Policy in a real browser: each role walks its main pages (with the htmx
swaps, charts and the check-in projector's polling that run on them) while the page listens for
`securitypolicyviolation` events and the console for CSP errors. None may occur: the policy
allows no inline script or style, so a stray one would break a page in production silently."""

import json

import pytest

from .conftest import login

# Installed before any page script by the browser itself (not subject to the page's policy).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture(scope="module")
def ids(e2e_server):
    out = e2e_server.shell(
        """
import json
from courses.models import CourseRun, Enrolment, Session
from workshops.models import Equipment
run = CourseRun.objects.filter(status="published", school__code="BBS1").order_by("starts_at")[0]
import datetime as dt
from django.utils import timezone
first = Session.objects.filter(run__school__code="BBS1", run__status="published",
                               status="scheduled").order_by("start").first()
# Attendance opens when a session begins: one of the same run that began ten minutes ago.
start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
session = Session.objects.create(run=first.run, start=start, end=start + dt.timedelta(hours=2),
                                 workshop=first.workshop, instructor=first.instructor)
done = Enrolment.objects.filter(status="completed", run__school__code="BBS1").order_by("id").first()
item = Equipment.objects.filter(workshop__school__code="BBS1").order_by("id").first()
print(json.dumps({"run": run.pk, "session": session.pk, "completed_run": done.run_id,
                  "item": item.pk}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def watched(new_page):
    """A page factory whose pages record every CSP violation and CSP console error."""
    watched_pages = []

    def make(**kwargs):
        page = new_page(**kwargs)
        page.add_init_script(LISTEN)
        page.console_csp = []
        page.on(
            "console",
            lambda message: (
                page.console_csp.append(message.text)
                if "Content Security Policy" in message.text
                or "Content-Security-Policy" in message.text
                else None
            ),
        )
        watched_pages.append(page)
        return page

    return make


# The one block on purpose: Redoc's bundle hard-codes its vendor's logo from a CDN (no option
# turns it off); the policy keeps that request from leaving, and Redoc drops the image.
INTENDED = {"/api/v1/redoc/": "https://cdn.redoc.ly/redoc/logo-mini.svg"}


def visit(page, path: str, *, settle_ms: int = 300) -> None:
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    headers = response.headers
    assert "content-security-policy" in headers, f"{path} has no CSP"
    assert "permissions-policy" in headers, f"{path} has no Permissions-Policy"
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(settle_ms)
    assert_clean(page, path)


def assert_clean(page, where: str) -> None:
    violations = page.evaluate("window.__csp || []") + page.console_csp
    intended = INTENDED.get(where)
    violations = [v for v in violations if not (intended and intended in v)]
    assert violations == [], f"CSP violations on {where}:\n" + "\n".join(violations)
    page.evaluate("window.__csp = []")
    page.console_csp.clear()


def test_public_pages_and_api_docs(watched, ids):
    page = watched()
    for path in (
        "/",
        "/?q=Druck&free=true",
        f"/runs/{ids['run']}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/api/v1/docs/",
        "/api/v1/redoc/",
    ):
        visit(page, path, settle_ms=1500 if "/api/" in path else 300)
    # The catalogue filters through htmx: the swapped results must not trip the policy either.
    page.goto("/")
    search = page.locator("input[name=q]").first
    search.fill("CNC")
    search.press("Enter")
    page.wait_for_load_state("networkidle")
    assert_clean(page, "catalogue search")


def test_trainee_and_business_pages(watched, ids):
    page = watched()
    login(page, "azubi@demo.example")
    for path in (f"/runs/{ids['run']}/", "/my/", "/certificates/", "/my/interests/"):
        visit(page, path)
    contact = watched()
    login(contact, "betrieb@demo.example")
    for path in ("/business/", "/business/requests/"):
        visit(contact, path)


def test_coordinator_pages_with_charts_htmx_and_the_check_in_projector(watched, ids):
    page = watched()
    login(page, "koordination@demo.example")
    for path in (
        "/staff/",
        "/staff/runs/",
        "/staff/runs/new/",
        f"/staff/runs/{ids['run']}/",
        "/staff/calendar/",
        "/staff/calendar/month/",
        "/staff/calendar/feeds/",
        f"/staff/certificates/runs/{ids['completed_run']}/",
        "/staff/equipment/",
        f"/staff/equipment/{ids['item']}/",
        "/staff/demand/",
        f"/staff/sessions/{ids['session']}/attendance/",
    ):
        visit(page, path)
    # Marking attendance swaps the row through htmx.
    present = page.locator("form[hx-post] input[value=present]").first
    with page.expect_response(lambda r: "/attendance/" in r.url and r.request.method == "POST"):
        present.check()
    page.wait_for_timeout(300)
    assert_clean(page, "attendance mark")
    # The projector asks for the current code every few seconds: wait for a poll.
    visit(page, f"/staff/sessions/{ids['session']}/checkin-qr/")
    with page.expect_response(lambda r: "/checkin-code/" in r.url, timeout=15_000):
        pass
    page.wait_for_timeout(300)
    assert page.locator(".checkin-code").count() == 1
    assert_clean(page, "check-in projector after polling")


def test_district_admin_statistics(watched):
    page = watched()
    login(page, "admin@demo.example")
    for path in ("/staff/", "/staff/statistics/"):
        visit(page, path, settle_ms=800)
