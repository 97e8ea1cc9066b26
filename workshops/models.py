"""Where and with what: rooms, equipment, maintenance and reservations.

This app knows nothing of courses; `courses` links its sessions to the reservations they made."""

import enum

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.formatting import local_datetime, local_time
from core.models import TimeStamped
from core.validators import (
    MAX_INTERVAL_DAYS,
    MAX_INTERVAL_HOURS,
    MAX_PER_UNIT,
    MAX_SEATS,
    plausible_date,
    single_line,
)
from people.models import School


class Workshop(TimeStamped):
    """A Lernwerkstatt room at a school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="workshops")
    name = models.CharField(_("Name"), max_length=200, validators=[single_line])
    room = models.CharField(_("Raum"), max_length=50, blank=True, validators=[single_line])
    seats = models.PositiveIntegerField(_("Plätze"), validators=[MaxValueValidator(MAX_SEATS)])
    description = models.TextField(_("Beschreibung"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["school__name", "name"]
        verbose_name = _("Lernwerkstatt")
        verbose_name_plural = _("Lernwerkstätten")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="workshop_unique_name_per_school"
            ),
            models.CheckConstraint(condition=Q(seats__gte=0), name="workshop_seats_non_negative"),
        ]

    def __str__(self):
        return f"{self.name} ({self.room})" if self.room else self.name


class EquipmentType(TimeStamped):
    name = models.CharField(_("Name"), max_length=100, unique=True, validators=[single_line])
    slug = models.SlugField(_("Kürzel"), max_length=50, unique=True, validators=[single_line])
    participants_per_unit = models.PositiveSmallIntegerField(
        _("Teilnehmende je Gerät"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PER_UNIT)],
        help_text=_("Wie viele Teilnehmende sich ein Gerät teilen"),
    )
    maintenance_interval_days = models.PositiveIntegerField(
        _("Wartungsintervall (Tage)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)],
    )
    maintenance_interval_hours = models.PositiveIntegerField(
        _("Wartungsintervall (Betriebsstunden)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_HOURS)],
    )
    requires_briefing = models.BooleanField(_("Sicherheitsunterweisung nötig"), default=False)
    briefing_valid_months = models.PositiveSmallIntegerField(
        _("Unterweisung gültig (Monate)"), default=12
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Geräteart")
        verbose_name_plural = _("Gerätearten")
        constraints = [
            models.CheckConstraint(
                condition=Q(participants_per_unit__gte=1),
                name="equipmenttype_participants_per_unit_min_1",
            )
        ]

    def __str__(self):
        return self.name


class Equipment(TimeStamped):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("verfügbar")
        MAINTENANCE = "maintenance", _("in Wartung")
        DEFECTIVE = "defective", _("defekt")
        RETIRED = "retired", _("ausgemustert")

        # Out of service for a while (with an expected end or until further notice).
        OUT_OF_SERVICE = enum.nonmember(("maintenance", "defective"))

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="equipment")
    workshop = models.ForeignKey(
        Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="equipment"
    )
    type = models.ForeignKey(EquipmentType, on_delete=models.PROTECT, related_name="items")
    inventory_number = models.CharField(
        _("Inventarnummer"), max_length=50, unique=True, validators=[single_line]
    )
    name = models.CharField(_("Bezeichnung"), max_length=200, blank=True, validators=[single_line])
    serial_number = models.CharField(
        _("Seriennummer"), max_length=100, blank=True, validators=[single_line]
    )
    manufacturer = models.CharField(
        _("Hersteller"), max_length=100, blank=True, validators=[single_line]
    )
    model = models.CharField(_("Modell"), max_length=100, blank=True, validators=[single_line])
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.AVAILABLE, db_index=True
    )
    purchase_date = models.DateField(
        _("Anschaffungsdatum"), null=True, blank=True, validators=[plausible_date]
    )
    operating_hours = models.DecimalField(
        _("Betriebsstunden"), max_digits=9, decimal_places=1, default=0
    )
    # The time range of "maintenance" or "defective": from now until this (empty: until further
    # notice). Sessions after it may count on the item; see usable_during.
    out_of_service_until = models.DateTimeField(
        _("voraussichtlich wieder einsatzbereit ab"),
        null=True,
        blank=True,
        validators=[plausible_date],
    )
    notes = models.TextField(_("Notizen"), blank=True)

    class Meta:
        ordering = ["school__name", "type__name", "inventory_number"]
        verbose_name = _("Gerät")
        verbose_name_plural = _("Geräte")
        indexes = [models.Index(fields=["school", "type", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(operating_hours__gte=0), name="equipment_hours_non_negative"
            )
        ]

    def __str__(self):
        return f"{self.inventory_number} {self.name or self.type.name}"

    def get_absolute_url(self) -> str:
        return reverse("workshops:equipment_detail", args=[self.pk])

    @property
    def is_working(self) -> bool:
        return self.status == self.Status.AVAILABLE

    def is_usable_during(self, start, end) -> bool:
        """The same rule as usable_during, for one loaded item."""
        if self.status == self.Status.AVAILABLE:
            return True
        return (
            self.status in self.Status.OUT_OF_SERVICE
            and self.out_of_service_until is not None
            and self.out_of_service_until <= start
        )


def usable_during(start, end) -> Q:
    """Items whose status allows using them in [start, end) (start and end may be OuterRefs):
    available, or in maintenance or defective only until a time at or before the start. A
    retired item, and one out of service without an expected end, is usable at no time. Whether
    it is reserved then is the reservations' question."""
    return Q(status=Equipment.Status.AVAILABLE) | Q(
        status__in=Equipment.Status.OUT_OF_SERVICE,
        out_of_service_until__isnull=False,
        out_of_service_until__lte=start,
    )


class MaintenanceSchedule(TimeStamped):
    """A recurring maintenance duty for one item or for every item of a type at a school."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="maintenance_schedules"
    )
    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    equipment_type = models.ForeignKey(
        EquipmentType, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    kind = models.CharField(_("Art"), max_length=16, default="inspection", validators=[single_line])
    interval_days = models.PositiveIntegerField(
        _("alle N Tage"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)],
    )
    interval_hours = models.PositiveIntegerField(
        _("alle N Betriebsstunden"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_HOURS)],
    )
    description = models.CharField(
        _("Beschreibung"), max_length=200, blank=True, validators=[single_line]
    )

    class Meta:
        verbose_name = _("Wartungsplan")
        verbose_name_plural = _("Wartungspläne")
        constraints = [
            models.CheckConstraint(
                condition=Q(equipment__isnull=False, equipment_type__isnull=True)
                | Q(equipment__isnull=True, equipment_type__isnull=False),
                name="schedule_item_xor_type",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__isnull=False) | Q(interval_hours__isnull=False),
                name="schedule_has_interval",
            ),
        ]

    def __str__(self):
        return f"{self.equipment or self.equipment_type}: {self.description or self.kind}"


class MaintenanceRecord(TimeStamped):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Inspektion")
        REPAIR = "repair", _("Reparatur")
        CALIBRATION = "calibration", _("Kalibrierung")

    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, related_name="maintenance_records"
    )
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    performed_on = models.DateField(_("durchgeführt am"), validators=[plausible_date])
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    performed_by_name = models.CharField(
        _("durchgeführt von"), max_length=200, blank=True, validators=[single_line]
    )
    operating_hours_at = models.DecimalField(
        _("Betriebsstunden dabei"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    cost = models.DecimalField(
        _("Kosten (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("Notizen"), blank=True)

    class Meta:
        ordering = ["-performed_on", "-id"]
        verbose_name = _("Wartungseintrag")
        verbose_name_plural = _("Wartungseinträge")
        indexes = [models.Index(fields=["equipment", "-performed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gte=0) | Q(cost__isnull=True),
                name="maintenance_cost_non_negative",
            )
        ]

    def __str__(self):
        return f"{self.equipment} {self.get_kind_display()} {self.performed_on}"


class EquipmentReservation(TimeStamped):
    """An item held for a time range. Active reservations of one item never overlap
    (PostgreSQL: exclusion constraint; SQLite: checked by the service in its transaction)."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Kurstermin")
        EXTERNAL = "external", _("Ausleihe / sonstige Nutzung")

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="reservations")
    start = models.DateTimeField(_("Beginn"), validators=[plausible_date])
    end = models.DateTimeField(_("Ende"), validators=[plausible_date])
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices, default=Kind.SESSION)
    purpose = models.CharField(_("Zweck"), max_length=200, blank=True, validators=[single_line])
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("Gerätereservierung")
        verbose_name_plural = _("Gerätereservierungen")
        indexes = [models.Index(fields=["equipment", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="reservation_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.equipment} {local_datetime(self.start)}–{local_time(self.end)}"


class MaintenanceNotice(models.Model):
    """One e-mail per item, kind and due point (the due date, the operating hours it falls due
    at, or both): the daily task is safe to run twice, and a duty that stays due for days is
    announced once, not every day."""

    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, related_name="maintenance_notices"
    )
    kind = models.CharField(max_length=16, validators=[single_line])
    due_on = models.DateField(null=True, blank=True, validators=[plausible_date])
    due_hours = models.DecimalField(max_digits=10, decimal_places=1, null=True, blank=True)
    # "<due_on>|<due_hours>", empty parts for what the duty does not count in: one unique key
    # whichever of the two the duty has (NULLs would never collide in a unique constraint).
    due_point = models.CharField(max_length=40, validators=[single_line])
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Wartungshinweis")
        verbose_name_plural = _("Wartungshinweise")
        constraints = [
            models.UniqueConstraint(
                fields=["equipment", "kind", "due_point"], name="maintenance_notice_once_per_point"
            )
        ]

    def __str__(self):
        return f"{self.equipment} {self.kind} {self.due_on}"


# Sensors and resources (telemetry, consumables, loans, briefings) in their own modules.
from .resource_models import (  # noqa: E402
    Consumable,
    ConsumableStock,
    EquipmentTelemetry,
    LoadedConsumable,
    Loan,
    SafetyBriefing,
    StockMovement,
    TelemetryReading,
    TelemetryRejection,
)

__all__ = [
    "Consumable",
    "ConsumableStock",
    "Equipment",
    "EquipmentReservation",
    "EquipmentTelemetry",
    "LoadedConsumable",
    "EquipmentType",
    "Loan",
    "MaintenanceNotice",
    "MaintenanceRecord",
    "MaintenanceSchedule",
    "SafetyBriefing",
    "StockMovement",
    "TelemetryReading",
    "TelemetryRejection",
    "Workshop",
]
