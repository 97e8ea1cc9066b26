"""A coordinator manages the participants of a run in a real browser: books a caller by hand
(a new account), moves the booking to another run of the course, and writes to the run's
participants. axe-core checks every page on the way; at 390 px the run page does not scroll
sideways, neither the page nor the participant and message sections."""

import json
import time
import uuid

import pytest

from .conftest import check_a11y, login

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"
    for selector in ("#teilnehmende", "#nachrichten"):
        wide = page.evaluate(
            "(s) => { const e = document.querySelector(s); return e.scrollWidth - e.clientWidth; }",
            selector,
        )
        assert wide <= 0, f"{selector} scrolls sideways by {wide}px"


def _wait_for_mail(server, address: str, subject: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in server.mails_to(address):
            if subject in message["Subject"]:
                return message
        time.sleep(0.3)
    raise AssertionError(f"no e-mail '{subject}' to {address}")


@pytest.fixture(scope="module")
def runs(e2e_server):
    """A published BBS1 run ahead, and a second run of the same course a month later."""
    out = e2e_server.shell(
        """
import datetime as dt, json
from django.utils import timezone
from courses.models import CourseRun, Session
now = timezone.now()
run = (CourseRun.objects.filter(school__code="BBS1", status="published",
                                starts_at__gt=now + dt.timedelta(days=3))
       .order_by("starts_at").first())
later = run.starts_at + dt.timedelta(days=45)
twin = CourseRun.objects.create(
    course=run.course, school=run.school, workshop=run.workshop, capacity=8,
    booking_opens_at=now - dt.timedelta(days=1), booking_closes_at=later - dt.timedelta(days=1),
    cancellation_deadline=later - dt.timedelta(days=3), status="published",
    starts_at=later, ends_at=later + dt.timedelta(hours=4), title_suffix="(Ersatztermin)")
Session.objects.create(run=twin, start=twin.starts_at, end=twin.ends_at, workshop=twin.workshop)
print(json.dumps({"run": run.pk, "twin": twin.pk}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def test_coordinator_books_by_hand_moves_and_writes(new_page, runs, e2e_server):
    address = f"anruf.{uuid.uuid4().hex[:8]}@example.org"
    page = new_page()
    login(page, "koordination@demo.example")
    page.goto(f"/staff/runs/{runs['run']}/")
    check_a11y(page, "staff-run-participants")

    page.get_by_role("link", name="Person anmelden").click()
    page.wait_for_load_state()
    check_a11y(page, "staff-participant-add")
    page.get_by_label("E-Mail-Adresse").fill(address)
    page.get_by_label("Vorname").fill("Anke")
    page.get_by_label("Nachname").fill("Anrufer")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    body = page.content()
    assert "Anke Anrufer" in body and "neues Konto" in body
    _wait_for_mail(e2e_server, address, "Ihr Konto")

    row = page.locator('[data-testid="participant"]', has_text="Anke Anrufer")
    row.get_by_role("link", name="Umbuchen").click()
    page.wait_for_load_state()
    check_a11y(page, "staff-participant-move")
    page.get_by_label("Neuer Termin").select_option(str(runs["twin"]))
    page.get_by_role("button", name="Ja, umbuchen").click()
    page.wait_for_load_state()
    assert "ist umgebucht auf" in page.content()
    moved = _wait_for_mail(e2e_server, address, "Umgebucht")
    assert "Neue Termine" in moved.get_body(("plain",)).get_content()

    page.goto(f"/staff/runs/{runs['twin']}/")
    assert page.locator('[data-testid="participant"]', has_text="Anke Anrufer").is_visible()
    page.get_by_role("link", name="Nachricht an Teilnehmende").click()
    page.wait_for_load_state()
    check_a11y(page, "staff-run-message")
    page.get_by_label("Betreff").fill("Sicherheitsschuhe mitbringen")
    page.get_by_label("Nachricht", exact=True).fill("Bitte bringen Sie Sicherheitsschuhe mit.")
    page.get_by_role("button", name="Senden").click()
    page.wait_for_load_state()
    assert "wurde an 1 Person gesendet" in page.content()
    log = page.locator("#nachrichten .message-log__subject")
    assert log.get_by_text("Sicherheitsschuhe mitbringen", exact=True).is_visible()
    _wait_for_mail(e2e_server, address, "Sicherheitsschuhe mitbringen")

    phone = new_page(viewport=PHONE)
    login(phone, "koordination@demo.example")
    phone.goto(f"/staff/runs/{runs['twin']}/")
    _no_sideways_scroll(phone)
    check_a11y(phone, "staff-run-participants-phone")
    phone.goto(f"/staff/runs/{runs['run']}/")
    _no_sideways_scroll(phone)
