"""What every app's rows share: timestamps, the audit trail and the event outbox.

AuditEntry and DomainEvent began in `people`; their tables keep those names (db_table) so that
moving them here changed no data."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import single_line


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

    class Meta:
        db_table = "people_domainevent"
        ordering = ["created_at", "id"]
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")

    def __str__(self):
        return f"{self.type} {self.event_id}"
