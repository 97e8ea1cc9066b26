"""Interest: "tell me when this course takes place" from a person, or from a business contact for
their business, with an expiry the holder can see and renew."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import MAX_SEATS, plausible_date
from courses.models import Course, CourseRun
from people.models import Business


class Interest(TimeStamped):
    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        EXPIRED = "expired", _("abgelaufen")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_interests",
        verbose_name=_("Person"),
    )
    # Set when a business contact registers interest for their business (then `participants`
    # counts its people); empty for a trainee's own interest.
    business = models.ForeignKey(
        Business,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="course_interests",
        verbose_name=_("Betrieb"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="interests", verbose_name=_("Kurs")
    )
    participants = models.PositiveSmallIntegerField(
        _("Anzahl Personen"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS)],
    )
    preferred_start = models.DateField(
        _("Gewünscht ab"), null=True, blank=True, validators=[plausible_date]
    )
    preferred_end = models.DateField(
        _("Gewünscht bis"), null=True, blank=True, validators=[plausible_date]
    )
    expires_at = models.DateTimeField(_("gültig bis"), db_index=True, validators=[plausible_date])
    withdrawn_at = models.DateTimeField(
        _("zurückgezogen am"), null=True, blank=True, validators=[plausible_date]
    )
    expiry_reminded_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Interesse")
        verbose_name_plural = _("Interessen")
        indexes = [models.Index(fields=["course", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(withdrawn_at__isnull=True),
                name="interest_one_open_per_user_and_course",
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=1, participants__lte=200),
                name="interest_participants_range",
            ),
            models.CheckConstraint(
                condition=Q(preferred_start__isnull=True)
                | Q(preferred_end__isnull=True)
                | Q(preferred_end__gte=F("preferred_start")),
                name="interest_preferred_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.course}"

    def status(self, now: dt.datetime) -> str:
        if self.withdrawn_at is not None:
            return self.Status.WITHDRAWN
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    def is_active(self, now: dt.datetime) -> bool:
        return self.status(now) == self.Status.ACTIVE

    @classmethod
    def active_q(cls, now: dt.datetime, prefix: str = "") -> Q:
        """The filter for interests that count at `now` (not withdrawn, not expired)."""
        return Q(**{f"{prefix}withdrawn_at__isnull": True, f"{prefix}expires_at__gt": now})

    def get_absolute_url(self):
        return reverse("demand:my_interests")


class InterestNotification(TimeStamped):
    """An interest was told about a published run. It is also the grant of the priority window:
    only people told about this run may book it before its public opening."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="notifications")
    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        constraints = [
            models.UniqueConstraint(fields=["interest", "run"], name="interest_notified_once")
        ]

    def __str__(self):
        return f"{self.interest} @ {self.run_id}"


def priority_window(run: CourseRun) -> tuple[dt.datetime, dt.datetime] | None:
    """[start, end) in which notified people may book the run before the public: the
    DEMAND_PRIORITY_DAYS before its booking opens, but not before it was published. None when
    the run is not published or the window is empty (booking opened at publication)."""
    if run.status != CourseRun.Status.PUBLISHED or run.published_at is None:
        return None
    start = max(
        run.published_at, run.booking_opens_at - dt.timedelta(days=settings.DEMAND_PRIORITY_DAYS)
    )
    if start >= run.booking_opens_at:
        return None
    return start, run.booking_opens_at
