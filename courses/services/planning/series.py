"""Series: a run's sessions every week or every day, planned all at once or not at all."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.formatting import local_date
from people.models import User
from workshops.models import Equipment, Workshop

from ...errors import SessionConflict
from ...models import CourseRun, Session
from .checks import check_run_open_for_planning, check_session_dates
from .sessions import session_target, sync_run_dates, write_session

MAX_SERIES_LENGTH = 200
WEEKLY, DAILY = "weekly", "daily"


def series_dates(
    *,
    first_date: dt.date,
    frequency: str,
    until: dt.date | None = None,
    count: int | None = None,
    skip_dates: Iterable[dt.date] = (),
) -> list[dt.date]:
    """Dates of a series: every week or every day from `first_date`, until a date (inclusive) or
    until `count` sessions exist, leaving out `skip_dates` (holidays; they do not count)."""
    if frequency not in (WEEKLY, DAILY):
        raise InvalidInput(_("Bitte „wöchentlich“ oder „täglich“ wählen."), field="frequency")
    if until is None and not count:
        raise InvalidInput(
            _("Bitte ein Enddatum oder eine Anzahl von Terminen angeben."), field="until"
        )
    if count is not None and count < 0:
        raise InvalidInput(_("Die Anzahl darf nicht negativ sein."), field="count")
    if until is not None and until < first_date:
        raise InvalidInput(_("Das Enddatum liegt vor dem ersten Termin."), field="until")
    step = dt.timedelta(days=7 if frequency == WEEKLY else 1)
    skip = set(skip_dates)
    dates: list[dt.date] = []
    day = first_date
    # Bounded walk: a series of only skipped dates must end, not loop.
    for _step in range(MAX_SERIES_LENGTH * 4):
        if until is not None and day > until:
            break
        if count and len(dates) >= count:
            break
        if day not in skip:
            dates.append(day)
        day += step
    if len(dates) > MAX_SERIES_LENGTH:
        raise InvalidInput(
            _("Eine Serie darf höchstens %(n)s Termine haben.") % {"n": MAX_SERIES_LENGTH},
            field="until",
        )
    if not dates:
        raise InvalidInput(_("Die Serie enthält keine Termine."), field="until")
    return dates


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock time on a date in the school's time zone (DST-safe per date). Not to be
    confused with core.formatting.local_datetime, which formats a datetime for people."""
    return timezone.make_aware(dt.datetime.combine(day, time))


@transaction.atomic
def create_series(
    *,
    run: CourseRun,
    actor: User | None,
    first_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    frequency: str = WEEKLY,
    until: dt.date | None = None,
    count: int | None = None,
    skip_dates: Iterable[dt.date] = (),
    workshop: Workshop | None = None,
    instructor: User | None = None,
    equipment: Iterable[Equipment] = (),
) -> list[Session]:
    """All sessions of the series or none: the first conflict rolls the whole series back and
    its message names the date and the other session."""
    if start_time is None or end_time is None:
        raise InvalidInput(_("Bitte Beginn und Ende angeben."), field="start_time")
    if end_time <= start_time:
        raise InvalidInput(_("Das Ende muss nach dem Beginn liegen."), field="end_time")
    dates = series_dates(
        first_date=first_date, frequency=frequency, until=until, count=count, skip_dates=skip_dates
    )
    if dates:  # the first and the last date bound the whole series
        check_session_dates(local_datetime(dates[0], start_time))
        check_session_dates(local_datetime(dates[-1], start_time))
    run = CourseRun.objects.select_for_update().select_related("course").get(pk=run.pk)
    check_run_open_for_planning(run)
    instructor = instructor or run.instructor
    workshop = session_target(run, workshop, instructor)
    series = uuid.uuid4()
    equipment = list(equipment)
    sessions = []
    for day in dates:
        start, end = local_datetime(day, start_time), local_datetime(day, end_time)
        try:
            session = write_session(
                run=run,
                session=None,
                start=start,
                end=end,
                workshop=workshop,
                instructor=instructor,
                equipment=equipment,
                actor=actor,
                series=series,
            )
        except SessionConflict as exc:
            exc.message = _("Termin am %(day)s: %(message)s") % {
                "day": local_date(day),
                "message": exc.message,
            }
            exc.args = (exc.message,)
            raise
        sessions.append(session)
    sync_run_dates(run)
    audit(
        actor=actor,
        action="session.series_created",
        obj=run,
        series=str(series),
        count=len(sessions),
        frequency=frequency,
    )
    return sessions
