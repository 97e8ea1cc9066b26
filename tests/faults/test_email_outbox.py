"""E-mails go through the outbox: a booking committed while the broker is down, or whose process
dies between the commit and the hand-off, still sends its e-mail, once; and the booking never
answers with an error after its commit."""

import datetime as dt
import time

import pytest
from django.core import mail

from core.models import OutboxEmail
from core.services.outbox import deliver_due_emails
from courses.models import Enrolment
from courses.services.booking.book import book
from tests.courses.booking_fixtures import make_run, verified_trainee

pytestmark = pytest.mark.django_db


def _later(minutes=2):
    from django.utils import timezone

    return timezone.now() + dt.timedelta(minutes=minutes)


def test_booking_while_the_broker_is_down_answers_at_once_and_the_sweep_sends_once(
    client, broker_down, django_capture_on_commit_callbacks
):
    run = make_run()
    person = verified_trainee()
    client.force_login(person)
    assert client.get(f"/runs/{run.pk}/").status_code == 200  # warm: templates compiled
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/runs/{run.pk}/book/")
    elapsed = time.monotonic() - started
    assert response.status_code == 302  # booked, not an error page
    assert elapsed < 3, f"the booking waited {elapsed:.1f} s for the broker"
    assert Enrolment.objects.get(run=run, participant=person).status == "confirmed"
    assert mail.outbox == []
    row = OutboxEmail.objects.get()
    assert (row.status, row.to) == ("pending", [person.email])

    # The broker is back (eager again); beat's sweep sends what was left, once.
    assert deliver_due_emails(now=_later()) == 1
    assert deliver_due_emails(now=_later(5)) == 0
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "Anmeldung bestätigt" in mail.outbox[0].subject
    assert mail.outbox[0].attachments  # the calendar file survived the outbox


def test_a_process_dying_between_commit_and_hand_off_loses_no_e_mail():
    # The test transaction never runs on-commit callbacks: exactly what a process killed right
    # after the commit leaves behind.
    person = verified_trainee()
    book(run=make_run(), participant=person)
    assert mail.outbox == []
    assert deliver_due_emails() == 0  # too fresh: its own hand-off may still be under way
    assert deliver_due_emails(now=_later()) == 1
    assert deliver_due_emails(now=_later(10)) == 0
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_a_rolled_back_booking_sends_nothing():
    from django.db import transaction

    person = verified_trainee()
    with pytest.raises(RuntimeError), transaction.atomic():
        book(run=make_run(), participant=person)
        raise RuntimeError("rolled back")
    assert not OutboxEmail.objects.exists()
    assert deliver_due_emails(now=_later()) == 0


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_mail_server_down_after_the_commit_is_no_error_and_is_retried(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.faults.test_email_outbox.FailingBackend"
    run = make_run()
    person = verified_trainee()
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/runs/{run.pk}/book/")
    assert response.status_code == 302
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "SMTP server down" in row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_due_emails(now=_later(5)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.attachments) == ("sent", 2, [])
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_the_same_key_is_one_e_mail():
    from django.core.mail import EmailMessage

    from core.services.outbox import enqueue_email

    message = EmailMessage(subject="s", body="b", to=["a@example.org"])
    assert enqueue_email(message, key="k1") is not None
    assert enqueue_email(message, key="k1") is None
    assert OutboxEmail.objects.count() == 1
