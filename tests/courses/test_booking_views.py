"""The public booking pages as a user sees them: catalogue, run page, booking, my courses, the
business area and the approval page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from certificates.models import Certificate
from courses.models import Attendance, Course, CourseRun, Enrolment
from courses.services.booking import book
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import (
    BusinessFactory,
    SchoolFactory,
    TopicFactory,
    business_contact,
    coordinator,
    trainee,
)
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# --- catalogue -----------------------------------------------------------------------------------


def test_catalogue_search_and_filters_live_in_the_url(client):
    cnc = TopicFactory(name="CNC", slug="cnc")
    laser = make_run(course__title="Lasergravur für Tischler", course__topic=cnc)
    printer = make_run(course__description="Wir drucken Ersatzteile", day=40)
    staff_only = make_run(
        course__title="SPS für Meister", course__target_group=Course.TargetGroup.STAFF
    )
    full = make_run(capacity=1, course__title="Robotik kompakt")
    book(run=full, participant=verified_trainee())

    def titles(query):
        return {r.course.title for r in client.get("/" + query).context["runs"]}

    assert titles("?q=ersatzteile") == {printer.course.title}
    assert titles("?q=cnc") == {laser.course.title}  # topic name
    assert titles("?topic=cnc") == {laser.course.title}
    assert titles(f"?school={staff_only.school_id}") == {staff_only.course.title}
    assert staff_only.course.title not in titles("?target_group=apprentices")
    assert staff_only.course.title in titles("?target_group=staff")
    later = day_at(35).date().isoformat()
    assert titles(f"?date_from={later}") == {printer.course.title}
    assert printer.course.title not in titles(f"?date_to={later}")
    assert "Robotik kompakt" not in titles("?free=on")
    assert "Robotik kompakt" in titles("")
    page = html(client.get("/?q=robotik"))
    assert "auf der Warteliste" not in page and "ausgebucht" in page


def test_catalogue_pages_keep_the_filters_and_run_a_fixed_number_of_queries(client):
    def count_queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_run()
    small = count_queries("/?q=3D")
    for _ in range(30):
        make_run(sessions=0)
    large = count_queries("/?q=3D")
    assert small == large
    page = html(client.get("/?q=3D"))
    assert "q=3D&amp;page=2" in page


def test_catalogue_htmx_returns_only_the_result_list(client):
    make_run(course__title="Nur Liste")
    response = client.get("/?q=Liste", HTTP_HX_REQUEST="true")
    assert "<html" not in html(response)
    assert "Nur Liste" in html(response)


def test_bad_filter_input_is_a_form_error_not_a_500(client):
    response = client.get("/?date_from=gestern&school=abc")
    assert response.status_code == 200
    assert "Bitte korrigieren" in html(response)


# --- run page ------------------------------------------------------------------------------------


def test_run_page_shows_what_booking_will_do(client):
    run = make_run(capacity=1, price_business="149.00")
    page = html(client.get(f"/runs/{run.pk}/"))
    assert "Jetzt verbindlich buchen" in page
    assert "149,00" in page or "149.00" in page
    assert run.course.learning_outcome_list[0] in page
    assert str(run.workshop) in page
    book(run=run, participant=verified_trainee())
    assert "Auf die Warteliste (Platz 1)" in html(client.get(f"/runs/{run.pk}/"))
    CourseRun.objects.filter(pk=run.pk).update(
        booking_opens_at=day_at(3), booking_closes_at=day_at(10)
    )
    assert "Buchung ab" in html(client.get(f"/runs/{run.pk}/"))
    CourseRun.objects.filter(pk=run.pk).update(
        booking_opens_at=day_at(-10), booking_closes_at=day_at(-1)
    )
    assert "Buchung geschlossen" in html(client.get(f"/runs/{run.pk}/"))
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.DRAFT)
    assert client.get(f"/runs/{run.pk}/").status_code == 404


def test_booking_needs_login_and_a_verified_email(client):
    run = make_run()
    response = client.post(f"/runs/{run.pk}/book/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    unverified = trainee()
    client.force_login(unverified)
    response = client.post(f"/runs/{run.pk}/book/", follow=True)
    assert "E-Mail-Adresse" in html(response)
    assert not Enrolment.objects.exists()


def test_book_then_waiting_list_then_cancel_promotes_the_next(client):
    run = make_run(capacity=1)
    first, second = verified_trainee(), verified_trainee()
    client.force_login(first)
    page = html(client.post(f"/runs/{run.pk}/book/", follow=True))
    assert "Sie sind angemeldet" in page
    client.force_login(second)
    page = html(client.post(f"/runs/{run.pk}/book/", follow=True))
    assert "Platz 1 der Warteliste" in page
    page = html(client.post(f"/runs/{run.pk}/book/", follow=True))
    assert "bereits" in page  # second click: no duplicate
    assert html(client.get("/my/")).count("Platz 1 auf der Warteliste") == 1

    client.force_login(first)
    mine = Enrolment.objects.get(participant=first)
    response = client.post(f"/my/enrolments/{mine.pk}/cancel/", follow=True)
    assert "storniert" in html(response)
    assert Enrolment.objects.get(participant=second).status == "confirmed"


def test_my_courses_shows_status_sessions_attendance_and_certificate(
    client, django_assert_max_num_queries
):
    person = verified_trainee()
    run = make_run(capacity=5, day=-10)  # sessions in the past
    CourseRun.objects.filter(pk=run.pk).update(
        booking_opens_at=day_at(-30),
        booking_closes_at=day_at(-11),
        cancellation_deadline=day_at(-12),
    )
    enrolment = Enrolment.objects.create(
        run=run, participant=person, participant_name="X", status="confirmed"
    )
    first_session = run.sessions.first()
    Attendance.objects.create(enrolment=enrolment, session=first_session, status="present")
    cert = Certificate.objects.create(
        enrolment=enrolment,
        number="BBS-2026-0001",
        verification_code="abc",
        issued_at=timezone.now(),
    )
    revoked = Certificate.objects.create(
        enrolment=enrolment,
        number="BBS-2026-0000",
        verification_code="old",
        issued_at=timezone.now(),
        revoked_at=timezone.now(),
    )
    client.force_login(person)
    page = html(client.get("/my/"))
    assert "Anwesend bei 1 von 2 bisherigen Terminen" in page
    assert f"/certificates/{cert.pk}/pdf/" in page
    assert f"/certificates/{revoked.pk}/pdf/" not in page
    assert "Stornierungsfrist ist abgelaufen" in page  # the deadline passed: no cancel button

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            client.get("/my/")
        return len(ctx.captured_queries)

    one = queries()
    for i in range(5):
        book(run=make_run(capacity=5, day=50 + 3 * i), participant=person)
    assert queries() == one
    with django_assert_max_num_queries(15):
        client.get("/my/")


def test_my_calendar_download_and_privacy(client):
    person = verified_trainee()
    run = make_run()
    enrolment = book(run=run, participant=person)
    client.force_login(person)
    response = client.get(f"/my/enrolments/{enrolment.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert sorted(str(e["UID"]) for e in cal.walk("VEVENT")) == sorted(
        f"{s.uid}@lernwerkstatt" for s in run.sessions.all()
    )
    client.force_login(trainee())
    assert client.get(f"/my/enrolments/{enrolment.pk}/calendar.ics").status_code == 404
    assert client.post(f"/my/enrolments/{enrolment.pk}/cancel/").status_code == 404


def test_participant_cannot_cancel_after_the_deadline_but_the_coordinator_can(client):
    person = verified_trainee()
    run = make_run()
    enrolment = book(run=run, participant=person)
    CourseRun.objects.filter(pk=run.pk).update(
        cancellation_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(person)
    page = html(client.post(f"/my/enrolments/{enrolment.pk}/cancel/", follow=True))
    assert "Stornierungsfrist" in page
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"


# --- business area -------------------------------------------------------------------------------


def test_business_contact_books_two_apprentices_at_once_and_cancels_for_one(client):
    business = BusinessFactory()
    contact = business_contact(business)
    anna, ben = trainee(business=business), trainee(business=business)
    outsider = trainee()
    run = make_run(capacity=1)
    client.force_login(contact)
    page = html(client.get("/business/"))
    assert anna.get_full_name() in page and outsider.email not in page
    response = client.post(
        "/business/book/",
        {"business": business.pk, "run": run.pk, "participants": [anna.pk, ben.pk]},
        follow=True,
    )
    assert "1 angemeldet, 1 auf der Warteliste" in html(response)
    assert Enrolment.objects.filter(run=run, business=business).count() == 2
    first = Enrolment.objects.get(participant=anna)
    client.post(f"/business/enrolments/{first.pk}/cancel/")
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert Enrolment.objects.get(participant=ben).status == "confirmed"


def test_business_booking_rejects_outsiders_with_a_form_error(client):
    business = BusinessFactory()
    contact = business_contact(business)
    run = make_run()
    client.force_login(contact)
    response = client.post(
        "/business/book/", {"business": business.pk, "run": run.pk, "participants": [trainee().pk]}
    )
    assert response.status_code == 422
    assert not Enrolment.objects.exists()


def test_business_area_is_closed_to_others(client):
    client.force_login(trainee())
    assert client.get("/business/").status_code == 403
    enrolment = book(run=make_run(), participant=verified_trainee())
    client.force_login(business_contact())
    assert client.post(f"/business/enrolments/{enrolment.pk}/cancel/").status_code == 404


def test_approval_page_approves_and_decides_only_once(client):
    run = make_run(requires_employer_approval=True)
    person = verified_trainee()
    contact = business_contact(person.trainee_profile.business)
    pending = book(run=run, participant=person)
    url = f"/business/approvals/{pending.approval_token}/"
    client.force_login(business_contact())
    assert client.get(url).status_code == 404
    client.force_login(contact)
    assert "Freigeben" in html(client.get(url))
    client.post(url, {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    assert "bereits entschieden" in html(client.get(url))


# --- completion review ---------------------------------------------------------------------------


def test_coordinator_completes_and_corrects(client):
    run = make_run(day=-5, sessions=1)
    a = Enrolment.objects.create(
        run=run, participant=trainee(), participant_name="A", status="confirmed"
    )
    Attendance.objects.create(enrolment=a, session=run.sessions.get(), status="present")
    b = Enrolment.objects.create(
        run=run, participant=trainee(), participant_name="B", status="confirmed"
    )
    url = f"/staff/completion/runs/{run.pk}/"
    client.force_login(coordinator(SchoolFactory()))
    assert client.get(url).status_code == 404
    client.force_login(coordinator(run.school))
    client.post(url, {"action": "complete"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("completed", "no_show")
    client.post(url, {"enrolment": b.pk, "status": "not_completed", "reason": "kam verspätet"})
    b.refresh_from_db()
    assert b.status == "not_completed"
    assert "nicht abgeschlossen" in html(client.get(url))


def test_business_area_runs_a_fixed_number_of_queries(client):
    business = BusinessFactory()
    contact = business_contact(business)
    client.force_login(contact)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/business/").status_code == 200
        return len(ctx.captured_queries)

    book(run=make_run(), participant=verified_trainee(business=business))
    small = queries()
    for i in range(8):
        book(run=make_run(day=40 + 2 * i), participant=verified_trainee(business=business))
    book(
        run=make_run(requires_employer_approval=True, day=70),
        participant=verified_trainee(business=business),
    )
    assert queries() == small
