"""Celery tasks for booking (thin wrappers over courses.services.booking and courses.emails).

Every task is safe to run twice: e-mail tasks carry a message id and remember it once sent, the
reminder claims `reminder_sent_at` with a conditional update, the rest call idempotent services."""

import datetime as dt
import uuid

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

__all__ = [
    "send_enrolment_email",
    "send_approval_request",
    "send_reminders",
    "release_expired_holds",
    "promote_waiting_lists",
    "complete_due_runs",
    "purge_expired_names",
]

SENT_TTL = 60 * 60 * 24 * 14


def _once(message_id: str, send) -> bool:
    key = f"courses:mail-sent:{message_id}"
    if cache.get(key):
        return False
    send()
    cache.set(key, 1, SENT_TTL)
    return True


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_enrolment_email(self, enrolment_id: int, kind: str, message_id: str = "") -> bool:
    from ..emails import enrolment_email
    from ..models import Enrolment

    enrolment = (
        Enrolment.objects.select_related("run__course", "run__school", "participant", "business")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        return False
    message = enrolment_email(enrolment, kind)
    if message is None:
        return False
    try:
        return _once(message_id or uuid.uuid4().hex, message.send)
    except OSError as exc:  # SMTP down: try again later instead of losing the e-mail
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_approval_request(self, enrolment_id: int, token: str) -> int:
    from ..emails import approval_request_emails
    from ..models import Enrolment

    enrolment = (
        Enrolment.objects.select_related("run__course", "run__school", "participant", "business")
        .filter(pk=enrolment_id, status=Enrolment.Status.PENDING, approval_token=token)
        .first()
    )
    if enrolment is None:  # decided or released meanwhile: nothing to ask any more
        return 0
    sent = 0
    try:
        for index, message in enumerate(approval_request_emails(enrolment)):
            sent += _once(f"approval:{token}:{index}", message.send)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return sent


@shared_task
def send_reminders() -> int:
    """Daily: remind confirmed participants two days before the first session. The conditional
    update claims each reminder once, so a second run of the task (or a second beat) sends
    nothing."""
    from ..models import CourseRun, Enrolment

    now = timezone.now()
    due = Enrolment.objects.filter(
        status=Enrolment.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        run__status=CourseRun.Status.PUBLISHED,
        run__starts_at__gt=now,
        run__starts_at__lte=now + dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    claimed = 0
    for enrolment_id in list(due):
        with transaction.atomic():
            won = Enrolment.objects.filter(pk=enrolment_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if won:
                claimed += 1
                message_id = f"reminder:{enrolment_id}:{uuid.uuid4().hex}"
                transaction.on_commit(
                    lambda pk=enrolment_id, mid=message_id: send_enrolment_email.delay(
                        pk, "reminder", mid
                    )
                )
    return claimed


@shared_task
def release_expired_holds() -> int:
    from ..services.booking import release_expired_holds as release

    return release()


@shared_task
def promote_waiting_lists(workshop_id: int | None = None, run_id: int | None = None) -> int:
    from ..services.booking import promote_all_waiting

    return promote_all_waiting(workshop_id=workshop_id, run_id=run_id)


@shared_task
def complete_due_runs() -> int:
    from ..services.completion import complete_due_runs as complete

    return complete()


@shared_task
def purge_expired_names() -> int:
    from ..services.privacy import purge_expired_names as purge

    return purge()
