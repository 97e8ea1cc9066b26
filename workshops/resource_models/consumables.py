"""Consumables: filament, resin, sheet and laser material; stock per workshop and every movement
(receipts, use in a session, corrections). The stock row holds the sum of its movements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import plausible_date, single_line


class Consumable(TimeStamped):
    class Unit(models.TextChoices):
        GRAM = "g", _("Gramm")
        MILLILITRE = "ml", _("Milliliter")
        SHEET = "sheet", _("Platten")
        METRE = "m", _("Meter")
        PIECE = "piece", _("Stück")

    school = models.ForeignKey("people.School", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("Bezeichnung"), max_length=120, validators=[single_line])
    material = models.CharField(_("Material"), max_length=60, validators=[single_line])
    colour = models.CharField(_("Farbe"), max_length=40, blank=True, validators=[single_line])
    unit = models.CharField(_("Einheit"), max_length=8, choices=Unit.choices)

    class Meta:
        ordering = ["material", "name", "colour"]
        verbose_name = _("Verbrauchsmaterial")
        verbose_name_plural = _("Verbrauchsmaterialien")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name", "material", "colour"], name="consumable_once_per_school"
            )
        ]

    def __str__(self):
        return " ".join(part for part in (self.name, self.material, self.colour) if part)


class ConsumableStock(TimeStamped):
    consumable = models.ForeignKey(Consumable, on_delete=models.CASCADE, related_name="stocks")
    workshop = models.ForeignKey(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="stocks"
    )
    quantity = models.DecimalField(_("Bestand"), max_digits=12, decimal_places=2, default=0)
    minimum = models.DecimalField(_("Mindestbestand"), max_digits=12, decimal_places=2, default=0)
    alerted_at = models.DateTimeField(
        null=True, blank=True, validators=[plausible_date]
    )  # low-stock mail sent, until refilled

    class Meta:
        verbose_name = _("Materialbestand")
        verbose_name_plural = _("Materialbestände")
        constraints = [
            models.UniqueConstraint(fields=["consumable", "workshop"], name="stock_once"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_non_negative"),
            models.CheckConstraint(condition=Q(minimum__gte=0), name="stock_minimum_non_negative"),
        ]

    def __str__(self):
        return f"{self.consumable} @ {self.workshop_id}: {self.quantity}"

    @property
    def is_low(self) -> bool:
        return self.quantity <= self.minimum


class StockMovement(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Zugang")
        USE = "use", _("Verbrauch")
        CORRECTION = "correction", _("Korrektur")

    stock = models.ForeignKey(ConsumableStock, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    quantity = models.DecimalField(_("Menge"), max_digits=12, decimal_places=2)  # signed
    at = models.DateTimeField(_("Zeitpunkt"), validators=[plausible_date])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("Notiz"), max_length=200, blank=True, validators=[single_line])

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("Materialbewegung")
        verbose_name_plural = _("Materialbewegungen")
        indexes = [models.Index(fields=["stock", "at"])]

    def __str__(self):
        return f"{self.stock} {self.kind} {self.quantity}"


class LoadedConsumable(TimeStamped):
    """The material a machine is loaded with (the spool on a printer): what the filament it
    reports over telemetry is taken from."""

    equipment = models.OneToOneField(
        "workshops.Equipment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="loaded_consumable",
    )
    stock = models.ForeignKey(
        ConsumableStock,
        on_delete=models.CASCADE,
        related_name="loaded_on",
        verbose_name=_("Material"),
    )
    loaded_at = models.DateTimeField(_("eingelegt am"), validators=[plausible_date])
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("eingelegtes Material")
        verbose_name_plural = _("eingelegte Materialien")

    def __str__(self):
        return f"{self.equipment_id} ← {self.stock}"
