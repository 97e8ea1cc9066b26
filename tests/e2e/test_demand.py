"""Demand in a real browser: a trainee asks to be told about a course, the coordinator plans a
run from the demand board and publishes it, the trainee gets the e-mail and books in the priority
window; a participant gives feedback and the coordinator sees results once five answers exist.
Every page passes axe and does not scroll sideways on a phone."""

import json
import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, check_a11y, confirm_requirements, login

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def wait_for_mail(server, address: str, subject: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in server.mails_to(address):
            if subject in message["Subject"]:
                return message
        time.sleep(0.3)
    raise AssertionError(f"no e-mail '{subject}' to {address}")


def _shell_json(server, code: str) -> dict:
    return json.loads(server.shell(code).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def newcomer(e2e_server):
    """A trainee of the demo district with a login, and a course of BBS1 for the journey."""
    address = f"lea.{uuid.uuid4().hex[:8]}@example.org"
    return _shell_json(
        e2e_server,
        f"""
import json
from allauth.account.models import EmailAddress
from courses.models import Course
from people.models import TraineeProfile, User
user = User.objects.create_user("{address}", "{PASSWORD}", first_name="Lea", last_name="Brückner")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
TraineeProfile.objects.create(user=user, occupation="Mechatronikerin")
course = (Course.objects.filter(school__code="BBS1", is_active=True, equipment_needs__isnull=True)
          .order_by("title").first()
          or Course.objects.filter(school__code="BBS1", is_active=True).order_by("title").first())
print(json.dumps({{"email": user.email, "course": course.pk, "title": course.title}}))
""",
    )


def test_interest_board_publication_and_priority_booking(new_page, e2e_server, newcomer):
    course_id, title = newcomer["course"], newcomer["title"]
    trainee = new_page(viewport=PHONE)
    login(trainee, newcomer["email"])
    # The course page, reachable from the catalogue whether or not the course has a run.
    trainee.goto(f"/courses/{course_id}/")
    check_a11y(trainee, "demand-course-page-phone")
    no_sideways_scroll(trainee)
    trainee.get_by_role("link", name="Benachrichtigen").click()
    trainee.wait_for_url(re.compile(rf"/interest/courses/{course_id}/$"))
    check_a11y(trainee, "demand-interest-form-phone")
    no_sideways_scroll(trainee)
    trainee.locator("main form button[type=submit]").click()
    expect(trainee.get_by_test_id("interest")).to_contain_text(title)
    check_a11y(trainee, "demand-my-interests-phone")
    no_sideways_scroll(trainee)

    coordinator = new_page()
    login(coordinator, "koordination@demo.example")
    coordinator.goto("/staff/demand/")
    coordinator.wait_for_selector("[data-chart-drawn]")
    check_a11y(coordinator, "demand-board")
    coordinator.locator(f'a[href="/staff/demand/courses/{course_id}/plan/"]').click()
    check_a11y(coordinator, "demand-plan-run")
    coordinator.get_by_role("button", name="Als Entwurf anlegen").click()
    coordinator.wait_for_url(re.compile(r"/staff/runs/\d+/$"))
    run_id = int(re.search(r"/staff/runs/(\d+)/", coordinator.url).group(1))
    e2e_server.shell(
        f"""
import datetime as dt
from django.utils import timezone
from courses.models import CourseRun
from courses.services.planning import add_session
run = CourseRun.objects.get(pk={run_id})
start = (timezone.localtime() + dt.timedelta(days=420)).replace(hour=8, minute=0, second=0,
                                                                microsecond=0)
add_session(run=run, start=start, end=start + dt.timedelta(hours=6), actor=None)
"""
    )
    coordinator.reload()
    coordinator.get_by_role("button", name="Veröffentlichen").click()
    expect(coordinator.locator("main")).to_contain_text("veröffentlicht")

    mail = wait_for_mail(e2e_server, newcomer["email"], "Neuer Termin")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "vor allen anderen" in body
    link = re.search(r"https?://\S+/runs/\d+/", body).group(0)
    trainee.goto(link)
    check_a11y(trainee, "demand-run-page-priority-phone")
    no_sideways_scroll(trainee)
    confirm_requirements(trainee)
    trainee.get_by_role("button", name="Jetzt vorab buchen").click()
    expect(trainee.locator("main")).to_contain_text("bestätigt")


@pytest.fixture(scope="module")
def feedback_run(e2e_server):
    """A completed run of BBS1 where four participants have answered already and a fifth can log
    in to answer."""
    return _shell_json(
        e2e_server,
        f"""
import json
from allauth.account.models import EmailAddress
from django.db.models import Count, Q
from courses.models import CourseRun, Enrolment
from demand.models import FIXED_QUESTIONS, FeedbackReceipt, FeedbackResponse
from demand.services.feedback import feedback_submit
run = (CourseRun.objects.filter(school__code="BBS1", status="completed")
       .annotate(n=Count("enrolments", filter=Q(enrolments__status="completed")))
       .filter(n__gte=5).order_by("id").first())
# The demo data answered for everyone; this journey starts from four answers.
FeedbackResponse.objects.filter(run=run).delete()
FeedbackReceipt.objects.filter(enrolment__run=run).delete()
done = list(Enrolment.objects.filter(run=run, status="completed", participant__isnull=False)
            .select_related("participant", "run__course").order_by("id")[:5])
for index, enrolment in enumerate(done[:4]):
    feedback_submit(enrolment=enrolment, actor=enrolment.participant,
                    scores={{name: 4 for name, _label in FIXED_QUESTIONS}},
                    comment="Sehr praxisnah" if index == 0 else "")
fifth = done[4].participant
fifth.set_password("{PASSWORD}")
fifth.save()
EmailAddress.objects.update_or_create(user=fifth, email=fifth.email,
                                      defaults={{"verified": True, "primary": True}})
print(json.dumps({{"run": run.pk, "email": fifth.email}}))
""",
    )


def test_feedback_is_shown_once_five_have_answered(new_page, feedback_run):
    run_id = feedback_run["run"]
    coordinator = new_page()
    login(coordinator, "koordination@demo.example")
    coordinator.goto(f"/staff/feedback/runs/{run_id}/")
    expect(coordinator.locator("main")).to_contain_text("erst ab 5")
    expect(coordinator.locator("main")).not_to_contain_text("Sehr praxisnah")

    participant = new_page(viewport=PHONE)
    login(participant, feedback_run["email"])
    participant.goto(f"/my/feedback/{run_id}/")
    check_a11y(participant, "demand-feedback-form-phone")
    no_sideways_scroll(participant)
    for group in participant.locator("main fieldset").all():
        group.get_by_label("5", exact=True).check()
    participant.get_by_label("Was möchten Sie uns noch sagen?").fill("Mehr Zeit am Roboter")
    participant.get_by_role("button", name="Rückmeldung senden").click()
    expect(participant.get_by_test_id("feedback-thanks")).to_be_visible()

    coordinator.reload()
    main = coordinator.locator("main")
    expect(main).to_contain_text("Sehr praxisnah")
    expect(main).to_contain_text("Mehr Zeit am Roboter")
    check_a11y(coordinator, "demand-feedback-results")


def test_request_and_statistics_pages(new_page):
    business = new_page(viewport=PHONE)
    login(business, "betrieb@demo.example")
    business.goto("/business/requests/new/")
    check_a11y(business, "demand-request-form-phone")
    no_sideways_scroll(business)
    business.get_by_label("Was wird gebraucht?").fill("Cobots für zwei Monteure")
    business.get_by_label("Themenfeld").select_option(index=1)
    business.get_by_role("button", name="Anfrage senden").click()
    expect(business.get_by_test_id("course-request").first).to_contain_text("Cobots")
    check_a11y(business, "demand-business-requests-phone")
    no_sideways_scroll(business)

    coordinator = new_page(viewport=PHONE)
    login(coordinator, "koordination@demo.example")
    coordinator.goto("/staff/demand/requests/")
    check_a11y(coordinator, "demand-staff-requests-phone")
    no_sideways_scroll(coordinator)
    coordinator.get_by_role("link", name="Cobots für zwei Monteure").first.click()
    check_a11y(coordinator, "demand-request-detail-phone")
    no_sideways_scroll(coordinator)
    coordinator.goto("/staff/demand/")
    no_sideways_scroll(coordinator)

    admin = new_page(viewport=PHONE)
    login(admin, "admin@demo.example")
    admin.goto("/staff/statistics/")
    admin.wait_for_selector("[data-chart-drawn]")
    check_a11y(admin, "demand-statistics-phone")
    no_sideways_scroll(admin)
