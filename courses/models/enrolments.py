"""Who takes part: enrolments with their status groups, and attendance per session."""

import datetime as dt
import enum

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import MAX_MINUTES, plausible_date, single_line
from people.models import Business

from .runs import CourseRun, Session


class EnrolmentStatus(models.TextChoices):
    """The statuses and their groups (pretalx style): every rule that asks "which statuses"
    uses a group from here."""

    PENDING = "pending", _("Freigabe ausstehend")
    CONFIRMED = "confirmed", _("bestätigt")
    WAITLISTED = "waitlisted", _("Warteliste")
    # After the cancellation deadline a freed seat is offered to the next waiting person, held
    # for them until `hold_until`; they accept (confirmed) or decline, or it passes on.
    OFFERED = "offered", _("Platz angeboten")
    CANCELLED = "cancelled", _("storniert")
    COMPLETED = "completed", _("abgeschlossen")
    NOT_COMPLETED = "not_completed", _("nicht abgeschlossen")
    NO_SHOW = "no_show", _("nicht erschienen")

    # At most one active enrolment per participant and run (a database constraint).
    ACTIVE = enum.nonmember(("pending", "confirmed", "waitlisted", "offered"))
    # Takes one of the run's seats now (a pending enrolment holds its seat for the approval, an
    # offered one for the person's answer).
    SEAT_HOLDING = enum.nonmember(("confirmed", "pending", "offered"))
    # Held a seat through the run: signs the attendance list, appears in funding reports.
    SEATED = enum.nonmember(("confirmed", "completed", "not_completed", "no_show"))
    # The result of a run for someone who held a seat.
    OUTCOMES = enum.nonmember(("completed", "not_completed", "no_show"))
    # On the participant list: everyone with a seat, a place in the queue, or a result.
    LISTED = enum.nonmember(
        ("confirmed", "pending", "offered", "waitlisted", "completed", "not_completed", "no_show")
    )
    BADGE = enum.nonmember(
        {
            "pending": "warning",
            "confirmed": "success",
            "waitlisted": "warning",
            "offered": "warning",
            "cancelled": "danger",
            "completed": "success",
            "not_completed": "danger",
            "no_show": "danger",
        }
    )


class Enrolment(TimeStamped):
    Status = EnrolmentStatus

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("Kammer-API")
        STAFF = "staff", _("Koordination")

    run = models.ForeignKey(CourseRun, on_delete=models.PROTECT, related_name="enrolments")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("Teilnehmer:in"),
    )
    # Kept when the account is deleted so that lists and certificates stay readable
    # until retention ends.
    participant_name = models.CharField(
        _("Name"), max_length=200, blank=True, validators=[single_line]
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    business = models.ForeignKey(
        Business, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments"
    )
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, db_index=True)
    source = models.CharField(_("Quelle"), max_length=8, choices=Source.choices, default=Source.WEB)
    # Waiting-list order: first come, first served. Position = rank among waitlisted by this value.
    waitlist_seq = models.PositiveIntegerField(null=True, blank=True)
    hold_until = models.DateTimeField(
        _("Platz reserviert bis"), null=True, blank=True, validators=[plausible_date]
    )
    # SHA-256 of the employer's approval link (core.tokens); the link itself is only in the e-mail.
    approval_token_hash = models.CharField(
        max_length=64, blank=True, db_index=True, validators=[single_line]
    )
    # The clear approval token, only on the instance whose hold made it (for the e-mail).
    approval_token = ""
    confirmed_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    # When the booking person confirmed the course's target group and prerequisites (null:
    # the course asked nothing, or the school booked by hand).
    requirements_confirmed_at = models.DateTimeField(
        _("Voraussetzungen bestätigt am"), null=True, blank=True, validators=[plausible_date]
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    cancel_reason = models.CharField(
        _("Grund"), max_length=200, blank=True, validators=[single_line]
    )
    completed_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    reminder_sent_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    # Set at booking when the course's machines need a safety briefing the participant lacks on
    # the first session's day: it must happen in the first session. Cleared once recorded.
    briefing_needed = models.BooleanField(_("Unterweisung im ersten Termin nötig"), default=False)

    class Meta:
        ordering = ["run", "created_at", "id"]
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        indexes = [
            models.Index(fields=["run", "status"]),
            models.Index(fields=["participant", "status"]),
            models.Index(fields=["business", "updated_at"]),
            models.Index(fields=["updated_at", "id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant"],
                condition=Q(status__in=EnrolmentStatus.ACTIVE),
                name="enrolment_one_active_per_participant_and_run",
            ),
            models.UniqueConstraint(
                fields=["run", "waitlist_seq"],
                condition=Q(status="waitlisted"),
                name="enrolment_unique_waitlist_seq",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlist_seq__isnull=False),
                name="enrolment_waitlisted_has_seq",
            ),
        ]

    def __str__(self):
        return f"{self.participant_name or self.participant} – {self.run}"

    @property
    def is_active(self) -> bool:
        return self.status in self.Status.ACTIVE

    def hold_expired(self, now: dt.datetime) -> bool:
        """The seat was held for the employer's approval or the person's answer to an offer, and
        the time for it has run out."""
        return bool(self.hold_until and self.hold_until < now)

    @property
    def status_badge(self) -> str:
        return self.Status.BADGE[self.status]


class Attendance(TimeStamped):
    class Status(models.TextChoices):
        PRESENT = "present", _("anwesend")
        ABSENT = "absent", _("abwesend")
        EXCUSED = "excused", _("entschuldigt")

    class Method(models.TextChoices):
        MANUAL = "manual", _("durch Ausbilder:in")
        SELF_CHECKIN = "self_checkin", _("Selbst-Check-in")
        API = "api", _("Kammer-API")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices)
    reason = models.CharField(_("Grund"), max_length=200, blank=True, validators=[single_line])
    minutes = models.PositiveIntegerField(
        _("anwesende Minuten"),
        null=True,
        blank=True,
        help_text=_("leer = ganzer Termin"),
        validators=[MaxValueValidator(MAX_MINUTES)],
    )
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session__start"]
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_unique")
        ]
        indexes = [models.Index(fields=["updated_at", "id"])]

    def __str__(self):
        return f"{self.enrolment} @ {self.session}: {self.get_status_display()}"
