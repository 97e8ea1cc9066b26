"""Certificates of attendance (Teilnahmebescheinigungen): issued once per completed enrolment,
numbered without gaps per school and year, verifiable by anyone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import plausible_date, single_line
from courses.models import CourseRun, Enrolment
from people.models import School


class Certificate(TimeStamped):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(_("Nummer"), max_length=40, unique=True, validators=[single_line])
    verification_code = models.CharField(
        _("Prüfcode"), max_length=64, unique=True, validators=[single_line]
    )
    issued_at = models.DateTimeField(_("ausgestellt am"), validators=[plausible_date])
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Everything printed on the PDF, frozen at issue time: a later change of the course changes
    # nothing.
    data = models.JSONField(default=dict)
    pdf = models.FileField(upload_to="certificates/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True, validators=[single_line])
    revoked_at = models.DateTimeField(
        _("widerrufen am"), null=True, blank=True, validators=[plausible_date]
    )
    revoked_reason = models.CharField(
        _("Grund des Widerrufs"), max_length=300, blank=True, validators=[single_line]
    )
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    # Set when the participant's e-mail with the PDF went out, so that a retried task sends it once.
    emailed_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    # The Open Badges 3.0 credential as signed at issue (a compact JWS), also inside the PDF;
    # revocation never changes it. Empty for certificates issued before badges were signed.
    badge_jwt = models.TextField(blank=True)
    # The credential's bit in its issuer's Bitstring Status List: "<school id>/<list number>".
    status_list = models.CharField(max_length=40, blank=True, validators=[single_line])
    status_index = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("Teilnahmebescheinigung")
        verbose_name_plural = _("Teilnahmebescheinigungen")
        indexes = [models.Index(fields=["updated_at", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_enrolment",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                condition=Q(status_index__isnull=False),
                name="certificate_status_entry_unique",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CertificateSequence(models.Model):
    """Counter per school and year, taken under a row lock so that numbers never repeat or skip."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="certificate_sequence_unique")
        ]

    def __str__(self):
        return f"{self.school.code}-{self.year}: {self.last_number}"


class IssueJob(TimeStamped):
    """A bulk issuing job for a run; the page polls it for its progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="issue_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Ausstellungsauftrag")
        verbose_name_plural = _("Ausstellungsaufträge")

    def __str__(self):
        return f"{self.run}: {self.done}/{self.total}"
