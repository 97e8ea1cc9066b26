"""A sign-in through a district's identity provider (OpenID Connect) waiting for, or given, an
administrator's confirmation. allauth's SocialAccount, which lets the provider sign the person in,
is created only when a district admin confirms the link: the provider's word that an address is
verified is not enough to take over an account that holds staff roles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import plausible_date, single_line


class SignInLink(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Bestätigung")
        APPROVED = "approved", _("bestätigt")
        REFUSED = "refused", _("abgelehnt")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sign_in_links",
        verbose_name=_("Konto"),
    )
    # The provider's id in OIDC_PROVIDERS and its subject identifier for the person ("sub").
    provider = models.CharField(_("Identitätsanbieter"), max_length=40, validators=[single_line])
    uid = models.CharField(_("Kennung beim Anbieter"), max_length=191, validators=[single_line])
    email = models.EmailField(_("E-Mail laut Anbieter"), validators=[single_line])
    name = models.CharField(
        _("Name laut Anbieter"), max_length=200, blank=True, validators=[single_line]
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("angefragt am"), auto_now_add=True)
    decided_at = models.DateTimeField(
        _("entschieden am"), null=True, blank=True, validators=[plausible_date]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("Verknüpfung mit Identitätsanbieter")
        verbose_name_plural = _("Verknüpfungen mit Identitätsanbietern")
        constraints = [
            # One identity at a provider belongs to one account, whatever its status.
            models.UniqueConstraint(fields=["provider", "uid"], name="signin_link_unique_identity"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="signin_link_decided_when_not_pending",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.user} – {self.provider} ({self.get_status_display()})"
