"""Messages sent through the accessibility statement's feedback form (BITV 2.0 § 7: a public body
offers a way to report barriers and answers within a set time)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import plausible_date, single_line


class BarrierReport(TimeStamped):
    name = models.CharField(_("Name"), max_length=200, blank=True, validators=[single_line])
    email = models.EmailField(_("E-Mail-Adresse"), blank=True, validators=[single_line])
    page_url = models.CharField(
        _("Betroffene Seite"), max_length=500, blank=True, validators=[single_line]
    )
    message = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    handled_at = models.DateTimeField(
        _("bearbeitet am"), null=True, blank=True, validators=[plausible_date]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Meldung einer Barriere")
        verbose_name_plural = _("Meldungen von Barrieren")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.page_url or '-'}"
