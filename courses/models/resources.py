"""Material used in a session: the workshops stock movement, linked to the session it was used
in (workshops knows nothing of courses, so the link lives here, like SessionReservation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workshops.models import StockMovement

from .runs import Session


class SessionMaterial(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    movement = models.OneToOneField(
        StockMovement, on_delete=models.CASCADE, related_name="session_link"
    )

    class Meta:
        verbose_name = _("Materialverbrauch eines Termins")
        verbose_name_plural = _("Materialverbrauch der Termine")

    def __str__(self):
        return f"{self.session_id} → {self.movement_id}"
