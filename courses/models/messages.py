"""What the coordinators wrote to the participants of a run (or of one of its sessions): the
message log on the run page. The e-mails themselves go through the outbox."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import MAX_SEATS, single_line

from .runs import CourseRun, Session

SUBJECT_MAX = 150
BODY_MAX = 5000


class RunMessage(models.Model):
    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("Teilnehmende mit Platz")
        WITH_WAITING = "with_waiting", _("Teilnehmende mit Platz und Warteliste")

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="messages")
    # Set when the message is about one session ("room B 1.04 instead of A 0.12").
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    audience = models.CharField(_("Empfänger"), max_length=16, choices=Audience.choices)
    subject = models.CharField(_("Betreff"), max_length=SUBJECT_MAX, validators=[single_line])
    body = models.TextField(_("Nachricht"), max_length=BODY_MAX)
    recipients = models.PositiveIntegerField(
        _("Empfänger:innen"), default=0, validators=[MaxValueValidator(MAX_SEATS * 10)]
    )
    sent_at = models.DateTimeField(_("gesendet am"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("Nachricht an Teilnehmende")
        verbose_name_plural = _("Nachrichten an Teilnehmende")
        indexes = [models.Index(fields=["run", "sent_at"])]

    def __str__(self):
        return self.subject
