"""Telemetry: what the machines report over MQTT. Readings live in their own table; a heartbeat
never writes the equipment row (that would fire every equipment-change handler per message)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import plausible_date, single_line


class TelemetryReading(models.Model):
    """One message of one item, as the device stamped it. Counters and meters are absolute
    (they only grow); `hours_delta` is print time reported per job (OctoPrint)."""

    class Kind(models.TextChoices):
        STATE = "state", _("Zustand")
        COUNTERS = "counters", _("Zähler")
        ENERGY = "energy", _("Energie")
        PROGRESS = "progress", _("Fortschritt")
        TEMPERATURE = "temperature", _("Temperatur")

    class State(models.TextChoices):
        IDLE = "idle", _("bereit")
        BUSY = "busy", _("in Betrieb")
        ERROR = "error", _("Störung")
        OFF = "off", _("aus")

    equipment = models.ForeignKey(
        "workshops.Equipment", on_delete=models.CASCADE, related_name="readings"
    )
    recorded_at = models.DateTimeField(_("gemessen"), validators=[plausible_date])
    received_at = models.DateTimeField(_("empfangen"), validators=[plausible_date])
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("Zustand"), max_length=8, choices=State.choices, blank=True)
    operating_hours = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    hours_delta = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    energy_kwh = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=16, default="device", validators=[single_line])

    class Meta:
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")
        indexes = [models.Index(fields=["equipment", "kind", "recorded_at"])]

    def __str__(self):
        return f"{self.equipment_id} {self.kind} {self.recorded_at:%Y-%m-%d %H:%M:%S}"


class EquipmentTelemetry(models.Model):
    """What the ingest process knows about one item now, written once per batch: the last
    message, the current state and since when, and when an error began."""

    equipment = models.OneToOneField(
        "workshops.Equipment", on_delete=models.CASCADE, primary_key=True, related_name="telemetry"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    state = models.CharField(max_length=8, blank=True, validators=[single_line])
    state_since = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    error_since = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    defect_reported_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    operating_hours = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    energy_kwh = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    messages = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("Telemetriestand")
        verbose_name_plural = _("Telemetriestände")
        indexes = [models.Index(fields=["error_since"])]

    def __str__(self):
        return f"{self.equipment_id} {self.state}"


class TelemetryRejection(models.Model):
    """Messages the ingest process refused, counted per reason and key: an unknown inventory
    number (never created from a message) or what was wrong with a malformed one."""

    class Reason(models.TextChoices):
        UNKNOWN = "unknown", _("unbekannte Inventarnummer")
        MALFORMED = "malformed", _("fehlerhafte Nachricht")

    reason = models.CharField(max_length=12, choices=Reason.choices)
    key = models.CharField(max_length=100, validators=[single_line])
    count = models.PositiveBigIntegerField(default=0)
    first_seen_at = models.DateTimeField(validators=[plausible_date])
    last_seen_at = models.DateTimeField(validators=[plausible_date])
    last_topic = models.CharField(max_length=200, blank=True, validators=[single_line])
    last_error = models.CharField(max_length=200, blank=True, validators=[single_line])

    class Meta:
        verbose_name = _("abgewiesene Telemetrie")
        verbose_name_plural = _("abgewiesene Telemetrie")
        constraints = [
            models.UniqueConstraint(fields=["reason", "key"], name="telemetry_rejection_once")
        ]

    def __str__(self):
        return f"{self.reason} {self.key}: {self.count}"
