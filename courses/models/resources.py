"""Material used in a session: the workshops stock movement, linked to the session it was used
in (workshops knows nothing of courses, so the link lives here, like SessionReservation)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workshops.models import Equipment, StockMovement

from .runs import Session


class SessionMaterial(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    movement = models.OneToOneField(
        StockMovement, on_delete=models.CASCADE, related_name="session_link"
    )
    # The machine whose telemetry measured the use; empty when the instructor entered it.
    equipment = models.ForeignKey(
        Equipment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Materialverbrauch eines Termins")
        verbose_name_plural = _("Materialverbrauch der Termine")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "equipment"],
                condition=Q(equipment__isnull=False),
                name="session_material_measured_once",
            )
        ]

    def __str__(self):
        return f"{self.session_id} → {self.movement_id}"
