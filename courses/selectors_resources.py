"""Resources of runs, read through workshops' selectors: who still needs a safety briefing for the
machines a run uses, and what a run (or every run of a term) used in energy and material per
participant hour."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from workshops.selectors_resources import briefings_missing, material_used
from workshops.selectors_telemetry import energy_used

from .models import Attendance, CourseEquipment, CourseRun, Enrolment, Session, SessionMaterial

SEATED = Enrolment.Status.SEATED


def _briefing_types(run: CourseRun) -> list[int]:
    return list(
        CourseEquipment.objects.filter(course_id=run.course_id).values_list(
            "equipment_type_id", flat=True
        )
    )


def _first_day(run: CourseRun) -> dt.date:
    first = run.sessions.filter(status=Session.Status.SCHEDULED).order_by("start").first()
    return timezone.localdate(first.start) if first else timezone.localdate()


def briefings_needed(run: CourseRun, *, on: dt.date | None = None) -> dict[int, list]:
    """Per seated enrolment of the run the machine types that need a briefing its participant
    lacks on `on` (default: the first session's day): they must be briefed in the first session.
    Three queries."""
    type_ids = _briefing_types(run)
    if not type_ids:
        return {}
    enrolments = list(
        Enrolment.objects.filter(run=run, status__in=SEATED, participant__isnull=False).only(
            "pk", "participant_id"
        )
    )
    missing = briefings_missing(
        {e.participant_id for e in enrolments}, type_ids, on=on or _first_day(run)
    )
    return {e.pk: missing[e.participant_id] for e in enrolments if e.participant_id in missing}


def lacking_briefing(run: CourseRun, person_ids) -> set[int]:
    """Those of `person_ids` who lack a valid briefing, on the run's first session day, for a
    machine type the course uses that requires one (the booking service flags them)."""
    type_ids = _briefing_types(run)
    if not type_ids:
        return set()
    return set(briefings_missing(set(person_ids), type_ids, on=_first_day(run)))


def _participant_hours(sessions: list[Session], run: CourseRun) -> Decimal:
    """Hours present (attendance where taken: minutes or the whole session), else the seated
    participants times the session's hours."""
    marks = defaultdict(list)
    for row in Attendance.objects.filter(session__in=sessions).values(
        "session_id", "status", "minutes"
    ):
        marks[row["session_id"]].append(row)
    seated = Enrolment.objects.filter(run=run, status__in=SEATED).count()
    total = Decimal("0")
    for session in sessions:
        hours = Decimal(str(session.hours))
        rows = marks.get(session.pk)
        if rows is None:
            total += hours * seated
            continue
        for row in rows:
            if row["status"] == Attendance.Status.PRESENT:
                total += Decimal(row["minutes"]) / 60 if row["minutes"] else hours
    return total


def run_resources(run: CourseRun) -> dict:
    """Energy per session (the meters of the items its reservations held, during the session),
    material used, participant hours, and both per participant hour."""
    sessions = list(
        run.sessions.filter(status=Session.Status.SCHEDULED)
        .prefetch_related("reservations")
        .order_by("start")
    )
    rows, energy_total = [], Decimal("0")
    for session in sessions:
        items = [r.equipment_id for r in session.reservations.all() if r.is_active]
        used = energy_used(items, start=session.start, end=session.end) if items else {}
        energy = sum(used.values(), Decimal("0"))
        energy_total += energy
        rows.append({"session": session, "energy": energy, "measured": bool(used)})
    links = list(
        SessionMaterial.objects.filter(session__in=sessions).values_list(
            "movement_id", "equipment_id"
        )
    )
    materials = material_used(
        [movement for movement, _ in links],
        measured_ids=[movement for movement, item in links if item is not None],
    )
    hours = _participant_hours(sessions, run)

    def per_hour(value: Decimal) -> Decimal | None:
        return (value / hours).quantize(Decimal("0.001")) if hours else None

    for entry in materials:
        entry["per_hour"] = per_hour(Decimal(entry["quantity"]))
    return {
        "run": run,
        "sessions": rows,
        "energy": energy_total,
        "materials": materials,
        "participant_hours": hours.quantize(Decimal("0.1")),
        "energy_per_hour": per_hour(energy_total),
    }


def term_resources(school_ids, *, start: dt.date, end: dt.date) -> list[dict]:
    """run_resources for every run of the schools with a session in [start, end]."""
    runs = (
        CourseRun.objects.filter(school_id__in=list(school_ids))
        .filter(
            Q(sessions__start__date__gte=start) & Q(sessions__start__date__lte=end),
        )
        .select_related("course")
        .distinct()
        .order_by("starts_at", "pk")
    )
    return [run_resources(run) for run in runs]
