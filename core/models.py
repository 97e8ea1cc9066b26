"""What every app's rows share: timestamps, the audit trail and the event outbox.

AuditEntry and DomainEvent began in `people`; their tables keep those names (db_table) so that
moving them here changed no data."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import plausible_date, single_line


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """A write that matters leaves one row here, in the same transaction as the write."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True, validators=[single_line])
    object_type = models.CharField(max_length=64, validators=[single_line])
    object_id = models.CharField(max_length=64, validators=[single_line])
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "people_auditentry"
        ordering = ["-at"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="people_audi_object__a25e1f_idx")
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class DomainEvent(models.Model):
    """Outbox: a change that outside systems (chamber webhooks) must hear of, recorded in the same
    transaction as the change through `core.events.record_event`. The `api` app delivers it, so
    nothing below it imports `api`."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=40, db_index=True, validators=[single_line])
    chamber = models.ForeignKey(
        "people.Chamber", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When its webhook deliveries were created (by the receiver after the commit, or by the
    # recovery sweep when the process died before the receiver ran); null = not yet.
    dispatched_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        db_table = "people_domainevent"
        ordering = ["created_at", "id"]
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="core_event_undispatched_idx",
            )
        ]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class OutboxEmail(models.Model):
    """Outbox for e-mail: the rendered message, or what to render (`renderer` and `params`),
    written in the same transaction as the change it reports (`core.services.outbox`). A worker
    sends it after the commit; the beat sweep sends what a dead process or an unreachable broker
    left behind, and retries failures. The row's status makes a second hand-off a no-op, so each
    message goes out once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("ausstehend")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("endgültig fehlgeschlagen")
        WITHDRAWN = "withdrawn", _("zurückgezogen")
        # Rendered at sending, it had nothing to say any more (its enrolment was deleted).
        SKIPPED = "skipped", _("übersprungen")

    # Optional idempotency key: enqueueing the same key twice stores one message.
    key = models.CharField(
        max_length=200, unique=True, null=True, blank=True, validators=[single_line]
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # A registered renderer's name: subject and body are written when the worker renders it
    # (from `params`, ids and the like) and sends it; empty for a message stored rendered.
    renderer = models.CharField(max_length=100, blank=True, validators=[single_line])
    params = models.JSONField(default=dict, blank=True)
    subject = models.TextField(blank=True)
    # Emptied once sent (or after OUTBOX_BODY_RETENTION_DAYS): its links are secrets in clear.
    body = models.TextField(blank=True)
    from_email = models.CharField(max_length=320, blank=True, validators=[single_line])
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    # " a@x.example b@y.example ": every recipient, lower case, for withdrawing by address.
    recipients = models.TextField(blank=True, editable=False)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # [{"filename", "mimetype", "content" (text or base64), "base64": bool}, or {"filename",
    # "mimetype", "storage": a name in the default storage}]; cleared once sent.
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    sent_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("E-Mail im Postausgang")
        verbose_name_plural = _("Postausgang")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="core_outboxemail_due_idx",
            )
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class Heartbeat(models.Model):
    """The last time a periodic task went from beat through the broker to a worker and ran:
    /readyz reports a worker that stopped consuming (config.health)."""

    name = models.CharField(max_length=40, unique=True, validators=[single_line])
    at = models.DateTimeField(validators=[plausible_date])

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"


class UnstampedChange(models.Model):
    """A change that leaves no newer updated_at behind: a deleted row, or a saved row of a table
    without updated_at. Readers that cache by the newest stamps of their tables
    (core.freshness) read this table's newest `at` too. Only appended to (one row per
    transaction and table), so writers never wait for each other here."""

    STAMP = "at"  # what core.freshness takes the newest of

    table = models.CharField(max_length=63, validators=[single_line])
    at = models.DateTimeField(db_index=True, validators=[plausible_date])

    def __str__(self):
        return f"{self.table} {self.at:%Y-%m-%d %H:%M:%S}"
