"""The embedded mode has no beat: `make run` runs the periodic tasks in-process (core.scheduler),
so expired holds are released, reminders sent and the outbox swept on a laptop too."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutboxEmail
from core.scheduler import EmbeddedScheduler
from courses.models import Enrolment
from courses.services.booking.book import book
from tests.courses.booking_fixtures import make_run, verified_trainee

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_due_work_happens_without_a_broker():
    held = book(
        run=make_run(capacity=1, requires_employer_approval=True), participant=verified_trainee()
    )
    Enrolment.objects.filter(pk=held.pk).update(hold_until=timezone.now() - dt.timedelta(hours=1))
    soon = book(run=make_run(day=1), participant=verified_trainee())  # starts tomorrow
    sent_before = OutboxEmail.objects.count()

    scheduler = EmbeddedScheduler()
    now = timezone.now()
    ran = scheduler.run_pending(now)
    assert {"courses.release_expired_holds", "courses.send_reminders"} <= set(ran)
    held.refresh_from_db()
    assert held.status != Enrolment.Status.PENDING  # released
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert OutboxEmail.objects.count() > sent_before

    # A minute later only what is due again runs; the outbox sweep sends the e-mails.
    OutboxEmail.objects.update(next_attempt_at=timezone.now())  # their hand-off grace is over
    again = scheduler.run_pending(now + dt.timedelta(seconds=61))
    assert "core.send_due_emails" in again
    assert "courses.send_reminders" not in again  # daily
    assert soon.participant.email in {m.to[0] for m in mail.outbox}
    assert scheduler.run_pending(now + dt.timedelta(seconds=62)) == []


def test_make_run_starts_the_scheduler_and_derives_site_url_from_the_port():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    out = subprocess.run(  # noqa: S603 - our own Makefile, fixed arguments
        [make, "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve = next(line for line in out.splitlines() if "runserver" in line)
    assert "runserver_with_scheduler 127.0.0.1:8123" in serve
    assert "SITE_URL=http://127.0.0.1:8123" in serve
    given = subprocess.run(  # noqa: S603
        [make, "-n", "run", "PORT=8123", "SITE_URL=https://lw.example"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SITE_URL=https://lw.example" in given
