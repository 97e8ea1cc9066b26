"""Teaching hours, defined once: the certificate (PDF and Open Badge), the ÜLU report, the chamber
API and the MOOChub feed all count them here, so the same attendance shows the same hours
everywhere.

The hours of a run are the clock time of its scheduled sessions (what actually takes place), not
the catalogue's planning figure `Course.hours`, which is only the fallback for a run without
sessions. A participant's hours are the minutes recorded present, capped at each session's length.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .models import Attendance, CourseRun, Session

HUNDREDTH = Decimal("0.01")


def session_minutes(session: Session) -> int:
    return int((session.end - session.start).total_seconds() // 60)


def present_minutes(*, session: Session, status: str, minutes: int | None) -> int:
    """Minutes one attendance record counts: the whole session when present without a figure,
    the recorded minutes (at most the session) otherwise; absent or excused counts nothing."""
    if status != Attendance.Status.PRESENT:
        return 0
    full = session_minutes(session)
    return full if minutes is None else min(minutes, full)


def as_hours(minutes: float) -> Decimal:
    """Minutes as hours with two decimals (7 h 20 min → 7.33)."""
    return (Decimal(minutes) / 60).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def scheduled_sessions(run: CourseRun) -> list[Session]:
    """The sessions that count; uses a `scheduled_sessions` prefetch when the caller made one."""
    prefetched = getattr(run, "scheduled_sessions_list", None)
    if prefetched is not None:
        return prefetched
    return list(run.sessions.filter(status=Session.Status.SCHEDULED).order_by("start"))


def run_hours(run: CourseRun, sessions: Iterable[Session] | None = None) -> Decimal:
    """The teaching hours of a run: its scheduled sessions, or the course's figure without any."""
    sessions = list(scheduled_sessions(run) if sessions is None else sessions)
    if not sessions:
        return Decimal(run.course.hours).quantize(HUNDREDTH)
    return as_hours(sum(session_minutes(s) for s in sessions))


def hours_per_day(run: CourseRun, sessions: Iterable[Session] | None = None) -> Decimal:
    """Average teaching hours on a day the run meets (MOOChub's workload is per day)."""
    sessions = list(scheduled_sessions(run) if sessions is None else sessions)
    days = {timezone.localdate(s.start) for s in sessions}
    if not days:
        return run_hours(run, sessions)
    return as_hours(sum(session_minutes(s) for s in sessions) / len(days))
