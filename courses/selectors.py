"""Reads several places need. One query per list, never a query per row."""

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from workshops.models import Equipment

from .models import CourseEquipment, CourseRun, Enrolment

# Statuses that occupy a seat: confirmed, and pending approval (the seat is held meanwhile).
SEAT_HOLDING_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.PENDING)
NO_LIMIT = 1_000_000


def _equipment_seat_limit():
    """Seats the working equipment allows: for each type the course needs, the available units
    in the run's workshop × participants per unit; the smallest of these (or no limit)."""
    units = (
        Equipment.objects.filter(
            type_id=OuterRef("equipment_type_id"),
            workshop_id=OuterRef(OuterRef("workshop_id")),
            status=Equipment.Status.AVAILABLE,
        )
        .order_by()
        .values("type_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    per_type = (
        CourseEquipment.objects.filter(course_id=OuterRef("course_id"))
        .annotate(
            seats=ExpressionWrapper(
                Coalesce(Subquery(units, output_field=IntegerField()), 0)
                * F("equipment_type__participants_per_unit"),
                output_field=IntegerField(),
            )
        )
        .order_by("seats")
        .values("seats")[:1]
    )
    return Coalesce(Subquery(per_type, output_field=IntegerField()), Value(NO_LIMIT))


def with_seats(qs: QuerySet[CourseRun]) -> QuerySet[CourseRun]:
    """Annotate `seats` (the real limit), `taken`, `seats_left` and `waitlist_length` on runs."""
    taken = (
        Enrolment.objects.filter(run_id=OuterRef("pk"), status__in=SEAT_HOLDING_STATUSES)
        .order_by()
        .values("run_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    waiting = (
        Enrolment.objects.filter(run_id=OuterRef("pk"), status=Enrolment.Status.WAITLISTED)
        .order_by()
        .values("run_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        seats=Least(F("capacity"), F("workshop__seats"), _equipment_seat_limit()),
        taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0),
        waitlist_length=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
    ).annotate(seats_left=Greatest(F("seats") - F("taken"), Value(0)))


def seats_of(run: CourseRun) -> int:
    """The seat limit of one run (same rule as `with_seats`)."""
    return with_seats(CourseRun.objects.filter(pk=run.pk)).values_list("seats", flat=True).get()


def catalogue(*, now=None) -> QuerySet[CourseRun]:
    """Published runs that can still be booked, soonest first, with seats annotated."""
    now = now or timezone.now()
    qs = CourseRun.objects.filter(
        status=CourseRun.Status.PUBLISHED, booking_closes_at__gt=now
    ).select_related("course", "course__topic", "school", "workshop")
    return with_seats(qs).order_by("starts_at", "id")


def runs_with_free_seats(qs: QuerySet[CourseRun]) -> QuerySet[CourseRun]:
    return qs.filter(Q(seats_left__gt=0))
