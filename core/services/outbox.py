"""The e-mail outbox: a message is stored, rendered, in the transaction of the change it reports,
and sent after the commit.

- `enqueue_email` (inside the caller's transaction): one row; on commit the row's id is handed to
  a worker. The hand-off never raises: with the broker down (or the process dying right after
  the commit) the row stays pending and `deliver_due_emails` (beat, every minute) sends it.
- `deliver_email`: sends a pending row once. It holds the row's lock while talking to the mail
  server, so the worker and the sweep never send one message twice (PostgreSQL skips a locked
  row); an SMTP error is recorded and retried with backoff for a day.
- A rolled-back change leaves no row and sends nothing.
- What a sent message said is not kept longer than needed: approval, confirmation and password
  links are secrets in clear. Attachments go at delivery; the body goes at delivery too, or
  after OUTBOX_BODY_RETENTION_DAYS when that is set (`purge_email_bodies`, beat, daily), which
  also empties rows that failed for good or were withdrawn. Subject, recipients, status and
  sent_at stay as the record of what went to whom.
- A file that is kept in storage anyway (an issued certificate) is attached by its name
  (`StoredFile`) and read at delivery, not copied into the row as base64."""

import base64
import datetime as dt
import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import OutboxEmail
from ..tasks import send_outbox_email as send_outbox_email_task

logger = logging.getLogger(__name__)

# The sweep leaves a fresh row to its own hand-off for this long.
HANDOFF_GRACE = dt.timedelta(seconds=60)
FIRST_RETRY = 60  # seconds; doubles per attempt, at most an hour
MAX_ATTEMPTS = 12  # about a day with the backoff above


@dataclass(frozen=True)
class StoredFile:
    """An attachment read from the default storage at delivery."""

    filename: str
    name: str  # in the default storage
    mimetype: str


def _attachment(item) -> dict:
    filename, content, mimetype = item
    if isinstance(content, bytes):
        encoded = base64.b64encode(content).decode("ascii")
        return {"filename": filename, "mimetype": mimetype, "content": encoded, "base64": True}
    return {"filename": filename, "mimetype": mimetype, "content": str(content), "base64": False}


def _recipients(message: EmailMessage) -> str:
    addresses = [*message.to, *message.cc, *message.bcc]
    return " " + " ".join(a.strip().lower() for a in addresses) + " "


def withdraw_emails_to(*, address: str) -> int:
    """Pending e-mails to `address` are not sent (its account is being deleted): written in the
    caller's transaction, so a message enqueued earlier in it is withdrawn too."""
    return OutboxEmail.objects.filter(
        status=OutboxEmail.Status.PENDING, recipients__contains=f" {address.strip().lower()} "
    ).update(status=OutboxEmail.Status.WITHDRAWN, next_attempt_at=None, body="", attachments=[])


def enqueue_email(
    message: EmailMessage, *, key: str | None = None, stored_files: Sequence[StoredFile] = ()
) -> OutboxEmail | None:
    """Store `message` for sending after the current transaction commits, with `stored_files`
    attached after its own attachments. With a `key`, a second message under the same key is
    dropped (None is returned)."""
    fields = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email or "",
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "recipients": _recipients(message),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "attachments": [
            *(_attachment(item) for item in message.attachments),
            *(
                {"filename": f.filename, "mimetype": f.mimetype, "storage": f.name}
                for f in stored_files
            ),
        ],
        "next_attempt_at": timezone.now() + HANDOFF_GRACE,
    }
    # No savepoint when nested (two round trips fewer in a booking, under its run lock): a failed
    # INSERT without a key fails the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        if key:
            try:
                with transaction.atomic():
                    row = OutboxEmail.objects.create(key=key[:200], **fields)
            except IntegrityError:
                return None
        else:
            row = OutboxEmail.objects.create(**fields)
        email_id = row.pk
        transaction.on_commit(lambda: hand_off(email_id))
    return row


def hand_off(email_id: int) -> None:
    """Give the row to a worker now. Never raises: it runs after the commit, where an error
    would turn a done booking into an error page; the sweep sends what was not handed off."""
    try:
        send_outbox_email_task.delay(email_id)
    except Exception:  # noqa: BLE001 - broker down, a send error in eager mode, the database gone
        logger.warning("e-mail %s not handed off; the outbox sweep sends it", email_id)


def _message(row: OutboxEmail) -> EmailMessage:
    message = EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email or None,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    for item in row.attachments:
        if "storage" in item:
            # A missing file is an OSError: recorded and retried like a mail server error.
            with default_storage.open(item["storage"], "rb") as handle:
                content = handle.read()
        elif item["base64"]:
            content = base64.b64decode(item["content"])
        else:
            content = item["content"]
        message.attach(item["filename"], content, item["mimetype"])
    return message


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(FIRST_RETRY * 2 ** max(attempts - 1, 0), 3600))


def deliver_email(*, email_id: int, now: dt.datetime | None = None) -> bool:
    """Send the pending row once; True when it went out now."""
    with transaction.atomic():
        row = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutboxEmail.Status.PENDING)
            .first()
        )
        if row is None:
            return False  # sent already, failed for good, or being sent by another worker
        row.attempts += 1
        try:
            _message(row).send()
        except (OSError, smtplib.SMTPException) as exc:
            row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = OutboxEmail.Status.FAILED
                row.next_attempt_at = None
                logger.error("e-mail %s failed for good: %s", row.pk, row.last_error)
            else:
                row.next_attempt_at = (now or timezone.now()) + backoff(row.attempts)
                logger.info("e-mail %s not sent, retried later: %s", row.pk, row.last_error)
            row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        row.status = OutboxEmail.Status.SENT
        row.sent_at = timezone.now()
        row.next_attempt_at = None
        row.last_error = ""
        row.attachments = []  # personal data (certificate PDFs) is not kept twice
        if not settings.OUTBOX_BODY_RETENTION_DAYS:
            row.body = ""  # clear links (approval, password reset) live no longer than needed
        row.save(
            update_fields=[
                "attempts",
                "status",
                "sent_at",
                "next_attempt_at",
                "last_error",
                "attachments",
                "body",
            ]
        )
        return True


def due_email_ids(*, now: dt.datetime, limit: int = 500) -> list[int]:
    return list(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def deliver_due_emails(*, now: dt.datetime | None = None) -> int:
    """The sweep: sends every due pending row (never handed off, or a retry); returns how many
    went out."""
    now = now or timezone.now()
    return sum(deliver_email(email_id=pk, now=now) for pk in due_email_ids(now=now))


def purge_email_bodies(*, now: dt.datetime | None = None) -> int:
    """Empty the body and attachments of every message sent, failed for good or withdrawn that
    was written more than OUTBOX_BODY_RETENTION_DAYS ago (every one with 0). Returns how many
    rows were emptied."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.OUTBOX_BODY_RETENTION_DAYS)
    done = OutboxEmail.objects.exclude(status=OutboxEmail.Status.PENDING).exclude(body="")
    return done.filter(created_at__lte=cutoff).update(body="", attachments=[])
