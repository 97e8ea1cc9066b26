"""The start page of the staff area: the coming week's sessions; for coordinators also runs below
their minimum or over their seats, due maintenance and the charts."""

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from core.access import access
from people.roles import managed_school_ids
from workshops.selectors import due_and_overdue

from ...models import Session
from ...selectors import runs_at_risk, runs_below_minimum, sessions_between
from ...selectors_dashboard import dashboard_charts


@access("people.access_staff_area")
def dashboard(request):
    now = timezone.now()
    school_ids = managed_school_ids(request.user)
    week_end = now + dt.timedelta(days=7)
    if school_ids:
        upcoming = sessions_between(start=now, end=week_end, school_ids=school_ids)
    else:
        upcoming = sessions_between(start=now, end=week_end, instructor=request.user)
    context = {
        "upcoming": list(upcoming.filter(status=Session.Status.SCHEDULED)[:100]),
        "is_coordinator": bool(school_ids),
    }
    if school_ids:
        context.update(
            below_minimum=list(runs_below_minimum(school_ids, now=now)),
            at_risk=list(runs_at_risk(school_ids, now=now)),
            maintenance=due_and_overdue(school_ids)[:50],
        )
        # Fill rate per run and equipment hours, each with its table.
        context["charts"] = dashboard_charts(school_ids, now=now)
    return render(request, "staff/dashboard.html", context)
