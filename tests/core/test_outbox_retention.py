"""The outbox keeps no clear secret longer than needed: the approval e-mail carries the only
clear approval link, so once it is delivered its body is emptied (or after
OUTBOX_BODY_RETENTION_DAYS); subject, recipients and time sent stay as the record."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutboxEmail
from core.services.outbox import (
    deliver_due_emails,
    enqueue_email,
    purge_email_bodies,
    withdraw_emails_to,
)
from courses.services.booking.book import book
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import business_contact

pytestmark = pytest.mark.django_db


def _later(**delta):
    return timezone.now() + dt.timedelta(**delta)


def _approval_booking():
    person = verified_trainee()
    contact = business_contact(person.trainee_profile.business)
    pending = book(run=make_run(requires_employer_approval=True), participant=person)
    return contact, pending.approval_token


def _rows_holding(text: str) -> list[int]:
    return [
        row.pk
        for row in OutboxEmail.objects.all()
        if text in row.body or any(text in str(a["content"]) for a in row.attachments)
    ]


def test_a_delivered_approval_e_mail_keeps_its_record_but_not_the_link(settings):
    settings.OUTBOX_BODY_RETENTION_DAYS = 0
    contact, token = _approval_booking()
    assert _rows_holding(token)  # pending: the link must still be sent
    assert deliver_due_emails(now=_later(minutes=5)) >= 2

    delivered = [m for m in mail.outbox if contact.email in m.to]
    assert len(delivered) == 1 and f"/business/approvals/{token}/" in delivered[0].body
    assert _rows_holding(token) == []
    row = OutboxEmail.objects.get(recipients__contains=f" {contact.email} ")
    assert row.status == "sent" and row.sent_at is not None
    assert row.body == "" and row.attachments == []
    assert row.subject == delivered[0].subject and row.to == [contact.email]


def test_with_a_retention_the_body_goes_after_that_many_days(settings):
    settings.OUTBOX_BODY_RETENTION_DAYS = 3
    contact, token = _approval_booking()
    deliver_due_emails(now=_later(minutes=5))
    assert _rows_holding(token)  # kept for support while the retention lasts
    assert purge_email_bodies(now=_later(days=2)) == 0
    assert purge_email_bodies(now=_later(days=4)) >= 1
    assert _rows_holding(token) == []
    assert OutboxEmail.objects.filter(status="sent", body="").count() >= 2
    assert purge_email_bodies(now=_later(days=5)) == 0  # nothing left to empty


def test_failed_and_withdrawn_messages_are_emptied_too(settings):
    from django.core.mail import EmailMessage

    settings.OUTBOX_BODY_RETENTION_DAYS = 3
    failed = enqueue_email(EmailMessage("s", "secret-failed", to=["gone@example.org"]))
    OutboxEmail.objects.filter(pk=failed.pk).update(status="failed")
    enqueue_email(EmailMessage("s", "secret-withdrawn", to=["left@example.org"]))
    withdraw_emails_to(address="left@example.org")
    pending = enqueue_email(EmailMessage("s", "still-to-send", to=["a@example.org"]))
    assert _rows_holding("secret-withdrawn") == []  # withdrawn: emptied at once
    assert purge_email_bodies(now=_later(days=4)) == 1
    assert _rows_holding("secret-failed") == []
    assert _rows_holding("still-to-send") == [pending.pk]  # never before it is sent
