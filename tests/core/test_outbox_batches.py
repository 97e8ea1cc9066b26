"""Committed e-mails go to the workers in batches per process (one broker message for up to
HANDOFF_BATCH, or for what came within HANDOFF_WAIT): every e-mail still goes out once, and with
the broker down the sweep sends them. Without a broker (eager mode) each goes at once."""

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

import core.services.outbox as outbox
from core.models import OutboxEmail
from core.services.outbox import deliver_due_emails, enqueue_email
from core.tasks import send_outbox_emails

pytestmark = pytest.mark.django_db(transaction=True)


def _write(count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        with transaction.atomic():  # one transaction each, as bookings or a bulk job's certificates
            enqueue_email(EmailMessage(subject=f"Nr. {i}", body="Anbei.", to=[f"{i}@example.org"]))


@pytest.fixture
def not_eager():
    """Tasks go to a broker (none is reached: the tests stand in for `delay`)."""
    conf = send_outbox_emails.app.conf
    before = conf.task_always_eager
    conf.update(task_always_eager=False)
    yield
    conf.update(task_always_eager=before)


@pytest.fixture
def broker(monkeypatch, not_eager):
    """A broker in front of the workers: the messages it was given (lists of ids), each given
    from whichever thread handed it over. The test delivers them as a worker would."""
    messages, arrived = [], threading.Condition()

    def delay(ids):
        with arrived:
            messages.append(list(ids))
            arrived.notify_all()

    monkeypatch.setattr(send_outbox_emails, "delay", delay)
    yield messages, arrived
    outbox._gathered.flush()


def _deliver(messages) -> None:
    for ids in messages:
        send_outbox_emails(ids)  # the worker's task, here


def test_a_full_batch_is_one_message_and_the_rest_follows_within_the_wait(broker):
    messages, arrived = broker
    _write(outbox.HANDOFF_BATCH + 3)
    assert [len(ids) for ids in messages] == [outbox.HANDOFF_BATCH]  # at once, in this thread
    with arrived:
        assert arrived.wait_for(lambda: len(messages) == 2, timeout=outbox.HANDOFF_WAIT + 5)
    assert [len(ids) for ids in messages] == [outbox.HANDOFF_BATCH, 3]
    _deliver(messages)
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Nr. {i}" for i in range(outbox.HANDOFF_BATCH + 3)
    )
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_single_e_mail_waits_no_longer_than_handoff_wait(broker):
    messages, arrived = broker
    started = time.monotonic()
    _write(1)
    with arrived:
        assert arrived.wait_for(lambda: messages, timeout=outbox.HANDOFF_WAIT + 5)
    assert time.monotonic() - started < outbox.HANDOFF_WAIT + 2
    _deliver(messages)
    assert [m.subject for m in mail.outbox] == ["Nr. 0"]


def test_with_the_broker_down_the_sweep_sends_them(monkeypatch, not_eager):
    def down(ids):
        raise ConnectionError("broker down")

    monkeypatch.setattr(send_outbox_emails, "delay", down)
    _write(outbox.HANDOFF_BATCH)  # a full batch: handed over (and refused) at once
    assert mail.outbox == []
    assert deliver_due_emails(now=timezone.now() + dt.timedelta(minutes=2)) == outbox.HANDOFF_BATCH
    assert len(mail.outbox) == outbox.HANDOFF_BATCH


def test_without_a_broker_each_e_mail_goes_at_its_commit():
    _write(2)
    assert [m.subject for m in mail.outbox] == ["Nr. 0", "Nr. 1"]
