"""Reminders: confirmed participants hear from us two days before their course starts, once."""

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.services.outbox import enqueue_email

from ..emails import enrolment_email
from ..models import CourseRun, Enrolment

REMIND_DAYS_AHEAD = 2


def due_for_reminder(now: dt.datetime) -> QuerySet[Enrolment]:
    """Confirmed enrolments of published runs that start within the next two days and have not
    been reminded yet."""
    return Enrolment.objects.filter(
        status=Enrolment.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        run__status=CourseRun.Status.PUBLISHED,
        run__starts_at__gt=now,
        run__starts_at__lte=now + dt.timedelta(days=REMIND_DAYS_AHEAD),
    )


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Claim each due reminder with a conditional update and put its e-mail in the outbox in the
    same transaction: a second run (or a second beat) finds nothing left to claim, so nobody is
    reminded twice, and a crash after the claim still sends it. One short transaction each."""
    now = now or timezone.now()
    claimed = 0
    for enrolment_id in list(due_for_reminder(now).values_list("pk", flat=True)):
        with transaction.atomic():
            won = Enrolment.objects.filter(pk=enrolment_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if won:
                claimed += 1
                enrolment = (
                    Enrolment.objects.select_related("run__course", "participant")
                    .filter(pk=enrolment_id)
                    .first()
                )
                message = enrolment_email(enrolment, "reminder")
                if message is not None:
                    enqueue_email(message)
    return claimed
