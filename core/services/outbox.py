"""The e-mail outbox: a message is stored in the transaction of the change it reports, and sent
after the commit.

- `enqueue_email` (inside the caller's transaction): one row with the rendered message; on commit
  the row's id is handed to a worker. The hand-off never raises: with the broker down (or the
  process dying right after the commit) the row stays pending and `deliver_due_emails` (beat,
  every minute) sends it.
- `enqueue_rendered_later`: the row says what to render (a renderer an app registered with
  `register_renderer`, and its arguments); the worker renders it when it sends. For messages
  whose rendering would hold up a hot transaction (a booking, while every other booking of the
  run waits for its lock). The recipients are stored at once, so the message can be withdrawn
  before it is rendered. A renderer that finds nothing to say any more (its object was deleted
  meanwhile) skips the row; one that fails is retried like a mail server that is down.
- The hand-off gathers the committed rows of a process into batches, one broker message for
  up to HANDOFF_BATCH e-mails (task `send_outbox_emails`): many bookings a second, or a bulk job,
  cost a few messages, not one each.
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..handoff import Gathered
from ..models import OutboxEmail
from ..tasks import send_outbox_emails as send_outbox_emails_task

logger = logging.getLogger(__name__)

# The sweep leaves a fresh row to its own hand-off for this long.
HANDOFF_GRACE = dt.timedelta(seconds=60)
FIRST_RETRY = 60  # seconds; doubles per attempt, at most an hour
MAX_ATTEMPTS = 12  # about a day with the backoff above

# name -> callable(**params) -> EmailMessage | None. Apps register theirs in AppConfig.ready, so
# the kernel renders their messages without importing them.
Renderer = Callable[..., EmailMessage | None]
_renderers: dict[str, Renderer] = {}


def register_renderer(name: str, render: Renderer) -> None:
    """`render(**params)` returns the message to send, or None when there is nothing to send
    any more; it reads the state of the moment it runs (after the commit, in the worker)."""
    _renderers[name] = render


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


def _recipients(addresses: list[str]) -> str:
    return " " + " ".join(a.strip().lower() for a in addresses) + " "


def withdraw_emails_to(*, address: str) -> int:
    """Pending e-mails to `address` are not sent (its account is being deleted): written in the
    caller's transaction, so a message enqueued earlier in it is withdrawn too."""
    return OutboxEmail.objects.filter(
        status=OutboxEmail.Status.PENDING, recipients__contains=f" {address.strip().lower()} "
    ).update(status=OutboxEmail.Status.WITHDRAWN, next_attempt_at=None, body="", attachments=[])


def enqueue_email(
    message: EmailMessage,
    *,
    key: str | None = None,
    stored_files: Sequence[StoredFile] = (),
    into=None,
) -> OutboxEmail | None:
    """Store `message` for sending after the current transaction commits, with `stored_files`
    attached after its own attachments. With a `key`, a second message under the same key is
    dropped (None is returned). With `into` (a core.roundtrip.RoundTrip) the row is written when
    that is run; a `key` is then written without that check, for a key nothing can have used yet
    (it names a row created in the same transaction): a duplicate would fail the transaction."""
    return _store(
        {
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email or "",
            "to": list(message.to),
            "cc": list(message.cc),
            "bcc": list(message.bcc),
            "recipients": _recipients([*message.to, *message.cc, *message.bcc]),
            "reply_to": list(message.reply_to),
            "headers": dict(message.extra_headers),
            "attachments": [
                *(_attachment(item) for item in message.attachments),
                *(
                    {"filename": f.filename, "mimetype": f.mimetype, "storage": f.name}
                    for f in stored_files
                ),
            ],
        },
        key,
        into,
    )


def enqueue_rendered_later(
    renderer: str, *, params: dict, to: list[str], key: str | None = None, into=None
) -> OutboxEmail | None:
    """Store what to send to `to` after the current transaction commits: the worker renders
    `renderer(**params)` (JSON-serialisable) when it sends, and sends it to `to` whatever the
    renderer addresses. With a `key`, a second message under the same key is dropped. With
    `into` (see enqueue_email) the row is written when that is run."""
    if renderer not in _renderers:
        raise ValueError(f"no e-mail renderer {renderer!r} registered")
    return _store(
        {
            "renderer": renderer,
            "params": params,
            "to": list(to),
            "recipients": _recipients(to),
        },
        key,
        into,
    )


def _store(fields: dict, key: str | None, into) -> OutboxEmail | None:
    fields["next_attempt_at"] = timezone.now() + HANDOFF_GRACE
    if into is not None:
        if not transaction.get_connection(into.alias).in_atomic_block:
            raise ValueError("stored by a round trip: only in a transaction")
        row = OutboxEmail(key=key[:200] if key else None, **fields)
        into.insert(row)
        # The id exists once the round trip ran, which is before the commit.
        transaction.on_commit(lambda: hand_off(row.pk), using=into.alias)
        return row
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


# Committed rows go to the workers in batches of up to this many, or once the first of a batch
# has waited this many seconds (core.handoff.Gathered: one broker message per batch).
HANDOFF_BATCH = 20
HANDOFF_WAIT = 0.2
_gathered = Gathered(send_outbox_emails_task, batch=HANDOFF_BATCH, wait=HANDOFF_WAIT)


def hand_off(email_id: int) -> None:
    """Give the committed row to a worker (with the others of its batch). Never raises: it
    runs after the commit, where an error would turn a done booking into an error page; the
    sweep sends what was not handed off."""
    _gathered.add(email_id)


def hand_off_now() -> None:
    """Hand the gathered rows over at once (a job that wrote many, at its end)."""
    _gathered.flush()


class _NotSent(Exception):
    """A row stored with a renderer that is not sent, now or later: `status` says why."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status = status


def _rendered(row: OutboxEmail) -> EmailMessage:
    """The message of a row stored with a renderer, addressed as stored. The row takes its
    subject and body, kept as for a message stored rendered."""
    render = _renderers.get(row.renderer)
    if render is None:
        raise _NotSent(OutboxEmail.Status.FAILED, f"no e-mail renderer {row.renderer!r}")
    try:
        # A savepoint: a failed query of the renderer must not break the row's transaction.
        with transaction.atomic():
            message = render(**row.params)
    except ObjectDoesNotExist as exc:
        message, gone = None, exc
    else:
        gone = "the renderer returned nothing"
    if message is None:
        reason = f"nothing to send ({row.renderer} {row.params}): {gone}"
        raise _NotSent(OutboxEmail.Status.SKIPPED, reason)
    message.to, message.cc, message.bcc = list(row.to), list(row.cc), list(row.bcc)
    row.subject = message.subject
    row.body = message.body
    row.from_email = message.from_email or ""
    return message


def _message(row: OutboxEmail) -> EmailMessage:
    if row.renderer:
        return _rendered(row)
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
    """Send the pending row once; True when it went out now. Never raises for the message
    itself (the sweep goes on with the next row): a mail server that is down or a renderer
    that fails is retried with backoff, a renderer with nothing to send skips the row."""
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
            message = _message(row)
        except _NotSent as exc:
            return _give_up(row, exc.status, str(exc))
        except Exception as exc:  # noqa: BLE001 - a renderer's bug or a database blip
            logger.exception("e-mail %s could not be rendered", row.pk)
            return _retry_later(row, exc, now)
        try:
            message.send()
        except (OSError, smtplib.SMTPException) as exc:
            return _retry_later(row, exc, now)
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
                "subject",
                "from_email",
            ]
        )
        return True


def _retry_later(row: OutboxEmail, exc: Exception, now: dt.datetime | None) -> bool:
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


def _give_up(row: OutboxEmail, status: str, reason: str) -> bool:
    if status == OutboxEmail.Status.FAILED:
        logger.error("e-mail %s failed for good: %s", row.pk, reason)
    else:
        logger.warning("e-mail %s skipped: %s", row.pk, reason)
    row.status = status
    row.next_attempt_at = None
    row.last_error = reason[:1000]
    row.save(update_fields=["attempts", "status", "next_attempt_at", "last_error"])
    return False


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
