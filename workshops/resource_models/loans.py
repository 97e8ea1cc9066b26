"""Loans of an item to a person. Each loan holds a reservation of the item for its time, so it
conflicts with course sessions and other bookings by the one overlap rule."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import plausible_date, single_line


class Loan(TimeStamped):
    equipment = models.ForeignKey(
        "workshops.Equipment", on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans"
    )
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    start = models.DateTimeField(_("ausgeliehen ab"), validators=[plausible_date])
    expected_return = models.DateTimeField(_("Rückgabe bis"), validators=[plausible_date])
    returned_at = models.DateTimeField(
        _("zurückgegeben"), null=True, blank=True, validators=[plausible_date]
    )
    reservation = models.OneToOneField(
        "workshops.EquipmentReservation", on_delete=models.PROTECT, related_name="loan"
    )
    reminded_on = models.DateField(
        null=True, blank=True, validators=[plausible_date]
    )  # the daily reminder, once a day
    note = models.CharField(_("Notiz"), max_length=200, blank=True, validators=[single_line])

    class Meta:
        ordering = ["expected_return"]
        verbose_name = _("Ausleihe")
        verbose_name_plural = _("Ausleihen")
        indexes = [models.Index(fields=["returned_at", "expected_return"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_return__gt=F("start")), name="loan_return_after_start"
            )
        ]

    def __str__(self):
        return f"{self.equipment_id} → {self.borrower_id}"

    def is_overdue(self, now) -> bool:
        return self.returned_at is None and self.expected_return < now
