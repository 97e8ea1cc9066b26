"""Booking e-mails (courses/emails.py, sent through services/mail.py): confirmation, waiting list,
promotion, approval request and cancellation, each in the recipient's language with the
right iCalendar method; nothing for a booking that failed."""

import datetime as dt
import email

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from core.models import OutboxEmail
from core.services.outbox import deliver_due_emails, deliver_email
from courses.emails import enrolment_email
from courses.errors import AlreadyEnrolled
from courses.services.booking.book import book
from courses.services.booking.cancel import cancel, cancel_run
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import business_contact, coordinator

pytestmark = pytest.mark.django_db


def calendars_of(message) -> list[Calendar]:
    """The iTIP messages attached: one calendar object per session."""
    found = [a for a in message.attachments if a[0].endswith(".ics")]
    assert all(mimetype.startswith("text/calendar") for _n, _c, mimetype in found)
    return [Calendar.from_ical(content) for _n, content, _m in found]


def calendar_of(message) -> Calendar:
    return calendars_of(message)[0]


def uids(cals) -> list[str]:
    return [str(e["UID"]) for cal in cals for e in cal.walk("VEVENT")]


def test_confirmation_in_german_with_request_calendar(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = make_run(capacity=5, sessions=2)
    person = verified_trainee()
    with django_capture_on_commit_callbacks(execute=True):
        book(run=run, participant=person)
    (mail,) = mailoutbox
    assert mail.to == [person.email]
    assert mail.subject == f"[Lernwerkstatt] Anmeldung bestätigt: {run.course.title}"
    assert f"Hallo {person.get_full_name()}" in mail.body
    assert "Stornieren können Sie bis" in mail.body
    cals = calendars_of(mail)
    assert {str(cal["METHOD"]) for cal in cals} == {"REQUEST"}
    assert uids(cals) == [f"{s.uid}@lernwerkstatt" for s in run.sessions.order_by("start")]
    assert [str(e["STATUS"]) for cal in cals for e in cal.walk("VEVENT")] == [
        "CONFIRMED",
        "CONFIRMED",
    ]


def test_english_participant_gets_english_mail_and_cancel_has_same_uids(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = make_run(capacity=5)
    person = verified_trainee(user__language="en")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = book(run=run, participant=person)
    with django_capture_on_commit_callbacks(execute=True):
        cancel(enrolment=enrolment, actor=person, reason="sick")
    confirmation, cancellation = mailoutbox
    assert confirmation.subject.endswith(f"Booking confirmed: {run.course.title}")
    assert "Hello" in confirmation.body and "Hallo" not in confirmation.body
    assert cancellation.subject.endswith(f"Cancelled: {run.course.title}")
    assert "Reason: sick" in cancellation.body
    request_cals, cancel_cals = calendars_of(confirmation), calendars_of(cancellation)
    assert {str(cal["METHOD"]) for cal in cancel_cals} == {"CANCEL"}
    assert uids(cancel_cals) == uids(request_cals)
    assert {str(e["STATUS"]) for cal in cancel_cals for e in cal.walk("VEVENT")} == {"CANCELLED"}


def test_waitlist_and_promotion_mails(mailoutbox, django_capture_on_commit_callbacks):
    run = make_run(capacity=1)
    first, second = verified_trainee(), verified_trainee()
    with django_capture_on_commit_callbacks(execute=True):
        holder = book(run=run, participant=first)
        book(run=run, participant=second)
    waitlist = mailoutbox[1]
    assert waitlist.to == [second.email]
    assert "Platz 1 der Warteliste" in waitlist.body
    assert not waitlist.attachments
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(enrolment=holder, actor=first)
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert by_recipient[first.email].subject.endswith(f"Storniert: {run.course.title}")
    promotion = by_recipient[second.email]
    assert "Ein Platz ist frei geworden" in promotion.subject
    assert str(calendar_of(promotion)["METHOD"]) == "REQUEST"


def test_approval_request_goes_to_the_contact_in_their_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = make_run(requires_employer_approval=True)
    person = verified_trainee()
    contact = business_contact(person.trainee_profile.business)
    contact.language = "en"
    contact.save()
    with django_capture_on_commit_callbacks(execute=True):
        pending = book(run=run, participant=person)
    by_recipient = {m.to[0]: m for m in mailoutbox}
    request = by_recipient[contact.email]
    assert request.subject.endswith(
        f"Approval requested: {person.get_full_name()} – {run.course.title}"
    )
    assert f"/business/approvals/{pending.approval_token}/" in request.body
    notice = by_recipient[person.email]
    assert "wartet auf Freigabe" in notice.subject


def test_cancelled_run_tells_everyone(mailoutbox, django_capture_on_commit_callbacks):
    run = make_run(capacity=1)
    a, b = verified_trainee(), verified_trainee()
    book(run=run, participant=a)
    book(run=run, participant=b)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_run(run=run, actor=coordinator(run.school), reason="Ausbilder erkrankt")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.email, b.email])
    assert all("Grund: Ausbilder erkrankt" in m.body for m in mailoutbox)


def test_failed_booking_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    run = make_run()
    person = verified_trainee()
    book(run=run, participant=person)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AlreadyEnrolled):
        book(run=run, participant=person)
    assert mailoutbox == []


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\u2028"])
def test_a_name_or_title_with_line_breaks_never_adds_a_header_or_fails_the_booking(
    mailoutbox, django_capture_on_commit_callbacks, newline
):
    # Names and titles reach the subject line; a line break there would add a header to mail sent
    # from our address (or make Django refuse to send after the seat is held).
    run = make_run(requires_employer_approval=True)
    run.course.title = f"SPS{newline}Bcc: victim@example.org"
    run.course.save()
    person = verified_trainee()
    person.first_name = f"Lena{newline}Bcc: victim@example.org"
    person.save()
    contact = business_contact(person.trainee_profile.business)
    with django_capture_on_commit_callbacks(execute=True):
        pending = book(run=run, participant=person)
    assert pending.status == "pending"
    assert {m.to[0] for m in mailoutbox} == {contact.email, person.email}
    for mail in mailoutbox:
        assert not any(ch in mail.subject for ch in "\r\n\u2028")
        message = email.message_from_string(mail.message().as_string())
        assert message.get_all("Bcc") is None
        assert message["To"] == mail.to[0]


def test_a_booking_stores_what_to_render_and_the_worker_renders_the_same_mail(mailoutbox):
    run = make_run(capacity=1, sessions=2)
    book(run=run, participant=verified_trainee())
    person = verified_trainee(user__language="en")
    with CaptureQueriesContext(connection) as queries:
        waiting = book(run=run, participant=person)
    # Once the enrolment is written (the run is locked) no session is read for the e-mail.
    statements = [q["sql"] for q in queries]
    written = next(i for i, sql in enumerate(statements) if 'INTO "courses_enrolment"' in sql)
    assert not [sql for sql in statements[written:] if 'FROM "courses_session"' in sql]
    row = OutboxEmail.objects.get(recipients__contains=f" {person.email} ")
    assert (row.renderer, row.subject, row.body) == ("courses.enrolment", "", "")
    assert row.params == {"enrolment": waiting.pk, "kind": "waitlist", "lang": "en", "position": 1}

    expected = enrolment_email(waiting, "waitlist", position=1)
    assert deliver_email(email_id=row.pk)
    (sent,) = [m for m in mailoutbox if m.to == [person.email]]
    assert (sent.subject, sent.body) == (expected.subject, expected.body)
    assert sent.subject.startswith("[Lernwerkstatt] ") and "waiting list" in sent.body.lower()


def test_a_booking_mail_whose_enrolment_is_gone_is_skipped(mailoutbox):
    enrolment = book(run=make_run(capacity=5), participant=verified_trainee())
    enrolment.delete()
    assert deliver_due_emails(now=timezone.now() + dt.timedelta(minutes=5)) == 0
    assert mailoutbox == []
    assert OutboxEmail.objects.get().status == "skipped"
