"""The four journeys of the product, each as the person would do it, in a real browser against a
real server with the demo district:

1. a trainee signs up, confirms the e-mail, finds a course by filter, books it, sees it in
   "My courses", downloads the .ics and cancels;
2. a business contact books two apprentices into one run;
3. a coordinator plans a run with a weekly series, sees a conflict refused, publishes it, takes
   attendance, issues certificates and watches the progress bar finish;
4. anyone verifies a certificate through the QR code printed on its PDF.
"""

import datetime as dt
import json
import random
import re
import time
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.pdftools import qr_codes

from .conftest import check_a11y, confirm_requirements, login, open_menu

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}


def _wait_for_mail(server, address: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = server.mails_to(address)
        if mails:
            return mails
        time.sleep(0.3)
    raise AssertionError(f"no e-mail to {address} arrived")


def _text_of(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else message.get_payload()


def test_trainee_signs_up_books_a_course_and_cancels(new_page, e2e_server):
    address = f"mia.{uuid.uuid4().hex[:8]}@example.org"
    password = "Werkbank-2026!"
    page = new_page(viewport=PHONE)  # trainees book on their phones

    # Sign up.
    page.goto("/")
    page.get_by_role("link", name="Registrieren").first.click()
    page.get_by_label("E-Mail-Adresse").fill(address)
    page.get_by_label("Vorname").fill("Mia")
    page.get_by_label("Nachname").fill("Sonnleitner")
    page.get_by_label("Ich bin").select_option(label="Auszubildende:r")
    page.get_by_label("Ausbildungsberuf / Tätigkeit").fill("Mechatronikerin")
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_label("Passwort (Wiederholung)").fill(password)
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.locator("h1")).to_contain_text("E-Mail")

    # Confirm the address from the outbox.
    (mail,) = _wait_for_mail(e2e_server, address)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", _text_of(mail)).group(0)
    page.goto(link)
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        login(page, address, password)

    # Find a course by filter (htmx replaces the results in place).
    page.goto("/")
    page.get_by_text("Filter anzeigen").click()  # folded on a phone
    page.get_by_label(re.compile(r"^Suche")).fill("3D-Scannen")
    page.get_by_label("nur mit freien Plätzen").check()
    page.get_by_role("button", name="Suchen").click()
    results = page.locator("#catalogue-results")
    expect(results).to_contain_text("3D-Scannen und Drucken von Ersatzteilen")
    expect(results.get_by_role("link")).not_to_contain_text(["Cobots"])
    assert "q=3D-Scannen" in page.url, "the filter is in the address, so it can be shared"
    results.get_by_role("link", name=re.compile("3D-Scannen")).first.click()

    # Book it.
    title = page.locator("h1").inner_text()
    confirm_requirements(page)
    page.get_by_role("button", name="Jetzt verbindlich buchen").click()
    expect(page.locator(".site-messages")).to_contain_text("Sie sind angemeldet")
    check_a11y(page, "journey1-booked")

    # See it in "My courses", take the dates into the calendar.
    open_menu(page)
    page.get_by_role("link", name="Meine Kurse").click()
    entry = page.locator("main").get_by_text(title).first
    expect(entry).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Termine in den Kalender (.ics)").first.click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in ics and "3D-Scannen" in ics
    assert download.value.suggested_filename.endswith(".ics")

    # Cancel: a page of its own asks first.
    page.get_by_role("link", name="Anmeldung stornieren").first.click()
    expect(page.locator("h1")).to_contain_text("wirklich stornieren")
    check_a11y(page, "journey1-cancel-confirm")
    page.get_by_role("button", name="Ja, stornieren").click()
    expect(page.locator(".site-messages")).to_contain_text("storniert")
    expect(page.locator("main")).to_contain_text("Sie sind zurzeit für keinen Kurs angemeldet")


def test_business_contact_books_two_apprentices_into_one_run(new_page, e2e_server):
    # Which run and which two apprentices: an open run with two free seats, and two apprentices
    # of the business with no other course at that time (the booking rules refuse overlaps).
    out = e2e_server.shell(
        """
import datetime as dt
import json
from django.utils import timezone
from courses.models import CourseRun, Enrolment
from courses.selectors import with_seats
from people.models import Membership, TraineeProfile
business = Membership.objects.get(user__email="betrieb@demo.example").business
people = list(TraineeProfile.objects.filter(business=business, kind="apprentice")
              .select_related("user").order_by("user__last_name"))
now = timezone.now()
runs = (with_seats(CourseRun.objects.filter(status="published", booking_opens_at__lte=now,
                                            booking_closes_at__gt=now,
                                            requires_employer_approval=False))
        .filter(seats_left__gte=2).select_related("course").order_by("-starts_at"))
for run in runs:
    busy = set(Enrolment.objects.filter(status__in=["pending", "confirmed", "waitlisted"],
                                        run__starts_at__lt=run.ends_at,
                                        run__ends_at__gt=run.starts_at)
               .values_list("participant_id", flat=True))
    free = [p.user for p in people if p.user_id not in busy]
    if len(free) >= 2:
        break
print(json.dumps({"run": run.pk, "course": run.course.title,
                  "people": [[u.pk, u.get_full_name()] for u in free[:2]]}))
"""
    )
    plan = json.loads(out.strip().splitlines()[-1])
    page = new_page()
    login(page, "betrieb@demo.example")
    page.get_by_role("link", name="Mein Betrieb").click()
    form = page.locator("form", has=page.get_by_role("button", name="Ausgewählte anmelden"))
    form.get_by_label("Kurs", exact=True).select_option(value=str(plan["run"]))
    for user_id, _name in plan["people"]:
        form.locator(f"input[type=checkbox][value='{user_id}']").check()
    form.locator("input[name=requirements_confirmed]").check()
    form.get_by_role("button", name="Ausgewählte anmelden").click()
    expect(page.locator(".site-messages")).to_contain_text("2 angemeldet")
    bookings = page.locator("section", has=page.get_by_role("heading", name="Alle Anmeldungen"))
    for _user_id, name in plan["people"]:
        row = bookings.locator("tr", has_text=name).filter(has_text=plan["course"])
        expect(row.first).to_be_visible()
        expect(row.first).to_contain_text("bestätigt")
    check_a11y(page, "journey2-booked")


def _pdf_qr_url(pdf: Path) -> str:
    """Render the certificate's first page and read its QR code, as a phone camera would."""
    return qr_codes(pdf, dpi=150)[0]


def test_anyone_verifies_a_certificate_through_its_qr_code(new_page, e2e_server, tmp_path):
    # The trainee downloads their certificate (issued by the school through its service).
    out = e2e_server.shell(
        """
import datetime as dt
import json
from courses.models import Enrolment
from certificates.services import issue_certificate
enrolment = Enrolment.objects.filter(status="completed",
                                     participant__email="azubi@demo.example").first()
certificate = issue_certificate(enrolment=enrolment)
print(json.dumps({"email": enrolment.participant.email, "id": certificate.pk,
                  "number": certificate.number}))
"""
    )
    issued = json.loads(out.strip().splitlines()[-1])
    trainee = new_page()
    login(trainee, issued["email"])
    trainee.goto("/my/")
    with trainee.expect_download() as download:
        trainee.get_by_role("link", name=re.compile(issued["number"])).first.click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)

    # Someone else (an employer, a chamber) scans the QR code and opens the link.
    url = _pdf_qr_url(pdf)
    assert "/verify/" in url
    path = "/" + url.split("/", 3)[3]
    checker = new_page(viewport=PHONE)
    checker.goto(path)
    expect(checker.locator("main")).to_contain_text("Diese Bescheinigung ist gültig")
    expect(checker.locator("main")).to_contain_text(issued["number"])
    # And checks that the file they were given is the one issued, byte for byte.
    checker.get_by_label("PDF-Datei der Bescheinigung").set_input_files(str(pdf))
    checker.get_by_role("button", name="Datei prüfen").click()
    expect(checker.locator("main")).to_contain_text("genau die ausgestellte Bescheinigung")
    check_a11y(checker, "journey4-verified")


def test_coordinator_plans_publishes_takes_attendance_and_issues_certificates(new_page, e2e_server):
    suffix = f"E2E {uuid.uuid4().hex[:6]}"
    today = dt.date.today()
    # Far enough ahead that the demo's own sessions are not in the way; a Monday.
    first = today + dt.timedelta(days=150 + 7 * random.randrange(20))
    first += dt.timedelta(days=(7 - first.weekday()) % 7)
    # A course and a room of the school that go together (the room has the equipment the course
    # needs), as a coordinator knows from experience: taken from a run the demo already has.
    pair = e2e_server.shell(
        """
from courses.models import CourseRun
from courses.selectors import with_seats
run = (with_seats(CourseRun.objects.filter(school__code="BBS1", status="published"))
       .filter(seats__gte=8).order_by("starts_at").first())
print(run.course_id, run.workshop_id)
"""
    )
    course_id, workshop_id = pair.strip().splitlines()[-1].split()
    page = new_page()
    login(page, "koordination@demo.example")

    # Plan a run (a draft) ...
    page.get_by_role("link", name="Planung").click()
    page.locator("#site-nav").get_by_role("link", name="Durchführungen").first.click()
    page.get_by_role("link", name="Neue Durchführung").click()
    page.get_by_label("Kurs", exact=True).select_option(course_id)
    page.get_by_label("Lernwerkstatt", exact=True).select_option(workshop_id)
    page.get_by_label(re.compile(r"^Zusatz zum Titel")).fill(suffix)
    page.get_by_label("Kapazität").fill("8")
    page.get_by_label("Mindestteilnehmende").fill("2")
    page.get_by_label("Buchung ab").fill(f"{today - dt.timedelta(days=1)}T08:00")
    page.get_by_label("Buchung bis").fill(f"{first - dt.timedelta(days=3)}T18:00")
    page.get_by_label("Stornierung bis").fill(f"{first - dt.timedelta(days=5)}T18:00")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-messages")).to_contain_text("Entwurf")
    run_url = page.url
    run_id = int(re.search(r"/staff/runs/(\d+)/", run_url).group(1))

    # ... with a weekly series of three sessions.
    page.get_by_role("link", name="Terminserie planen").click()
    page.get_by_label("Erster Termin am").fill(first.isoformat())
    page.get_by_label("Beginn", exact=True).fill("08:00")
    page.get_by_label("Ende", exact=True).fill("12:00")
    page.get_by_label("Wiederholung").select_option("weekly")
    page.get_by_label(re.compile(r"^Anzahl Termine")).fill("3")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-messages")).to_contain_text("3 Termine wurden geplant")
    check_a11y(page, "journey3-run-planned")

    # A fourth session at the same time in the same room is refused, naming the other session.
    page.get_by_role("link", name="Termin hinzufügen").click()
    page.get_by_label("Datum").fill(first.isoformat())
    page.get_by_label("Beginn", exact=True).fill("09:00")
    page.get_by_label("Ende", exact=True).fill("11:00")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("zu dieser Zeit")
    expect(summary).to_contain_text(first.strftime("%d.%m.%Y"))
    check_a11y(page, "journey3-conflict")
    page.goto(run_url)
    expect(page.locator("main table tbody tr")).to_have_count(3)

    # Publish.
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".site-messages")).to_contain_text("veröffentlicht")

    # Two apprentices book; then the weeks go by (the test cannot wait: it moves the run's
    # dates into the past, as if the course had taken place).
    e2e_server.shell(
        f"""
import datetime as dt
from django.db.models import F
from courses.models import CourseRun, Session
from courses.services.booking import book
from people.models import TraineeProfile
from workshops.models import EquipmentReservation
run = CourseRun.objects.get(pk={run_id})
for profile in TraineeProfile.objects.filter(
        kind="apprentice", user__email__endswith="@azubi.demo.example").order_by("id")[:2]:
    book(run=run, participant=profile.user, source="web", requirements_confirmed=True)
shift = dt.timedelta(days=({first.toordinal()} - dt.date.today().toordinal()) + 21)
Session.objects.filter(run=run).update(start=F("start") - shift, end=F("end") - shift)
EquipmentReservation.objects.filter(session_link__session__run=run).update(
    start=F("start") - shift, end=F("end") - shift
)
CourseRun.objects.filter(pk=run.pk).update(
    starts_at=F("starts_at") - shift,
    ends_at=F("ends_at") - shift,
    booking_opens_at=F("booking_opens_at") - shift,
    booking_closes_at=F("booking_closes_at") - shift,
    cancellation_deadline=F("cancellation_deadline") - shift,
)
"""
    )

    # Take attendance on the tablet: every choice is saved at once (htmx).
    tablet = new_page(viewport=TABLET)
    login(tablet, "koordination@demo.example")
    tablet.goto(run_url)
    attendance_links = tablet.locator("main table").get_by_role("link", name="Anwesenheit")
    expect(attendance_links).to_have_count(3)
    hrefs = [attendance_links.nth(i).get_attribute("href") for i in range(3)]
    for href in hrefs:
        tablet.goto(href)
        rows = tablet.locator(".attendance-row")
        expect(rows).to_have_count(2)
        for index in range(2):
            row = rows.nth(index)
            row.get_by_label("anwesend", exact=True).check()
            expect(row.locator(".attendance-row__state")).to_contain_text("Gespeichert")
    check_a11y(tablet, "journey3-attendance")
    tablet.reload()
    expect(tablet.locator(".attendance-row input[value=present]:checked")).to_have_count(2)

    # Complete the run: both attended everything.
    page.goto(run_url)
    page.get_by_role("button", name="Abschließen").click()
    expect(page.locator(".site-messages")).to_contain_text("abgeschlossen")

    # Issue the certificates and watch the progress bar finish.
    page.goto(f"/staff/certificates/runs/{run_id}/")
    page.get_by_role("button", name=re.compile("fehlende Bescheinigungen ausstellen")).click()
    bar = page.locator("#job-progress-bar")
    expect(bar).to_have_attribute("max", "2")
    expect(bar).to_have_attribute("value", "2", timeout=30_000)
    expect(page.locator("#job-progress")).to_have_attribute("data-status", "done")
    expect(page.locator(".site-messages")).to_contain_text("2 von 2 Bescheinigungen")
    check_a11y(page, "journey3-certificates")
