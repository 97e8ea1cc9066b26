"""The demand board for coordinators and the district admin: per course, what people ask for
(active interest, waiting lists, open requests) beside what past runs showed (fill rate,
cancellations for too few participants); interest by school, business, occupation and municipality;
interest over time. A fixed number of queries, however many courses, people or runs."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from courses.models import Course, CourseRun, Enrolment

from ..models import CourseRequest, Interest

OPEN_REQUEST_STATUSES = (CourseRequest.Status.OPEN, CourseRequest.Status.ANSWERED)
PARTICIPATED = Enrolment.Status.OUTCOMES
DIMENSIONS = ("school", "business", "occupation", "municipality")
MONTHS = 12


@dataclass
class BoardRow:
    course: Course
    interest_entries: int = 0
    interest_people: int = 0
    waiting: int = 0
    request_count: int = 0
    request_people: int = 0
    past_runs: int = 0
    past_capacity: int = 0
    past_participants: int = 0
    cancelled_too_few: int = 0

    @property
    def demand(self) -> int:
        """People asking now: interested, waiting, and requested."""
        return self.interest_people + self.waiting + self.request_people

    @property
    def fill_percent(self) -> int | None:
        if not self.past_capacity:
            return None
        return round(100 * self.past_participants / self.past_capacity)


def _courses(school_ids, topic_id):
    qs = Course.objects.filter(school_id__in=list(school_ids), is_active=True)
    if topic_id:
        qs = qs.filter(topic_id=topic_id)
    return qs


def demand_board(*, school_ids, topic_id: int | None = None, now=None) -> list[BoardRow]:
    """One row per active course of the schools (optionally of one topic), most demand first.
    Five queries."""
    now = now or timezone.now()
    courses = _courses(school_ids, topic_id)
    rows = {
        course.pk: BoardRow(course=course)
        for course in courses.select_related("topic", "school").order_by("title")
    }
    course_ids = courses.values("pk")
    for r in (
        Interest.objects.filter(Interest.active_q(now), course_id__in=course_ids)
        .values("course_id")
        .annotate(entries=Count("pk"), people=Sum("participants"))
        .order_by()
    ):
        rows[r["course_id"]].interest_entries = r["entries"]
        rows[r["course_id"]].interest_people = r["people"] or 0
    for r in (
        Enrolment.objects.filter(
            run__course_id__in=course_ids,
            run__status=CourseRun.Status.PUBLISHED,
            status=Enrolment.Status.WAITLISTED,
        )
        .values("run__course_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[r["run__course_id"]].waiting = r["n"]
    for r in (
        CourseRequest.objects.filter(course_id__in=course_ids, status__in=OPEN_REQUEST_STATUSES)
        .values("course_id")
        .annotate(n=Count("pk"), people=Sum("participants"))
        .order_by()
    ):
        rows[r["course_id"]].request_count = r["n"]
        rows[r["course_id"]].request_people = r["people"] or 0
    completed = Q(status=CourseRun.Status.COMPLETED)
    too_few = Q(status=CourseRun.Status.CANCELLED, min_participants_flagged_at__isnull=False)
    for r in (
        CourseRun.objects.filter(course_id__in=course_ids)
        .values("course_id")
        .annotate(
            past_runs=Count("pk", filter=completed),
            past_capacity=Coalesce(Sum("capacity", filter=completed), 0),
            cancelled_too_few=Count("pk", filter=too_few),
        )
        .order_by()
    ):
        row = rows[r["course_id"]]
        row.past_runs = r["past_runs"]
        row.past_capacity = r["past_capacity"]
        row.cancelled_too_few = r["cancelled_too_few"]
    for r in (
        Enrolment.objects.filter(
            run__course_id__in=course_ids,
            run__status=CourseRun.Status.COMPLETED,
            status__in=PARTICIPATED,
        )
        .values("run__course_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[r["run__course_id"]].past_participants = r["n"]
    return sorted(rows.values(), key=lambda row: (-row.demand, row.course.title))


@dataclass(frozen=True)
class Group:
    label: str
    entries: int
    people: int


def requests_by_topic(*, school_ids, topic_id: int | None = None) -> list[Group]:
    """Open requests that name no existing course, per topic: demand for what is not offered
    yet. Requests for the schools and those naming no school. One query."""
    qs = CourseRequest.objects.filter(course__isnull=True, status__in=OPEN_REQUEST_STATUSES).filter(
        Q(school_id__in=list(school_ids)) | Q(school__isnull=True)
    )
    if topic_id:
        qs = qs.filter(topic_id=topic_id)
    return [
        Group(label=r["topic__name"], entries=r["n"], people=r["people"] or 0)
        for r in qs.values("topic__name")
        .annotate(n=Count("pk"), people=Sum("participants"))
        .order_by("-people", "topic__name")
    ]


def _dimension(name: str):
    """The label an interest is counted under: the course's school, or the business (given with
    the interest or the person's employer), its occupation, its municipality."""
    employer = "user__trainee_profile__business"
    if name == "school":
        return F("course__school__name")
    if name == "business":
        return Coalesce(F("business__name"), F(f"{employer}__name"))
    if name == "occupation":
        return NullIf(F("user__trainee_profile__occupation"), Value(""))
    if name == "municipality":
        return Coalesce(
            NullIf(F("business__city"), Value("")), NullIf(F(f"{employer}__city"), Value(""))
        )
    raise ValueError(name)


def interest_by(
    dimension: str, *, school_ids, topic_id: int | None = None, now=None
) -> list[Group]:
    """Active interest in the schools' courses grouped by school, business, occupation or
    municipality (people counted: a business's interest counts its number of people). One
    query; "unknown" collects what is not recorded."""
    now = now or timezone.now()
    qs = Interest.objects.filter(
        Interest.active_q(now), course_id__in=_courses(school_ids, topic_id).values("pk")
    )
    grouped = (
        qs.annotate(group=_dimension(dimension))
        .values("group")
        .annotate(n=Count("pk"), people=Sum("participants"))
        .order_by("-people", "group")
    )
    return [Group(label=r["group"] or "", entries=r["n"], people=r["people"] or 0) for r in grouped]


def interest_over_time(*, school_ids, topic_id: int | None = None, now=None) -> list[Group]:
    """Interest registered per month over the last twelve months (withdrawn ones included: they
    were demand when they came). One query; months without any are listed with zero."""
    now = now or timezone.now()
    local = timezone.localtime(now).date().replace(day=1)
    months = []
    year, month = local.year, local.month
    for _step in range(MONTHS):
        months.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    months.reverse()
    start = timezone.make_aware(dt.datetime.combine(months[0], dt.time()))
    counts = defaultdict(lambda: (0, 0))
    for r in (
        Interest.objects.filter(
            course_id__in=_courses(school_ids, topic_id).values("pk"), created_at__gte=start
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"), people=Sum("participants"))
        .order_by("month")
    ):
        month_value = r["month"]
        key = month_value.date() if isinstance(month_value, dt.datetime) else month_value
        counts[key.replace(day=1)] = (r["n"], r["people"] or 0)
    return [
        Group(
            label=date_format(month, "YEAR_MONTH_FORMAT"),
            entries=counts[month][0],
            people=counts[month][1],
        )
        for month in months
    ]
