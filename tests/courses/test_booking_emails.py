"""Booking e-mails: sent after commit, in the recipient's language, with calendar files whose
UIDs stay the same from confirmation to cancellation."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from courses.errors import AlreadyEnrolled
from courses.models import CourseRun
from courses.services.booking import book, cancel, cancel_run
from courses.tasks.booking import send_reminders
from tests.courses.booking_fixtures import make_run
from tests.factories import business_contact, coordinator, trainee

pytestmark = pytest.mark.django_db


def calendar_of(message) -> Calendar:
    (name, content, mimetype) = next(a for a in message.attachments if a[0].endswith(".ics"))
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def uids(cal) -> list[str]:
    return [str(e["UID"]) for e in cal.walk("VEVENT")]


def test_confirmation_in_german_with_request_calendar(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = make_run(capacity=5, sessions=2)
    person = trainee()
    with django_capture_on_commit_callbacks(execute=True):
        book(run=run, participant=person)
    (mail,) = mailoutbox
    assert mail.to == [person.email]
    assert mail.subject == f"[Lernwerkstatt] Anmeldung bestätigt: {run.course.title}"
    assert f"Hallo {person.get_full_name()}" in mail.body
    assert "Stornieren können Sie bis" in mail.body
    cal = calendar_of(mail)
    assert str(cal["METHOD"]) == "REQUEST"
    assert uids(cal) == [f"{s.uid}@lernwerkstatt" for s in run.sessions.order_by("start")]
    assert [str(e["STATUS"]) for e in cal.walk("VEVENT")] == ["CONFIRMED", "CONFIRMED"]


def test_english_participant_gets_english_mail_and_cancel_has_same_uids(
    mailoutbox, django_capture_on_commit_callbacks
):
    run = make_run(capacity=5)
    person = trainee(user__language="en")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = book(run=run, participant=person)
    with django_capture_on_commit_callbacks(execute=True):
        cancel(enrolment=enrolment, actor=person, reason="sick")
    confirmation, cancellation = mailoutbox
    assert confirmation.subject.endswith(f"Booking confirmed: {run.course.title}")
    assert "Hello" in confirmation.body and "Hallo" not in confirmation.body
    assert cancellation.subject.endswith(f"Cancelled: {run.course.title}")
    assert "Reason: sick" in cancellation.body
    request_cal, cancel_cal = calendar_of(confirmation), calendar_of(cancellation)
    assert str(cancel_cal["METHOD"]) == "CANCEL"
    assert uids(cancel_cal) == uids(request_cal)
    assert {str(e["STATUS"]) for e in cancel_cal.walk("VEVENT")} == {"CANCELLED"}


def test_waitlist_and_promotion_mails(mailoutbox, django_capture_on_commit_callbacks):
    run = make_run(capacity=1)
    first, second = trainee(), trainee()
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
    person = trainee()
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
    a, b = trainee(), trainee()
    book(run=run, participant=a)
    book(run=run, participant=b)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_run(run=run, actor=coordinator(run.school), reason="Ausbilder erkrankt")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.email, b.email])
    assert all("Grund: Ausbilder erkrankt" in m.body for m in mailoutbox)


def test_failed_booking_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    run = make_run()
    person = trainee()
    book(run=run, participant=person)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AlreadyEnrolled):
        book(run=run, participant=person)
    assert mailoutbox == []


def test_reminder_two_days_before_and_never_twice(mailoutbox, django_capture_on_commit_callbacks):
    soon = make_run(day=1, sessions=1)  # starts tomorrow 08:00
    CourseRun.objects.filter(pk=soon.pk).update(
        booking_opens_at=timezone.now() - dt.timedelta(days=5),
        booking_closes_at=timezone.now() + dt.timedelta(hours=1),
        cancellation_deadline=timezone.now(),
    )
    later = make_run(day=10, sessions=1)
    near, far = trainee(user__language="en"), trainee()
    book(run=soon, participant=near)
    book(run=later, participant=far)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0
    (mail,) = mailoutbox
    assert mail.to == [near.email]
    assert mail.subject.endswith(f"Reminder: {soon.course.title} starts soon")
    assert "starts in two days" in mail.body
