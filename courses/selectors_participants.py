"""The participants of a run as the coordinator manages them on the run page, the runs a booking
can move to, and the run's message log. A fixed number of queries however many rows."""

import datetime as dt

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Attendance, CourseRun, Enrolment, RunMessage, Session
from .selectors import waitlist_position_expression, with_seats


def _list_group():
    """Seat holders first, then the waiting list in its order, then results, then cancelled."""
    return Case(
        When(status__in=Enrolment.Status.SEAT_HOLDING, then=Value(0)),
        When(status=Enrolment.Status.WAITLISTED, then=Value(1)),
        When(status__in=Enrolment.Status.OUTCOMES, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def held_sessions(run: CourseRun, *, now: dt.datetime | None = None) -> QuerySet[Session]:
    """The run's scheduled sessions that have started: attendance so far is counted over these."""
    now = now or timezone.now()
    return Session.objects.filter(run=run, status=Session.Status.SCHEDULED, start__lte=now)


def run_participants(run: CourseRun, *, now: dt.datetime | None = None) -> QuerySet[Enrolment]:
    """Every enrolment of the run with its person, business, waiting-list position and the
    sessions held so far it was present at (`attended`): one query."""
    now = now or timezone.now()
    present = (
        Attendance.objects.filter(
            enrolment_id=OuterRef("pk"),
            status=Attendance.Status.PRESENT,
            session__in=held_sessions(run, now=now),
        )
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Enrolment.objects.filter(run=run)
        .select_related("participant", "business")
        .annotate(
            waitlist_position=waitlist_position_expression(),
            attended=Coalesce(Subquery(present, output_field=IntegerField()), 0),
            list_group=_list_group(),
        )
        .order_by("list_group", "waitlist_seq", "participant_name", "id")
    )


def move_targets(run: CourseRun, *, now: dt.datetime | None = None) -> QuerySet[CourseRun]:
    """Other runs of the same course a booking can move to: published, not started yet, with
    seats annotated (the move itself checks the seat under the target's lock)."""
    now = now or timezone.now()
    qs = (
        CourseRun.objects.filter(course_id=run.course_id, status=CourseRun.Status.PUBLISHED)
        .exclude(pk=run.pk)
        .exclude(starts_at__lte=now)
        .select_related("course", "school", "workshop")
        .order_by("starts_at", "id")
    )
    return with_seats(qs)


def run_messages(run: CourseRun) -> QuerySet[RunMessage]:
    return RunMessage.objects.filter(run=run).select_related("author", "session")
