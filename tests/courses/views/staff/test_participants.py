"""The participants and messages on the staff run page: what the coordinator sees and does, who
may not, a constant number of queries, and messages in each person's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutboxEmail
from courses.models import Attendance, Enrolment, RunMessage
from courses.services.booking import book
from courses.services.messages import send_run_message
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import business_contact, coordinator, instructor

pytestmark = pytest.mark.django_db


def _page(client, run):
    return client.get(reverse("courses:staff_run_detail", args=[run.pk]))


def test_run_page_lists_participants_with_status_business_and_attendance(client):
    run = make_run(capacity=1, day=-3)  # both sessions have taken place
    run.cancellation_deadline = run.booking_opens_at
    run.save()
    seated = book(run=run, participant=verified_trainee(), now=run.booking_opens_at)
    waiting = book(run=run, participant=verified_trainee(), now=run.booking_opens_at)
    session = run.sessions.order_by("start").first()
    Attendance.objects.create(enrolment=seated, session=session, status="present")
    client.force_login(coordinator(run.school))
    html = _page(client, run).content.decode()
    assert seated.participant_name in html and waiting.participant_name in html
    assert seated.business.name in html
    assert "anwesend: 1 von 2 Terminen" in html
    assert "Warteliste, Platz 1" in html
    assert reverse("courses:staff_participant_add", args=[run.pk]) in html


def _fill(run, n):
    for _ in range(n):
        Enrolment.objects.create(
            run=run, participant=verified_trainee(), participant_name="X", status="confirmed"
        )


def test_participant_list_costs_the_same_queries_for_3_and_30_rows(client):
    client.force_login(coordinator())
    counts = []
    for n in (3, 30):
        run = make_run(capacity=40)
        client.force_login(coordinator(run.school))
        _fill(run, n)
        send_run_message(run=run, actor=coordinator(run.school), subject="Hallo", body="Text")
        with CaptureQueriesContext(connection) as queries:
            response = _page(client, run)
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="participant"') == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("who", ["other_coordinator", "instructor", "business_contact"])
def test_actions_are_refused_to_everyone_but_the_schools_coordinators(client, who):
    run = make_run(capacity=2)
    enrolment = book(run=run, participant=verified_trainee())
    user = {
        "other_coordinator": lambda: coordinator(),
        "instructor": lambda: instructor(run.school),
        "business_contact": lambda: business_contact(enrolment.business),
    }[who]()
    client.force_login(user)
    posts = [
        (reverse("courses:staff_participant_add", args=[run.pk]), {"email": "a@example.org"}),
        (reverse("courses:staff_participant_cancel", args=[run.pk, enrolment.pk]), {"reason": "x"}),
        (reverse("courses:staff_participant_promote", args=[run.pk, enrolment.pk]), {}),
        (reverse("courses:staff_participant_move", args=[run.pk, enrolment.pk]), {"target": 1}),
        (reverse("courses:staff_run_message", args=[run.pk]), {"subject": "a", "body": "b"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed" and not RunMessage.objects.exists()


def test_cancel_asks_first_and_refuses_without_a_reason(client):
    run = make_run(capacity=2)
    enrolment = book(run=run, participant=verified_trainee())
    client.force_login(coordinator(run.school))
    url = reverse("courses:staff_participant_cancel", args=[run.pk, enrolment.pk])
    page = client.get(url).content.decode()
    assert "stornieren?" in page and 'name="reason"' in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Bitte einen Grund für die Stornierung angeben." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"
    response = client.post(url, {"reason": "krank"}, follow=True)
    assert "ist storniert" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled" and enrolment.cancel_reason == "krank"


def test_book_by_hand_page_says_when_the_person_lands_on_the_waiting_list(client):
    run = make_run(capacity=1)
    book(run=run, participant=verified_trainee())
    client.force_login(coordinator(run.school))
    url = reverse("courses:staff_participant_add", args=[run.pk])
    response = client.post(
        url,
        {"email": "tel@example.org", "first_name": "Tel", "last_name": "Fon", "language": "de"},
        follow=True,
    )
    html = response.content.decode()
    assert "Platz 1 der Warteliste" in html and "neues Konto" in html
    response = client.post(url, {"email": "nobody@example.org", "language": "de"})
    assert "bitte den Vornamen angeben" in response.content.decode()


def test_message_reaches_each_person_in_their_language_and_is_logged(client):
    run = make_run(capacity=1)
    german = verified_trainee()
    english = verified_trainee()
    english.language = "en"
    english.save()
    book(run=run, participant=german)
    book(run=run, participant=english)  # waiting
    session = run.sessions.order_by("start").last()
    client.force_login(coordinator(run.school))
    url = reverse("courses:staff_run_message", args=[run.pk])
    OutboxEmail.objects.all().delete()
    response = client.post(
        url,
        {"subject": "Sicherheitsschuhe", "body": "Bitte mitbringen.", "session": session.pk,
         "include_waiting": "on"},
        follow=True,
    )  # fmt: skip
    assert "an 2 Personen gesendet" in response.content.decode()
    mails = {m.to[0]: m for m in OutboxEmail.objects.all()}
    assert set(mails) == {german.email, english.email}
    assert "eine Nachricht von" in mails[german.email].body
    assert "a message from" in mails[english.email].body
    assert session.start.astimezone().strftime("%d.%m.%Y") in mails[german.email].body
    message = RunMessage.objects.get()
    assert message.recipients == 2 and message.session == session
    assert "Sicherheitsschuhe" in _page(client, run).content.decode()
    # Without the waiting list only the seat holder hears it; an empty subject is refused.
    send_run_message(run=run, actor=coordinator(run.school), subject="Raum", body="B 1.04")
    assert RunMessage.objects.get(subject="Raum").recipients == 1
    bad = client.post(url, {"subject": "", "body": "x"})
    assert bad.status_code == 200 and RunMessage.objects.count() == 2
