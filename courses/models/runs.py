"""A course's offerings: runs (with their booking phase) and their sessions with the equipment
reserved for them."""

import datetime as dt
import enum
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.formatting import local_date, local_datetime
from core.models import TimeStamped
from core.validators import MAX_SEATS, plausible_date, single_line
from people.models import School
from workshops.models import EquipmentReservation, Workshop

from .catalogue import Course


class BookingPhase(models.TextChoices):
    """Where a run stands for someone who wants to book it now (CourseRun.booking_phase)."""

    NOT_PUBLISHED = "not_published", _("Nicht buchbar")
    NOT_OPEN = "not_open", _("Buchung noch nicht geöffnet")
    OPEN = "open", _("Buchung offen")
    CLOSED = "closed", _("Buchung geschlossen")
    COMPLETED = "completed", _("Kurs beendet")
    CANCELLED = "cancelled", _("Kurs abgesagt")

    # Nobody may book, the school's coordinators included (they may book outside the window).
    UNBOOKABLE = enum.nonmember(("not_published", "completed", "cancelled"))


class CourseRun(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("veröffentlicht")
        COMPLETED = "completed", _("abgeschlossen")
        CANCELLED = "cancelled", _("abgesagt")

        # A run that is over: nothing about it changes any more.
        ENDED = enum.nonmember(("completed", "cancelled"))
        # Visible outside the school (catalogue, chamber API): everything but drafts.
        PUBLIC = enum.nonmember(("published", "completed", "cancelled"))
        BADGE = enum.nonmember(
            {
                "draft": "warning",
                "published": "success",
                "completed": "success",
                "cancelled": "danger",
            }
        )

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="runs")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="runs")
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="runs")
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructed_runs",
        verbose_name=_("Ausbilder:in"),
    )
    title_suffix = models.CharField(
        _("Zusatz zum Titel"), max_length=100, blank=True, validators=[single_line]
    )
    capacity = models.PositiveIntegerField(
        _("Kapazität"), validators=[MaxValueValidator(MAX_SEATS)]
    )
    min_participants = models.PositiveIntegerField(
        _("Mindestteilnehmende"), default=0, validators=[MaxValueValidator(MAX_SEATS)]
    )
    booking_opens_at = models.DateTimeField(_("Buchung ab"), validators=[plausible_date])
    booking_closes_at = models.DateTimeField(_("Buchung bis"), validators=[plausible_date])
    cancellation_deadline = models.DateTimeField(_("Stornierung bis"), validators=[plausible_date])
    price_business = models.DecimalField(
        _("Preis für Betriebe (€)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    requires_employer_approval = models.BooleanField(
        _("Freigabe durch Arbeitgeber nötig"), default=False
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Denormalised from the sessions so that the catalogue sorts and filters without a join.
    starts_at = models.DateTimeField(
        _("erster Termin"), null=True, blank=True, db_index=True, validators=[plausible_date]
    )
    ends_at = models.DateTimeField(
        _("letzter Termin"), null=True, blank=True, validators=[plausible_date]
    )
    published_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    cancelled_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    cancel_reason = models.TextField(_("Grund der Absage"), blank=True)
    min_participants_flagged_at = models.DateTimeField(
        null=True, blank=True, validators=[plausible_date]
    )
    # The day the coordinators were last reminded of missing attendance (once a day at most).
    attendance_reminded_on = models.DateField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("Kursdurchführung")
        verbose_name_plural = _("Kursdurchführungen")
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["school", "status", "starts_at"]),
            # The API's cursor order: a sync page is an index range scan, not a sort of every run.
            models.Index(fields=["updated_at", "id"], name="courses_run_updated_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=F("booking_opens_at")),
                name="run_booking_window_order",
            ),
            models.CheckConstraint(
                condition=Q(price_business__gte=0), name="run_price_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(min_participants__lte=F("capacity")), name="run_min_not_above_capacity"
            ),
        ]

    def __str__(self):
        label = f"{self.course.title} {self.title_suffix}".strip()
        return f"{label} ({local_date(self.starts_at)})" if self.starts_at else label

    def get_absolute_url(self) -> str:
        return reverse("courses:run", args=[self.pk])

    @property
    def status_badge(self) -> str:
        return self.Status.BADGE[self.status]

    def booking_phase(self, now: dt.datetime) -> "BookingPhase":
        """Whether the public may book now; the run page's button and the booking service both
        ask this (staff may book outside the window, which the service decides)."""
        if self.status == self.Status.CANCELLED:
            return BookingPhase.CANCELLED
        if self.status == self.Status.COMPLETED:
            return BookingPhase.COMPLETED
        if self.status != self.Status.PUBLISHED:
            return BookingPhase.NOT_PUBLISHED
        if now < self.booking_opens_at:
            return BookingPhase.NOT_OPEN
        if now >= self.booking_closes_at:
            return BookingPhase.CLOSED
        return BookingPhase.OPEN


class Session(TimeStamped):
    """One meeting of a run. No workshop and no instructor are in two places at once
    (PostgreSQL: exclusion constraints; SQLite: the planning service checks)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("geplant")
        CANCELLED = "cancelled", _("abgesagt")

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("Beginn"), validators=[plausible_date])
    end = models.DateTimeField(_("Ende"), validators=[plausible_date])
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="sessions")
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructed_sessions",
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    series = models.UUIDField(
        null=True, blank=True, db_index=True, help_text="Shared by a generated series"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # stable iCal UID
    sequence = models.PositiveIntegerField(default=0)  # iCal SEQUENCE, bumped on each change
    reservations = models.ManyToManyField(
        EquipmentReservation, through="SessionReservation", related_name="sessions", blank=True
    )

    class Meta:
        ordering = ["start"]
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        indexes = [
            models.Index(fields=["workshop", "start"]),
            models.Index(fields=["instructor", "start"]),
            models.Index(fields=["run", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_end_after_start")
        ]

    def __str__(self):
        return f"{self.run.course.title}: {local_datetime(self.start)}"

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class SessionReservation(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="session_reservations"
    )
    reservation = models.OneToOneField(
        EquipmentReservation, on_delete=models.CASCADE, related_name="session_link"
    )

    class Meta:
        verbose_name = _("Reservierung eines Termins")
        verbose_name_plural = _("Reservierungen der Termine")

    def __str__(self):
        return f"{self.session} → {self.reservation}"
