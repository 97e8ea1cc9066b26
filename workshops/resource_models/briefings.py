"""Safety briefings (Sicherheitsunterweisung): a person was briefed on a type of machine by an
instructor; the briefing is valid until a date set by the type's validity."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import plausible_date, single_line


class SafetyBriefing(TimeStamped):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_briefings"
    )
    equipment_type = models.ForeignKey(
        "workshops.EquipmentType", on_delete=models.CASCADE, related_name="briefings"
    )
    given_on = models.DateField(_("unterwiesen am"), validators=[plausible_date])
    valid_until = models.DateField(_("gültig bis"), validators=[plausible_date])
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("Notiz"), max_length=200, blank=True, validators=[single_line])

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("Sicherheitsunterweisung")
        verbose_name_plural = _("Sicherheitsunterweisungen")
        indexes = [models.Index(fields=["person", "equipment_type", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("given_on")), name="briefing_valid_after_given"
            )
        ]

    def __str__(self):
        return f"{self.person_id} {self.equipment_type_id} → {self.valid_until}"
