"""Reads several places need. One query per list, never a query per row."""

import datetime as dt

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from people.models import School
from workshops.models import (
    Equipment,
    EquipmentReservation,
    EquipmentType,
    Workshop,
    usable_during,
)

from .models import (
    Course,
    CourseEquipment,
    CourseRun,
    Enrolment,
    Session,
    SessionReservation,
    Topic,
)

NO_LIMIT = 1_000_000


def waitlist_position_expression() -> Subquery:
    """An annotation for enrolment querysets: the 1-based rank on the run's waiting list (first
    come, first served by waitlist_seq), NULL for anyone not waiting. The one definition of the
    position; pages, exports, e-mails and the API all read it from here."""
    ahead = (
        Enrolment.objects.filter(
            run_id=OuterRef("run_id"),
            status=Enrolment.Status.WAITLISTED,
            waitlist_seq__lte=OuterRef("waitlist_seq"),
        )
        .order_by()
        .values("run_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Subquery(ahead, output_field=IntegerField())


def waitlist_position(enrolment: Enrolment) -> int | None:
    """The rank of one enrolment on its run's waiting list, or None when it is not waiting."""
    if enrolment.status != Enrolment.Status.WAITLISTED or enrolment.waitlist_seq is None:
        return None
    return (
        Enrolment.objects.filter(pk=enrolment.pk)
        .annotate(position=waitlist_position_expression())
        .values_list("position", flat=True)
        .get()
    )


def _units_during_session():
    """For a session (the outer query), the units of the needed type (two levels out) in the
    session's workshop that are usable during it and not reserved then by anything but this
    run's own sessions."""
    elsewhere = EquipmentReservation.objects.filter(
        equipment_id=OuterRef("pk"),
        is_active=True,
        start__lt=OuterRef(OuterRef("end")),
        end__gt=OuterRef(OuterRef("start")),
    ).exclude(session_link__session__run_id=OuterRef(OuterRef("run_id")))
    units = (
        Equipment.objects.filter(usable_during(OuterRef("start"), OuterRef("end")))
        .filter(
            type_id=OuterRef(OuterRef("equipment_type_id")),
            workshop_id=OuterRef("workshop_id"),
        )
        .filter(~Exists(elsewhere))
        .order_by()
        .values("type_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(units, output_field=IntegerField()), 0)


def _equipment_seat_limit():
    """Seats the equipment allows, following the time of each session: for each type the course
    needs and each scheduled session, the units usable and not reserved elsewhere during it ×
    participants per unit; the smallest of these (or no limit). A run without sessions yet
    counts the units in its workshop that work today."""
    fewest_during_a_session = (
        Session.objects.filter(run_id=OuterRef(OuterRef("pk")), status=Session.Status.SCHEDULED)
        .annotate(n=_units_during_session())
        .order_by("n")
        .values("n")[:1]
    )
    today = (
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
                Coalesce(
                    Subquery(fewest_during_a_session, output_field=IntegerField()),
                    Subquery(today, output_field=IntegerField()),
                    0,
                )
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
        Enrolment.objects.filter(run_id=OuterRef("pk"), status__in=Enrolment.Status.SEAT_HOLDING)
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


# Every table the catalogue page and the API's run list read (runs, seats, sessions, the seat
# limit from rooms and equipment): their cached renderings are kept while these are unchanged
# (core.freshness). The last three have no updated_at: their saves count as changes too.
CATALOGUE_STAMPED = (
    CourseRun, Course, School, Workshop, Session, Enrolment, Equipment, EquipmentType,
    EquipmentReservation,
)  # fmt: skip
CATALOGUE_UNSTAMPED = (Topic, CourseEquipment, SessionReservation)


def bookable_runs(*, now=None) -> QuerySet[CourseRun]:
    """Published runs that can still be booked."""
    return CourseRun.objects.filter(
        status=CourseRun.Status.PUBLISHED, booking_closes_at__gt=now or timezone.now()
    )


def catalogue(*, now=None) -> QuerySet[CourseRun]:
    """Published runs that can still be booked, soonest first, with seats annotated."""
    qs = bookable_runs(now=now).select_related("course", "course__topic", "school", "workshop")
    return with_seats(qs).order_by("starts_at", "id")


def catalogue_changes_at(*, now) -> dt.datetime | None:
    """When the catalogue changes by time alone: the first of its runs closes for booking."""
    return bookable_runs(now=now).aggregate(first=Min("booking_closes_at"))["first"]


def courses_without_bookable_run(*, now=None) -> QuerySet[Course]:
    """Active courses with no run in the catalogue just now: people can still ask to be told."""
    bookable = catalogue(now=now).filter(course_id=OuterRef("pk"))
    return (
        Course.objects.filter(is_active=True)
        .exclude(Exists(bookable))
        .select_related("topic", "school")
        .order_by("topic__name", "title", "id")
    )


def runs_with_free_seats(qs: QuerySet[CourseRun]) -> QuerySet[CourseRun]:
    return qs.filter(Q(seats_left__gt=0))


# --- planning (staff area) ---------------------------------------------------------------------


def _confirmed_count():
    return Coalesce(
        Subquery(
            Enrolment.objects.filter(run_id=OuterRef("pk"), status=Enrolment.Status.CONFIRMED)
            .order_by()
            .values("run_id")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def staff_runs(school_ids=None) -> QuerySet[CourseRun]:
    """Runs of the given schools (None: all, for tasks) with seats and confirmed enrolments
    annotated (one query)."""
    qs = CourseRun.objects.select_related("course", "school", "workshop", "instructor")
    if school_ids is not None:
        qs = qs.filter(school_id__in=list(school_ids))
    return with_seats(qs).annotate(confirmed=_confirmed_count())


def runs_at_risk(school_ids, *, now=None) -> QuerySet[CourseRun]:
    """Published runs not yet over whose seats (after equipment went to maintenance or broke)
    have fallen below their confirmed enrolments. One query."""
    now = now or timezone.now()
    return (
        staff_runs(school_ids)
        .filter(status=CourseRun.Status.PUBLISHED)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gte=now))
        .filter(confirmed__gt=F("seats"))
        .order_by("starts_at", "id")
    )


def runs_below_minimum(school_ids, *, now=None) -> QuerySet[CourseRun]:
    """Published runs still ahead that the daily check flagged (fewer confirmed than minimum),
    with the current confirmed count. One query."""
    now = now or timezone.now()
    return (
        staff_runs(school_ids)
        .filter(
            status=CourseRun.Status.PUBLISHED,
            min_participants_flagged_at__isnull=False,
            starts_at__gte=now,
        )
        .filter(confirmed__lt=F("min_participants"))
        .order_by("starts_at", "id")
    )


def sessions_between(*, start, end, school_ids=None, instructor=None) -> QuerySet:
    """Sessions overlapping [start, end) of the schools (or of one instructor), with what a
    calendar or feed prints loaded in the same query."""
    qs = Session.objects.filter(start__lt=end, end__gt=start)
    if school_ids is not None:
        qs = qs.filter(run__school_id__in=list(school_ids))
    if instructor is not None:
        qs = qs.filter(instructor=instructor)
    return qs.select_related("run__course", "run__school", "workshop", "instructor").order_by(
        "start", "id"
    )


def business_bookings_ahead(*, participant_id: int, business_id: int) -> QuerySet[Enrolment]:
    """A person's active bookings made for or paid by a business, on runs not yet over."""
    now = timezone.now()
    return (
        Enrolment.objects.filter(
            participant_id=participant_id,
            business_id=business_id,
            status__in=Enrolment.Status.ACTIVE,
        )
        .filter(Q(run__ends_at__isnull=True) | Q(run__ends_at__gte=now))
        .select_related("run__course")
        .order_by("run__starts_at", "pk")
    )
