"""Who works for whom, as both sides agreed: a person asks a business (or accepts its
invitation), the business confirms; a chamber's record is linked to an existing account only when
its owner confirms. Written by people.services only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import plausible_date, single_line

from .accounts import Business, Chamber, TraineeProfile


class Employment(TimeStamped):
    """A person × business link. Only a confirmed one lets the business see the person, book for
    them and pay for their seats; until then the person books as a private person."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("angefragt")
        CONFIRMED = "confirmed", _("bestätigt")
        REFUSED = "refused", _("abgelehnt")
        ENDED = "ended", _("beendet")

    class Source(models.TextChoices):
        REQUEST = "request", _("Anfrage der Person")
        INVITATION = "invitation", _("Einladung des Betriebs")
        CHAMBER = "chamber", _("Lehrlingsrolle der Kammer")
        MIGRATION = "migration", _("übernommen")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employments"
    )
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="employments")
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    source = models.CharField(_("Herkunft"), max_length=16, choices=Source.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Wer bestätigt oder abgelehnt hat"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(
        _("entschieden am"), null=True, blank=True, validators=[plausible_date]
    )
    ended_at = models.DateTimeField(
        _("beendet am"), null=True, blank=True, validators=[plausible_date]
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Beschäftigung")
        verbose_name_plural = _("Beschäftigungen")
        constraints = [
            # One open link per person and business: asking twice finds the first request.
            models.UniqueConstraint(
                fields=["user", "business"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="employment_one_open_per_person_business",
            ),
            # One employer at a time: it is who pays for the person's business bookings.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="confirmed"),
                name="employment_one_confirmed_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="requested")
                | Q(status__in=["confirmed", "refused"], decided_at__isnull=False)
                | Q(status="ended", ended_at__isnull=False),
                name="employment_decision_has_time",
            ),
        ]
        indexes = [models.Index(fields=["business", "status"])]

    def __str__(self):
        return f"{self.user} – {self.business} ({self.get_status_display()})"


OPEN_STATUSES = (Employment.Status.REQUESTED, Employment.Status.CONFIRMED)


class EmploymentInvitation(TimeStamped):
    """A business invites a person by e-mail. Only the SHA-256 of the code is stored; the code
    travels in the e-mail (as a link) and may be typed on the "my employer" page."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"), validators=[single_line])
    code_hash = models.CharField(
        max_length=64, unique=True, editable=False, validators=[single_line]
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("gültig bis"), validators=[plausible_date])
    used_at = models.DateTimeField(
        _("angenommen am"), null=True, blank=True, validators=[plausible_date]
    )
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(
        _("zurückgezogen am"), null=True, blank=True, validators=[plausible_date]
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Einladung eines Betriebs")
        verbose_name_plural = _("Einladungen von Betrieben")

    def __str__(self):
        return f"{self.business}: {self.email}"

    def is_open(self, now) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class ChamberLink(TimeStamped):
    """A chamber's apprentice record (Lehrlingsrolle) waiting for the owner of an existing
    account to confirm that it is theirs. Until then the account is untouched; on confirmation
    the record's chamber data go to the person's profile and the employment is confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Bestätigung")
        CONFIRMED = "confirmed", _("bestätigt")
        DECLINED = "declined", _("abgelehnt")

    chamber = models.ForeignKey(Chamber, on_delete=models.CASCADE, related_name="links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chamber_links"
    )
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    lehrlingsrolle_number = models.CharField(
        _("Lehrlingsrollen-Nummer"), max_length=32, validators=[single_line]
    )
    kind = models.CharField(max_length=16, choices=TraineeProfile.Kind.choices)
    occupation = models.CharField(max_length=200, blank=True, validators=[single_line])
    apprenticeship_start = models.DateField(null=True, blank=True, validators=[plausible_date])
    decided_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Verknüpfung mit der Lehrlingsrolle")
        verbose_name_plural = _("Verknüpfungen mit der Lehrlingsrolle")
        constraints = [
            models.UniqueConstraint(
                fields=["chamber", "lehrlingsrolle_number"],
                condition=Q(status="pending"),
                name="chamber_link_one_pending_per_number",
            )
        ]

    def __str__(self):
        return f"{self.chamber}: {self.lehrlingsrolle_number} → {self.user}"
