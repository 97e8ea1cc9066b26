"""District statistics and open data: aggregates only, never a person. Every figure is a count
or a rate over a group; groups of fewer than MIN_CELL people are suppressed (and, when that would
leave a single hidden cell that the total gives away, the next smallest too). Participations are
enrolments that held a seat on runs starting in the period (cancelled ones do not count).
Gender is not recorded anywhere, so there is no table for it. A fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from courses.models import CourseRun, Enrolment, Session
from people.models import School
from workshops.selectors import utilisation

MIN_CELL = 5
PARTICIPATED = Enrolment.Status.SEATED
FINISHED = Enrolment.Status.OUTCOMES
AGE_GROUPS = ((0, 17, _lazy("unter 18")), (18, 24, "18–24"), (25, 39, "25–39"), (40, 200, "40+"))


@dataclass(frozen=True)
class Cell:
    group: str
    value: int | float | None  # None: suppressed
    suppressed: bool = False


@dataclass
class Table:
    key: str  # machine name, the column "table" of the exports
    title: str
    unit: str
    cells: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time()))

    @property
    def end_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))


def default_period(today: dt.date | None = None) -> Period:
    """The last twelve full months up to today."""
    today = today or timezone.localdate()
    return Period(start=today.replace(year=today.year - 1) + dt.timedelta(days=1), end=today)


def suppress(counts: list[tuple[str, int]]) -> list[Cell]:
    """Counts below MIN_CELL are hidden (0 stays: nobody to identify). If exactly one cell would
    be hidden, the next smallest visible one is hidden too, so the total cannot reveal it."""
    small = {group for group, n in counts if 0 < n < MIN_CELL}
    if len(small) == 1:
        visible = sorted((n, group) for group, n in counts if n >= MIN_CELL)
        if visible:
            small.add(visible[0][1])
    return [
        Cell(group=group, value=None, suppressed=True) if group in small else Cell(group, n)
        for group, n in counts
    ]


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _participations(period: Period, school_ids):
    return Enrolment.objects.filter(
        run__school_id__in=list(school_ids),
        run__starts_at__gte=period.start_at,
        run__starts_at__lt=period.end_at,
        status__in=PARTICIPATED,
    ).exclude(run__status=CourseRun.Status.CANCELLED)


def _grouped(qs, expression, unknown: str) -> list[tuple[str, int]]:
    rows = qs.annotate(group=expression).values("group").annotate(n=Count("pk")).order_by("group")
    counts = {}
    for row in rows:
        label = row["group"] or unknown
        counts[label] = counts.get(label, 0) + row["n"]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _age_groups(qs, period: Period, unknown: str) -> list[tuple[str, int]]:
    """Age at the start of the period, by year of birth (one query, grouped by year)."""
    counts = {str(label): 0 for _low, _high, label in AGE_GROUPS}
    counts[unknown] = 0
    rows = qs.values("participant__date_of_birth__year").annotate(n=Count("pk")).order_by()
    for row in rows:
        year = row["participant__date_of_birth__year"]
        if year is None:
            counts[unknown] += row["n"]
            continue
        age = period.start.year - year
        label = next(str(label) for low, high, label in AGE_GROUPS if low <= age <= high)
        counts[label] += row["n"]
    return [(label, n) for label, n in counts.items() if n]


def statistics(*, school_ids, period: Period) -> list[Table]:
    """Every table of the statistics page and the exports, in the active language."""
    school_ids = list(school_ids)
    unknown = _("nicht erfasst")
    qs = _participations(period, school_ids)
    tables = [
        Table(
            "participants_by_school",
            _("Teilnahmen nach Schule"),
            _("Teilnahmen"),
            suppress(_grouped(qs, F("run__school__name"), unknown)),
        ),
        Table(
            "participants_by_topic",
            _("Teilnahmen nach Themenfeld"),
            _("Teilnahmen"),
            suppress(_grouped(qs, F("run__course__topic__name"), unknown)),
        ),
        Table(
            "participants_by_business",
            _("Teilnahmen nach Betrieb"),
            _("Teilnahmen"),
            suppress(_grouped(qs, F("business__name"), _("ohne Betrieb"))),
        ),
        Table(
            "participants_by_occupation",
            _("Teilnahmen nach Beruf"),
            _("Teilnahmen"),
            suppress(
                _grouped(
                    qs, NullIf(F("participant__trainee_profile__occupation"), Value("")), unknown
                )
            ),
        ),
        Table(
            "participants_by_age_group",
            _("Teilnahmen nach Altersgruppe"),
            _("Teilnahmen"),
            suppress(_age_groups(qs, period, unknown)),
        ),
    ]
    tables += _delivery_tables(school_ids, period)
    return tables


def _delivery_tables(school_ids: list[int], period: Period) -> list[Table]:
    names = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    sessions = (
        Session.objects.filter(
            run__school_id__in=school_ids,
            status=Session.Status.SCHEDULED,
            start__gte=period.start_at,
            start__lt=period.end_at,
        )
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .values("run__school_id")
        .annotate(
            length=Sum(ExpressionWrapper(F("end") - F("start"), output_field=DurationField()))
        )
        .order_by()
    )
    hours = {r["run__school_id"]: r["length"].total_seconds() / 3600 for r in sessions}
    finished = (
        Enrolment.objects.filter(
            run__school_id__in=school_ids,
            run__status=CourseRun.Status.COMPLETED,
            run__starts_at__gte=period.start_at,
            run__starts_at__lt=period.end_at,
        )
        .values("run__school_id")
        .annotate(
            finished=Count("pk", filter=Q(status__in=FINISHED)),
            no_show=Count("pk", filter=Q(status=Enrolment.Status.NO_SHOW)),
        )
        .order_by()
    )
    finished = {r["run__school_id"]: r for r in finished}
    capacity = {
        r["school_id"]: r["capacity"]
        for r in CourseRun.objects.filter(
            school_id__in=school_ids,
            status=CourseRun.Status.COMPLETED,
            starts_at__gte=period.start_at,
            starts_at__lt=period.end_at,
        )
        .values("school_id")
        .annotate(capacity=Coalesce(Sum("capacity"), 0))
        .order_by()
    }
    certificates = {
        r["run__school_id"]: r["n"]
        for r in Enrolment.objects.filter(
            run__school_id__in=school_ids,
            certificates__issued_at__gte=period.start_at,
            certificates__issued_at__lt=period.end_at,
            certificates__revoked_at__isnull=True,
        )
        .values("run__school_id")
        .annotate(n=Count("certificates", distinct=True))
        .order_by()
    }
    order = sorted(names, key=lambda pk: names[pk])
    fill, no_show = [], []
    for pk in order:
        row = finished.get(pk, {"finished": 0, "no_show": 0})
        enough = row["finished"] >= MIN_CELL
        fill.append(
            Cell(
                names[pk],
                _rate(row["finished"], capacity.get(pk, 0)) if enough else None,
                suppressed=not enough and row["finished"] > 0,
            )
        )
        no_show.append(
            Cell(
                names[pk],
                _rate(row["no_show"], row["finished"]) if enough else None,
                suppressed=not enough and row["finished"] > 0,
            )
        )
    _per_item, per_type = utilisation(school_ids, start=period.start_at, end=period.end_at)
    return [
        Table(
            "hours_by_school",
            _("Unterrichtsstunden nach Schule"),
            _("Stunden"),
            [Cell(names[pk], round(hours.get(pk, 0), 1)) for pk in order],
        ),
        Table("fill_rate_by_school", _("Füllgrad abgeschlossener Kurse"), "%", fill),
        Table("no_show_rate_by_school", _("Nicht erschienen"), "%", no_show),
        Table(
            "certificates_by_school",
            _("Ausgestellte Bescheinigungen"),
            _("Bescheinigungen"),
            suppress([(names[pk], certificates.get(pk, 0)) for pk in order]),
        ),
        Table(
            "equipment_hours_by_type",
            _("Gerätestunden nach Geräteart"),
            _("Stunden"),
            [Cell(row.label, row.hours) for row in per_type],
        ),
    ]
