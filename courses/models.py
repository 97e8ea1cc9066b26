"""The catalogue (Topic, Course), its offerings (CourseRun, Session) and who takes part
(Enrolment, Attendance)."""

import datetime as dt
import enum
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.formatting import local_date, local_datetime
from core.models import TimeStamped
from people.models import Business, School
from workshops.models import EquipmentReservation, EquipmentType, Workshop


class Topic(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=50, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Themenfeld")
        verbose_name_plural = _("Themenfelder")

    def __str__(self):
        return self.name


class Course(TimeStamped):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Einstieg")
        INTERMEDIATE = "intermediate", _("Fortgeschritten")
        ADVANCED = "advanced", _("Profi")

    class TargetGroup(models.TextChoices):
        APPRENTICES = "apprentices", _("Auszubildende")
        STAFF = "staff", _("Beschäftigte von Betrieben")
        BOTH = "both", _("Auszubildende und Beschäftigte")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="courses")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    level = models.CharField(
        _("Niveau"), max_length=16, choices=Level.choices, default=Level.BEGINNER
    )
    target_group = models.CharField(
        _("Zielgruppe"), max_length=16, choices=TargetGroup.choices, default=TargetGroup.BOTH
    )
    hours = models.DecimalField(_("Unterrichtsstunden"), max_digits=5, decimal_places=1)
    learning_outcomes = models.TextField(
        _("Lernziele"), blank=True, help_text=_("Ein Lernziel je Zeile")
    )
    prerequisites = models.TextField(_("Voraussetzungen"), blank=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("Mindestanwesenheit (%)"),
        default=80,
        help_text=_("Anteil der Terminstunden für den Abschluss"),
    )
    equipment_types = models.ManyToManyField(
        EquipmentType, through="CourseEquipment", related_name="courses", blank=True
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")
        indexes = [models.Index(fields=["school", "topic"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive"),
            models.CheckConstraint(
                condition=Q(attendance_threshold__gte=0, attendance_threshold__lte=100),
                name="course_threshold_percent",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def learning_outcome_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip()]


class CourseEquipment(models.Model):
    """Equipment a course needs: one unit of the type serves `participants_per_unit` people."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="equipment_needs")
    equipment_type = models.ForeignKey(EquipmentType, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("benötigte Geräteart")
        verbose_name_plural = _("benötigte Gerätearten")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "equipment_type"], name="course_equipment_unique"
            )
        ]

    def __str__(self):
        return f"{self.course}: {self.equipment_type}"


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
    title_suffix = models.CharField(_("Zusatz zum Titel"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("Kapazität"))
    min_participants = models.PositiveIntegerField(_("Mindestteilnehmende"), default=0)
    booking_opens_at = models.DateTimeField(_("Buchung ab"))
    booking_closes_at = models.DateTimeField(_("Buchung bis"))
    cancellation_deadline = models.DateTimeField(_("Stornierung bis"))
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
    starts_at = models.DateTimeField(_("erster Termin"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("letzter Termin"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("Grund der Absage"), blank=True)
    min_participants_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("Kursdurchführung")
        verbose_name_plural = _("Kursdurchführungen")
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["school", "status", "starts_at"]),
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
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
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
    checkin_token = models.CharField(max_length=64, blank=True)
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


class EnrolmentStatus(models.TextChoices):
    """The statuses and their groups (pretalx style): every rule that asks "which statuses"
    uses a group from here."""

    PENDING = "pending", _("Freigabe ausstehend")
    CONFIRMED = "confirmed", _("bestätigt")
    WAITLISTED = "waitlisted", _("Warteliste")
    CANCELLED = "cancelled", _("storniert")
    COMPLETED = "completed", _("abgeschlossen")
    NOT_COMPLETED = "not_completed", _("nicht abgeschlossen")
    NO_SHOW = "no_show", _("nicht erschienen")

    # At most one active enrolment per participant and run (a database constraint).
    ACTIVE = enum.nonmember(("pending", "confirmed", "waitlisted"))
    # Takes one of the run's seats now (a pending enrolment holds its seat for the approval).
    SEAT_HOLDING = enum.nonmember(("confirmed", "pending"))
    # Held a seat through the run: signs the attendance list, appears in funding reports.
    SEATED = enum.nonmember(("confirmed", "completed", "not_completed", "no_show"))
    # The result of a run for someone who held a seat.
    OUTCOMES = enum.nonmember(("completed", "not_completed", "no_show"))
    # On the participant list: everyone with a seat, a place in the queue, or a result.
    LISTED = enum.nonmember(
        ("confirmed", "pending", "waitlisted", "completed", "not_completed", "no_show")
    )
    BADGE = enum.nonmember(
        {
            "pending": "warning",
            "confirmed": "success",
            "waitlisted": "warning",
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
    participant_name = models.CharField(_("Name"), max_length=200, blank=True)
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
    hold_until = models.DateTimeField(_("Platz reserviert bis"), null=True, blank=True)
    approval_token = models.CharField(max_length=64, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("Grund"), max_length=200, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

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
        """The seat was held for the employer's approval, and the time for it has run out."""
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
    reason = models.CharField(_("Grund"), max_length=200, blank=True)
    minutes = models.PositiveIntegerField(
        _("anwesende Minuten"), null=True, blank=True, help_text=_("leer = ganzer Termin")
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


class CalendarFeed(TimeStamped):
    """A private iCal feed behind an unguessable token (renewable): per school, workshop or
    instructor."""

    token = models.CharField(max_length=64, unique=True)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False, workshop__isnull=True, instructor__isnull=True)
                | Q(school__isnull=True, workshop__isnull=False, instructor__isnull=True)
                | Q(school__isnull=True, workshop__isnull=True, instructor__isnull=False),
                name="calendarfeed_exactly_one_scope",
            )
        ]

    def __str__(self):
        return f"Feed {self.school or self.workshop or self.instructor}"
