"""The week (rooms × days) and month calendars: coordinators see their schools' sessions,
instructors only their own."""

import calendar as pycalendar
import datetime as dt
from collections import defaultdict

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import access
from core.validators import parse_id, parse_plausible_date
from people.roles import managed_school_ids
from workshops.models import Workshop

from ...selectors import sessions_between


def _calendar_scope(request):
    """The sessions_between filter and the workshops to show (None: those of the sessions)."""
    school_ids = managed_school_ids(request.user)
    if school_ids:
        return {"school_ids": school_ids}, Workshop.objects.filter(school_id__in=school_ids)
    return {"instructor": request.user}, None


def _parse_day(value: str | None) -> dt.date:
    return parse_plausible_date(value) or timezone.localdate()


def _day_bounds(first: dt.date, last: dt.date):
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


@access("people.access_staff_area")
def calendar_week(request):
    day = _parse_day(request.GET.get("date"))
    monday = day - dt.timedelta(days=day.weekday())
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    start, end = _day_bounds(days[0], days[-1])
    scope, workshops = _calendar_scope(request)
    sessions = list(sessions_between(start=start, end=end, **scope))
    if workshops is None:
        workshops = {s.workshop_id: s.workshop for s in sessions}.values()
    else:
        workshops = list(workshops.select_related("school").order_by("school__name", "name"))
    grid = defaultdict(list)
    for s in sessions:
        grid[(s.workshop_id, timezone.localtime(s.start).date())].append(s)
    rows = [{"workshop": w, "cells": [grid.get((w.pk, d), []) for d in days]} for w in workshops]
    return render(
        request,
        "staff/calendar_week.html",
        {
            "days": days,
            "rows": rows,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "today": timezone.localdate(),
            "week_number": monday.isocalendar()[1],
        },
    )


@access("people.access_staff_area")
def calendar_month(request):
    first = parse_plausible_date(request.GET.get("month", "") + "-01")
    first = first or timezone.localdate().replace(day=1)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = _day_bounds(weeks[0][0], weeks[-1][-1])
    scope, workshops = _calendar_scope(request)
    workshop_id = parse_id(request.GET.get("workshop"))
    qs = sessions_between(start=start, end=end, **scope)
    if workshop_id is not None:
        qs = qs.filter(workshop_id=workshop_id)
    by_day = defaultdict(list)
    for s in qs:
        by_day[timezone.localtime(s.start).date()].append(s)
    grid = [[{"day": d, "sessions": by_day.get(d, [])} for d in week] for week in weeks]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "staff/calendar_month.html",
        {
            "first": first,
            "weeks": grid,
            "previous": previous,
            "next": following,
            "workshops": list(workshops.order_by("name")) if workshops is not None else [],
            "workshop_id": workshop_id,
            "weekday_names": [_("Mo"), _("Di"), _("Mi"), _("Do"), _("Fr"), _("Sa"), _("So")],
        },
    )
