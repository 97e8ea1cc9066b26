"""Course requests: a business asks for a course that does not exist yet, or a run at another time
or school; a coordinator answers and may plan a run from it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import MAX_SEATS, plausible_date, single_line
from courses.models import Course, CourseRun, Topic
from people.models import Business, School


class CourseRequest(TimeStamped):
    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        ANSWERED = "answered", _("beantwortet")
        PLANNED = "planned", _("eingeplant")
        DECLINED = "declined", _("abgelehnt")

    business = models.ForeignKey(
        Business,
        on_delete=models.CASCADE,
        related_name="course_requests",
        verbose_name=_("Betrieb"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="+", verbose_name=_("Themenfeld")
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("Bestehender Kurs"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gewünschte Schule"),
    )
    title = models.CharField(_("Was wird gebraucht?"), max_length=200, validators=[single_line])
    message = models.TextField(_("Beschreibung"), blank=True)
    participants = models.PositiveSmallIntegerField(
        _("Anzahl Personen"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS)],
    )
    # Months as "YYYY-MM", in order.
    preferred_months = models.JSONField(_("Gewünschte Monate"), default=list, blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answer = models.TextField(_("Antwort"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True, validators=[plausible_date])
    run = models.ForeignKey(
        CourseRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Geplante Durchführung"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Kursanfrage")
        verbose_name_plural = _("Kursanfragen")
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=1, participants__lte=200),
                name="request_participants_range",
            ),
        ]

    def __str__(self):
        return f"{self.business}: {self.title}"

    def get_absolute_url(self):
        return reverse("demand:request_detail", args=[self.pk])
