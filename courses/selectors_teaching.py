"""Reads for instructors: the runs they teach and, for one run, its participants with the
attendance so far. One query per list."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .exports import listed_enrolments
from .models import Attendance, CourseRun, Enrolment, Session

RECENT_DAYS = 30


def taught_runs(user, *, now: dt.datetime | None = None) -> QuerySet[CourseRun]:
    """Runs the user teaches (the run or one of its sessions) that are planned, running or ended
    within the last RECENT_DAYS, soonest first."""
    now = now or timezone.now()
    return (
        CourseRun.objects.filter(Q(instructor=user) | Q(sessions__instructor=user))
        .exclude(status__in=[CourseRun.Status.CANCELLED])
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gte=now - dt.timedelta(days=RECENT_DAYS)))
        .select_related("course", "workshop")
        .distinct()
        .order_by("starts_at", "id")
    )


def held_sessions(run: CourseRun, *, now: dt.datetime | None = None) -> int:
    """Scheduled sessions of the run that have begun: the ones attendance can exist for."""
    now = now or timezone.now()
    return run.sessions.filter(status=Session.Status.SCHEDULED, start__lte=now).count()


def participants_with_attendance(run: CourseRun) -> QuerySet[Enrolment]:
    """The run's participant list (seat holders, then the waiting list) with `present_sessions`:
    the sessions each was marked present at."""
    return listed_enrolments(run).annotate(
        present_sessions=Count(
            "attendances",
            filter=Q(
                attendances__status=Attendance.Status.PRESENT,
                attendances__session__status=Session.Status.SCHEDULED,
            ),
        )
    )
