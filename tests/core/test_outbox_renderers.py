"""A message stored as what to render (core.services.outbox.enqueue_rendered_later) is rendered by
the worker that sends it: the change's transaction writes one short row. What its renderer can no
longer say is skipped with a log line, and a renderer that fails never stops the sweep."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from core.models import OutboxEmail
from core.services import outbox
from core.services.outbox import (
    deliver_due_emails,
    enqueue_rendered_later,
    withdraw_emails_to,
)
from people.models import User

pytestmark = pytest.mark.django_db


def _later(minutes=5):
    return timezone.now() + dt.timedelta(minutes=minutes)


def _greeting(*, user: int, greeting: str) -> EmailMessage | None:
    person = User.objects.get(pk=user)  # gone: the outbox skips the message
    if not person.is_active:
        return None
    body = f"{greeting}, {person.first_name}!\n"
    message = EmailMessage(subject=f"{greeting} {person.first_name}", body=body)
    message.attach("hello.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return message


def _broken(**params):
    raise RuntimeError("template missing")


@pytest.fixture(autouse=True)
def renderers(monkeypatch):
    monkeypatch.setitem(outbox._renderers, "tests.greeting", _greeting)
    monkeypatch.setitem(outbox._renderers, "tests.broken", _broken)


def _person(name="Jana"):
    return User.objects.create(email=f"{name.lower()}@example.org", first_name=name)


def _store(person, greeting="Hallo", **kwargs):
    return enqueue_rendered_later(
        "tests.greeting", params={"user": person.pk, "greeting": greeting}, to=[person.email],
        **kwargs,
    )  # fmt: skip


def test_the_row_says_what_to_render_and_the_worker_renders_the_state_of_sending(settings):
    settings.OUTBOX_BODY_RETENTION_DAYS = 3
    person = _person()
    row = _store(person)
    assert (row.subject, row.body, row.attachments) == ("", "", [])
    person.first_name = "Janne"  # changed after the change was recorded, before sending
    person.save()

    assert deliver_due_emails(now=_later()) == 1
    (sent,) = mail.outbox
    assert (sent.to, sent.subject, sent.body) == ([person.email], "Hallo Janne", "Hallo, Janne!\n")
    assert sent.attachments[0][0] == "hello.ics"
    row.refresh_from_db()
    assert (row.status, row.subject, row.body) == ("sent", "Hallo Janne", "Hallo, Janne!\n")
    assert deliver_due_emails(now=_later(10)) == 0  # once


def test_the_body_of_a_rendered_row_is_not_kept_without_retention(settings):
    settings.OUTBOX_BODY_RETENTION_DAYS = 0
    row = _store(_person())
    deliver_due_emails(now=_later())
    row.refresh_from_db()
    assert (row.status, row.subject, row.body) == ("sent", "Hallo Jana", "")


def test_a_message_whose_object_is_gone_is_skipped_and_the_sweep_goes_on(caplog):
    gone, stays, inactive = _person("Gone"), _person("Stays"), _person("Quiet")
    first = _store(gone)
    second = _store(inactive)
    third = _store(stays)
    gone.delete()
    inactive.is_active = False
    inactive.save()

    with caplog.at_level(logging.WARNING, logger="core.services.outbox"):
        assert deliver_due_emails(now=_later()) == 1
    assert [m.to for m in mail.outbox] == [[stays.email]]
    statuses = dict(OutboxEmail.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "skipped", second.pk: "skipped", third.pk: "sent"}
    assert f"e-mail {first.pk} skipped" in caplog.text
    assert f"e-mail {second.pk} skipped" in caplog.text
    assert deliver_due_emails(now=_later(30)) == 0  # never tried again


def test_a_failing_renderer_is_retried_with_backoff_and_never_stops_the_sweep(caplog):
    broken = enqueue_rendered_later("tests.broken", params={}, to=["a@example.org"])
    fine = _store(_person())
    with caplog.at_level(logging.ERROR, logger="core.services.outbox"):
        assert deliver_due_emails(now=_later()) == 1
    broken.refresh_from_db()
    assert (broken.status, broken.attempts) == ("pending", 1)
    assert "template missing" in broken.last_error
    assert broken.next_attempt_at > _later()
    assert "could not be rendered" in caplog.text
    fine.refresh_from_db()
    assert fine.status == "sent"


def test_a_renderer_that_no_longer_exists_fails_for_good():
    row = enqueue_rendered_later("tests.broken", params={}, to=["a@example.org"])
    OutboxEmail.objects.filter(pk=row.pk).update(renderer="tests.removed")
    assert deliver_due_emails(now=_later()) == 0
    row.refresh_from_db()
    assert row.status == "failed" and "tests.removed" in row.last_error


def test_an_unknown_renderer_is_refused_when_stored():
    with pytest.raises(ValueError):
        enqueue_rendered_later("tests.nobody", params={}, to=["a@example.org"])
    assert not OutboxEmail.objects.exists()


def test_key_and_withdrawal_work_before_the_message_is_rendered():
    person = _person()
    assert _store(person, key="greet:1") is not None
    assert _store(person, key="greet:1") is None
    assert withdraw_emails_to(address="JANA@example.org") == 1
    assert deliver_due_emails(now=_later()) == 0
    assert mail.outbox == []
