"""Figures for the coordinator dashboard's charts: fill rate per upcoming run, and hours reserved
per equipment type. Each comes as a chart spec the component templates/components/chart.html
draws with Chart.js and repeats as a table (the fallback without JavaScript and for screen
readers). A fixed number of queries, however many runs or items a school has."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import local_date
from workshops.selectors import UTILISATION_DAYS, utilisation

from .models import CourseRun
from .selectors import with_seats

MAX_RUNS = 15


@dataclass(frozen=True)
class FillRate:
    run_id: int
    label: str
    starts_at: dt.datetime | None
    taken: int
    seats: int
    min_participants: int
    waitlist: int

    @property
    def percent(self) -> int:
        return round(100 * self.taken / self.seats) if self.seats else 0


def fill_rates(school_ids, *, now: dt.datetime | None = None, limit: int = MAX_RUNS):
    """Published runs of the schools that have not ended yet, soonest first: seats taken of the
    seats the room and the working equipment allow. One query."""
    now = now or timezone.now()
    runs = (
        with_seats(
            CourseRun.objects.filter(
                school_id__in=list(school_ids), status=CourseRun.Status.PUBLISHED
            ).exclude(ends_at__lt=now)
        )
        .select_related("course")
        .order_by("starts_at", "id")[:limit]
    )
    return [
        FillRate(
            run_id=run.pk,
            label=f"{run.course.title} {run.title_suffix}".strip(),
            starts_at=run.starts_at,
            taken=run.taken,
            seats=run.seats,
            min_participants=run.min_participants,
            waitlist=run.waitlist_length,
        )
        for run in runs
    ]


def equipment_hours(school_ids, *, start: dt.datetime, end: dt.datetime):
    """Hours reserved per equipment type in [start, end) (courses and loans): two queries."""
    _per_item, per_type = utilisation(school_ids, start=start, end=end)
    return per_type


def _day(value: dt.datetime | None) -> str:
    return local_date(value) if value else "–"


def dashboard_charts(school_ids, *, now: dt.datetime | None = None) -> list[dict]:
    """The chart specs for templates/components/chart.html, in the active language."""
    now = now or timezone.now()
    rates = fill_rates(school_ids, now=now)
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + dt.timedelta(days=UTILISATION_DAYS)
    hours = equipment_hours(school_ids, start=start, end=end)
    fill_chart = {
        "id": "fill-rate",
        "title": _("Füllgrad der kommenden Kurse"),
        "description": _("Belegte Plätze in Prozent der verfügbaren Plätze, je Kursdurchführung."),
        "kind": "bar",
        "unit": "%",
        "max": 100,
        "labels": [f"{rate.label} ({_day(rate.starts_at)})" for rate in rates],
        "series": [{"label": _("Füllgrad in %"), "values": [rate.percent for rate in rates]}],
        "columns": [
            _("Kurs"),
            _("Beginn"),
            _("Belegt"),
            _("Plätze"),
            _("Mindestens"),
            _("Warteliste"),
            _("Füllgrad"),
        ],
        "rows": [
            [
                rate.label,
                _day(rate.starts_at),
                rate.taken,
                rate.seats,
                rate.min_participants,
                rate.waitlist,
                f"{rate.percent} %",
            ]
            for rate in rates
        ],
        "empty": _("Keine kommenden veröffentlichten Kurse."),
    }
    hours_chart = {
        "id": "equipment-hours",
        "title": _("Auslastung der Geräte"),
        "description": _(
            "Reservierte Stunden je Geräteart vom %(start)s bis %(end)s (Kurse und Ausleihen)."
        )
        % {"start": _day(start), "end": _day(end - dt.timedelta(days=1))},
        "kind": "bar",
        "unit": "h",
        "max": None,
        "labels": [row.label for row in hours],
        "series": [{"label": _("Stunden reserviert"), "values": [row.hours for row in hours]}],
        "columns": [_("Geräteart"), _("Stunden reserviert"), _("Reservierungen"), _("Anteil")],
        "rows": [
            [row.label, f"{row.hours:g}", row.reservations, f"{round(100 * row.share, 1):g} %"]
            for row in hours
        ],
        "empty": _("Keine Geräte an dieser Schule."),
    }
    for chart in (fill_chart, hours_chart):
        chart["summary"] = _summary(chart)
    return [fill_chart, hours_chart]


def _summary(chart: dict) -> str:
    """A one-sentence text alternative for the canvas; the table below has every figure."""
    values = chart["series"][0]["values"] if chart["series"] else []
    if not values:
        return f"{chart['title']}: {chart['empty']}"
    highest = max(range(len(values)), key=lambda i: values[i])
    lowest = min(range(len(values)), key=lambda i: values[i])
    text = _(
        "%(title)s: höchster Wert %(high)s %(unit)s (%(high_label)s), "
        "niedrigster %(low)s %(unit)s (%(low_label)s)."
    )
    return text % {
        "title": chart["title"],
        "high": f"{values[highest]:g}",
        "high_label": chart["labels"][highest],
        "low": f"{values[lowest]:g}",
        "low_label": chart["labels"][lowest],
        "unit": chart["unit"],
    }
