"""Chamber API: keys (stored hashed), webhooks with their delivery log, idempotency records."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.events import EventType
from core.models import DomainEvent, TimeStamped
from core.validators import plausible_date, single_line
from people.models import Chamber

SCOPES = [
    ("courses:read", _("Kurse lesen")),
    ("enrolments:read", _("Anmeldungen lesen")),
    ("enrolments:write", _("Anmeldungen schreiben")),
    ("certificates:read", _("Bescheinigungen lesen")),
    ("businesses:write", _("Betriebe und Auszubildende schreiben")),
    ("webhooks:manage", _("Webhooks verwalten")),
]

# What a chamber can subscribe to: every event of the outbox.
EVENTS = list(EventType.ALL)


class ApiKey(TimeStamped):
    chamber = models.ForeignKey(Chamber, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("Bezeichnung"), max_length=100, validators=[single_line])
    prefix = models.CharField(_("Präfix"), max_length=16, unique=True, validators=[single_line])
    key_hash = models.CharField(max_length=128, validators=[single_line])
    scopes = models.JSONField(_("Berechtigungen"), default=list)
    expires_at = models.DateTimeField(
        _("gültig bis"), null=True, blank=True, validators=[plausible_date]
    )
    revoked_at = models.DateTimeField(
        _("widerrufen am"), null=True, blank=True, validators=[plausible_date]
    )
    last_used_at = models.DateTimeField(
        _("zuletzt benutzt"), null=True, blank=True, validators=[plausible_date]
    )

    class Meta:
        ordering = ["chamber", "name"]
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")

    def __str__(self):
        return f"{self.prefix}… ({self.chamber})"


class WebhookEndpoint(TimeStamped):
    chamber = models.ForeignKey(Chamber, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500, validators=[single_line])
    events = models.JSONField(default=list)
    # Signing secret, encrypted at rest with a key derived from SECRET_KEY
    # (it must be recoverable to sign).
    secret_encrypted = models.TextField()
    # After a rotation the previous secret keeps signing (a second signature) until this time, so
    # that receivers can switch without dropping a delivery.
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(
        null=True, blank=True, validators=[plausible_date]
    )
    is_active = models.BooleanField(default=True)
    deleted_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        ordering = ["chamber", "url"]
        verbose_name = _("Webhook")
        verbose_name_plural = _("Webhooks")

    def __str__(self):
        return self.url


class WebhookDelivery(TimeStamped):
    class Status(models.TextChoices):
        PENDING = "pending", _("ausstehend")
        DELIVERED = "delivered", _("zugestellt")
        FAILED = "failed", _("endgültig fehlgeschlagen")

    event = models.ForeignKey(DomainEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, db_index=True, validators=[plausible_date]
    )
    delivered_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    redelivered_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_unique")
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, validators=[single_line])
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.delivery_id} {self.status_code or self.error}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed for 24 hours (then purged:
    it holds personal data)."""

    LIFETIME = dt.timedelta(hours=24)

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, validators=[single_line])
    request_hash = models.CharField(max_length=64, validators=[single_line])
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="idempotency_unique_key")
        ]

    def __str__(self):
        return self.key

    @classmethod
    def expiry_cutoff(cls, now: dt.datetime | None = None) -> dt.datetime:
        """Records created before this are expired."""
        return (now or timezone.now()) - cls.LIFETIME


class Tombstone(models.Model):
    """A deleted object a syncing client must learn about."""

    chamber = models.ForeignKey(
        Chamber, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    resource = models.CharField(max_length=40, validators=[single_line])
    object_id = models.CharField(max_length=64, validators=[single_line])
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["deleted_at", "id"]

    def __str__(self):
        return f"{self.resource}#{self.object_id}"
