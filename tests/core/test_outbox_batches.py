"""A writer of many e-mails in a row (a bulk job) hands them to the workers in batches: every
e-mail still goes out once, a batch is one broker message, and what is held when the writer
stops is handed off then; with the broker down the sweep sends them."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

import core.services.outbox as outbox
from core.models import OutboxEmail
from core.services.outbox import deliver_due_emails, enqueue_email, handing_off_together

pytestmark = pytest.mark.django_db(transaction=True)


def _write(count: int) -> None:
    for i in range(count):
        with transaction.atomic():  # one transaction each, as a bulk job's certificates
            enqueue_email(EmailMessage(subject=f"Nr. {i}", body="Anbei.", to=[f"{i}@example.org"]))


def test_e_mails_go_out_once_each_in_batches_of_one_message(monkeypatch):
    messages = []
    real = outbox.send_outbox_emails_task.delay
    monkeypatch.setattr(
        outbox.send_outbox_emails_task, "delay", lambda ids: (messages.append(ids), real(ids))
    )
    with handing_off_together():
        _write(outbox.HANDOFF_BATCH + 3)
        # A full batch went at once; the rest waits for the next e-mail or the end.
        assert [len(ids) for ids in messages] == [outbox.HANDOFF_BATCH]
        assert len(mail.outbox) == outbox.HANDOFF_BATCH
    assert [len(ids) for ids in messages] == [outbox.HANDOFF_BATCH, 3]
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Nr. {i}" for i in range(outbox.HANDOFF_BATCH + 3)
    )
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_an_e_mail_waits_for_its_batch_no_longer_than_handoff_wait(monkeypatch):
    monkeypatch.setattr(outbox, "HANDOFF_WAIT", 0)
    with handing_off_together():
        _write(2)
        assert len(mail.outbox) == 2  # each handed off as it came


def test_with_the_broker_down_the_sweep_sends_the_batch(monkeypatch):
    def down(ids):
        raise ConnectionError("broker down")

    monkeypatch.setattr(outbox.send_outbox_emails_task, "delay", down)
    with handing_off_together():
        _write(2)
    assert mail.outbox == []
    assert deliver_due_emails(now=timezone.now() + dt.timedelta(minutes=2)) == 2
    assert len(mail.outbox) == 2
