"""Input checks the planning services share, and UNSET for the fields an update leaves alone."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.errors import InvalidInput
from core.formatting import local_datetime
from core.validators import MAX_SEATS
from people.models import Membership, User

from ...errors import InvalidRunTransition
from ...models import CourseRun, Enrolment

MAX_SESSION_LENGTH = dt.timedelta(hours=24)
# How far ahead a run or session is planned at most; a year typed as 2206 instead of 2026 is a
# typing error, not a plan.
MAX_PLANNING_AHEAD = dt.timedelta(days=10 * 366)
# A date typed as "today" for something that began this morning is still plausible.
PAST_TOLERANCE = dt.timedelta(days=1)
# Booking that opened a little while ago is simply open now; a month back is a typing error.
PAST_OPENING = dt.timedelta(days=30)

RUN_DATE_LABELS = {
    "booking_opens_at": gettext_lazy("Der Buchungsbeginn"),
    "booking_closes_at": gettext_lazy("Das Buchungsende"),
    "cancellation_deadline": gettext_lazy("Die Stornierungsfrist"),
}


class Unset:
    """The default of an update's keyword arguments: the caller did not pass the field, so it
    keeps its value (None is a value, e.g. "no instructor")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


def passed(**values) -> dict:
    """The keyword arguments the caller did pass."""
    return {name: value for name, value in values.items() if value is not UNSET}


def require(value, field: str, message: str) -> None:
    if value is None or value == "":
        raise InvalidInput(message, field=field)


def check_instructor(school_id: int, instructor: User | None) -> None:
    """An instructor of a run or session teaches (or coordinates) at its school."""
    if instructor is None:
        return
    ok = Membership.objects.filter(
        user=instructor,
        school_id=school_id,
        role__in=[Membership.Role.INSTRUCTOR, Membership.Role.COORDINATOR],
    ).exists()
    if not ok:
        raise InvalidInput(
            _("%(person)s unterrichtet nicht an dieser Schule.") % {"person": instructor},
            field="instructor",
        )


def check_not_far_ahead(value: dt.datetime, field: str, *, now: dt.datetime) -> None:
    if value > now + MAX_PLANNING_AHEAD:
        raise InvalidInput(
            _("Das Datum %(date)s liegt mehr als zehn Jahre in der Zukunft; bitte prüfen.")
            % {"date": local_datetime(value)},
            field=field,
        )


def check_run_plausible(
    *, run: CourseRun | None, values: dict, now: dt.datetime | None = None
) -> None:
    """What a run's form and every other caller of the planning service are refused: a capacity
    above MAX_SEATS or the workshop's seats, or below the confirmed bookings (named with their
    number); booking dates or the cancellation deadline set in the past or years ahead. Dates
    are checked only when new or changed, so a published run whose booking opened last month
    can still be edited."""
    now = now or timezone.now()
    capacity, workshop = int(values["capacity"]), values["workshop"]
    if capacity > MAX_SEATS:
        raise InvalidInput(
            _("Die Kapazität darf höchstens %(max)s betragen.") % {"max": MAX_SEATS},
            field="capacity",
        )
    if capacity > workshop.seats:
        raise InvalidInput(
            ngettext(
                "„%(room)s“ hat nur %(seats)s Platz.",
                "„%(room)s“ hat nur %(seats)s Plätze.",
                workshop.seats,
            )
            % {"room": workshop, "seats": workshop.seats},
            field="capacity",
        )
    if run is not None and run.pk is not None:
        confirmed = run.enrolments.filter(status=Enrolment.Status.CONFIRMED).count()
        if capacity < confirmed:
            raise InvalidInput(
                ngettext(
                    "Es ist schon %(n)s Person fest angemeldet; die Kapazität kann nicht unter "
                    "%(n)s sinken. Bitte zuerst umbuchen oder stornieren.",
                    "Es sind schon %(n)s Personen fest angemeldet; die Kapazität kann nicht "
                    "unter %(n)s sinken. Bitte zuerst umbuchen oder stornieren.",
                    confirmed,
                )
                % {"n": confirmed},
                field="capacity",
            )
    for field, label in RUN_DATE_LABELS.items():
        value = values.get(field)
        if value is None or (run is not None and getattr(run, field) == value):
            continue
        check_not_far_ahead(value, field, now=now)
        past_limit = {
            "booking_opens_at": now - PAST_OPENING,
            "booking_closes_at": now,
        }.get(field, now - PAST_TOLERANCE)
        if value < past_limit:
            raise InvalidInput(
                _("%(what)s %(date)s liegt in der Vergangenheit.")
                % {"what": label, "date": local_datetime(value)},
                field=field,
            )


def check_session_dates(
    start: dt.datetime,
    *,
    before: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> None:
    """A new or moved session starts neither in the past nor years ahead (an unchanged start of
    a session that has taken place stays as it is)."""
    if before is not None and start == before:
        return
    now = now or timezone.now()
    check_not_far_ahead(start, "start", now=now)
    if start < now - PAST_TOLERANCE:
        raise InvalidInput(
            _("Der Beginn %(date)s liegt in der Vergangenheit.") % {"date": local_datetime(start)},
            field="start",
        )


def validate_times(start: dt.datetime | None, end: dt.datetime | None) -> None:
    if start is None:
        raise InvalidInput(_("Bitte den Beginn angeben."), field="start")
    if end is None:
        raise InvalidInput(_("Bitte das Ende angeben."), field="end")
    if end <= start:
        raise InvalidInput(_("Das Ende muss nach dem Beginn liegen."), field="end")
    if end - start > MAX_SESSION_LENGTH:
        raise InvalidInput(_("Ein Termin darf höchstens 24 Stunden dauern."), field="end")


def check_run_open_for_planning(run: CourseRun) -> None:
    if run.status in CourseRun.Status.ENDED:
        raise InvalidRunTransition(
            _("Die Kursdurchführung ist %(status)s und kann nicht mehr geplant werden.")
            % {"status": run.get_status_display()}
        )
