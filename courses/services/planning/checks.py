"""Input checks the planning services share, and UNSET for the fields an update leaves alone."""

import datetime as dt

from django.utils.translation import gettext as _

from core.errors import InvalidInput
from people.models import Membership, User

from ...errors import InvalidRunTransition
from ...models import CourseRun

MAX_SESSION_LENGTH = dt.timedelta(hours=24)


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
