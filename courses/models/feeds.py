"""Calendar subscriptions (iCal feeds): of staff (a school, a workshop, an instructor's own
sessions) and of a trainee (the sessions of their own courses)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.validators import single_line
from people.models import School
from workshops.models import Workshop


class CalendarFeed(TimeStamped):
    """A private iCal feed behind an unguessable token (renewable): per school, workshop,
    instructor or participant. Only the token's SHA-256 is stored (core.tokens): the address is
    shown once."""

    token_hash = models.CharField(max_length=64, unique=True, validators=[single_line])
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    participant = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="course_feed",
    )

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    school__isnull=False,
                    workshop__isnull=True,
                    instructor__isnull=True,
                    participant__isnull=True,
                )
                | Q(
                    school__isnull=True,
                    workshop__isnull=False,
                    instructor__isnull=True,
                    participant__isnull=True,
                )
                | Q(
                    school__isnull=True,
                    workshop__isnull=True,
                    instructor__isnull=False,
                    participant__isnull=True,
                )
                | Q(
                    school__isnull=True,
                    workshop__isnull=True,
                    instructor__isnull=True,
                    participant__isnull=False,
                ),
                name="calendarfeed_exactly_one_scope",
            )
        ]

    def __str__(self):
        return f"Feed {self.school or self.workshop or self.instructor or self.participant}"
