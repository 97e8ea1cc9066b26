"""Employment in the browser, on a phone: a new trainee signs up (the page names no business),
asks to join the demo business by its member number, the business contact confirms, and the
trainee's own booking then goes to the business; removing the person asks first. Every page
passes axe and does not scroll sideways at 390 px."""

import json
import re
import time
import uuid

from playwright.sync_api import expect

from .conftest import SCREENSHOT_DIR, check_a11y, confirm_requirements, login

PHONE = {"width": 390, "height": 844}
PASSWORD = "Werkbank-2026!"


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


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else message.get_payload()


def _bookable_run(server) -> dict:
    out = server.shell(
        """
import json
from django.utils import timezone
from courses.models import CourseRun
from courses.selectors import with_seats
now = timezone.now()
run = (with_seats(CourseRun.objects.filter(status="published", booking_opens_at__lte=now,
                                           booking_closes_at__gt=now,
                                           requires_employer_approval=False))
       .filter(seats_left__gte=1).select_related("course").order_by("-starts_at").first())
print(json.dumps({"run": run.pk, "course": run.course.title}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def test_trainee_asks_by_member_number_contact_confirms_trainee_books_for_the_business(
    new_page, e2e_server
):
    address = f"jonas.{uuid.uuid4().hex[:8]}@example.org"
    name = f"Jonas Berg{uuid.uuid4().hex[:4]}"
    first, last = name.split(" ")
    trainee = new_page(viewport=PHONE)

    # Sign up: the page lists no businesses.
    trainee.goto("/accounts/signup/")
    expect(trainee.locator("main")).not_to_contain_text("Tischlerei Schröder")
    expect(trainee.get_by_label("Arbeitgeber")).to_have_count(0)
    check_a11y(trainee, "employment-signup")
    no_sideways_scroll(trainee)
    trainee.get_by_label("E-Mail-Adresse").fill(address)
    trainee.get_by_label("Vorname").fill(first)
    trainee.get_by_label("Nachname").fill(last)
    trainee.get_by_label("Ich bin").select_option(label="Auszubildende:r")
    trainee.get_by_label("Passwort", exact=True).fill(PASSWORD)
    trainee.get_by_label("Passwort (Wiederholung)").fill(PASSWORD)
    trainee.get_by_role("button", name="Konto anlegen").click()
    mail = wait_for_mail(e2e_server, address, "E-Mail-Adresse")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", _body(mail)).group(0)
    trainee.goto(link)
    trainee.get_by_role("button", name="Bestätigen").click()
    trainee.wait_for_load_state()
    if "/accounts/login/" in trainee.url:
        login(trainee, address, PASSWORD)

    # Ask the business by its chamber member number.
    trainee.goto("/my/")
    trainee.get_by_role("link", name="Mein Arbeitgeber").click()
    trainee.get_by_label("Kammer").select_option(label="Handwerkskammer Heideland")
    trainee.get_by_label("Mitgliedsnummer des Betriebs").fill("HWK-10427")
    trainee.get_by_role("button", name="Anfrage senden").click()
    expect(trainee.locator(".site-messages")).to_contain_text("Tischlerei Schröder GmbH")
    expect(trainee.locator("main")).to_contain_text("angefragt")
    check_a11y(trainee, "employment-my-employer")
    no_sideways_scroll(trainee)
    trainee.screenshot(path=str(SCREENSHOT_DIR / "employment-my-employer.png"), full_page=True)

    # The contact is told, and confirms on the business's people page.
    wait_for_mail(e2e_server, "betrieb@demo.example", "Bitte bestätigen")
    contact = new_page(viewport=PHONE)
    login(contact, "betrieb@demo.example")
    contact.goto("/business/")
    expect(contact.locator("main")).not_to_contain_text(name)
    contact.get_by_role("link", name="Beschäftigte bestätigen, einladen und entfernen").click()
    request = contact.locator("li", has_text=name)
    expect(request).to_be_visible()
    check_a11y(contact, "employment-business-people")
    no_sideways_scroll(contact)
    contact.screenshot(path=str(SCREENSHOT_DIR / "employment-business-people.png"), full_page=True)
    request.get_by_role("button", name=re.compile("^Bestätigen")).click()
    expect(contact.locator(".site-messages")).to_contain_text("bestätigt")
    check_a11y(contact, "employment-business-confirmed")
    no_sideways_scroll(contact)

    # The trainee's own booking now goes to the business, which sees it.
    wait_for_mail(e2e_server, address, "hat Sie bestätigt")
    plan = _bookable_run(e2e_server)
    trainee.goto(f"/runs/{plan['run']}/")
    confirm_requirements(trainee)
    trainee.get_by_role("button", name="Jetzt verbindlich buchen").click()
    expect(trainee.locator(".site-messages")).to_contain_text("Sie sind angemeldet")
    no_sideways_scroll(trainee)

    contact.goto("/business/")
    bookings = contact.locator(
        "section", has=contact.get_by_role("heading", name="Alle Anmeldungen")
    )
    expect(
        bookings.locator("tr", has_text=name).filter(has_text=plan["course"]).first
    ).to_be_visible()
    check_a11y(contact, "employment-business-home")

    # Removing the person asks first, naming them and the booking that stays; they are told.
    contact.goto("/business/people/")
    contact.locator("li", has_text=name).get_by_role("link", name="Entfernen").click()
    expect(contact.locator("h1")).to_contain_text(f"{name} aus Tischlerei Schröder GmbH entfernen?")
    expect(contact.locator("main")).to_contain_text(plan["course"])
    check_a11y(contact, "employment-remove-confirm")
    no_sideways_scroll(contact)
    contact.get_by_role("button", name="Ja, entfernen").click()
    expect(contact.locator(".site-messages")).to_contain_text(f"{name} gehört nicht mehr")
    wait_for_mail(e2e_server, address, "hat Sie aus dem Betrieb entfernt")
