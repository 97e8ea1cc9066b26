"""The public pages as a user sees them: catalogue, run page, booking and my courses."""

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
from tests.factories import SchoolFactory, TopicFactory, coordinator, trainee
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


def test_a_draft_run_is_shown_only_to_the_coordinators_of_its_school(client):
    run = make_run(status=CourseRun.Status.DRAFT)
    url = f"/runs/{run.pk}/"
    assert client.get(url).status_code == 404  # the public does not learn that it exists
    client.force_login(verified_trainee())
    assert client.get(url).status_code == 404
    assert client.post(f"{url}book/").status_code == 404
    assert client.post(f"/runs/{run.pk + 1000}/book/").status_code == 404  # no such run
    client.force_login(coordinator(SchoolFactory()))
    assert client.get(url).status_code == 404
    client.force_login(coordinator(run.school))
    assert client.get(url).status_code == 200
    assert not Enrolment.objects.exists()


def test_after_logging_in_to_book_the_user_lands_on_the_run_page(client):
    """Pressing the button while logged out leads through the login page, which returns with a
    GET to the booking address: that shows the run again instead of booking unasked."""
    run = make_run()
    client.force_login(verified_trainee())
    response = client.get(f"/runs/{run.pk}/book/")
    assert response.status_code == 302 and response["Location"] == f"/runs/{run.pk}/"
    assert not Enrolment.objects.exists()


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
