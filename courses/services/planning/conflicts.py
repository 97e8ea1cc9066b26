"""Conflicts: the same workshop, the same instructor or the same equipment item in overlapping
sessions, named in the message (course, time, room).

They are checked inside the writing transaction so that the message can name the other session.
On PostgreSQL the database holds the rule too (exclusion constraints, migrations courses 0003 and
workshops 0003): of two coordinators saving at the same moment, the loser's INSERT waits for the
winner's commit and then fails; `db_conflict` turns that IntegrityError into the same
SessionConflict."""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError
from django.db.models import Q
from django.utils.translation import gettext as _

from workshops.models import EquipmentReservation
from workshops.services import constraint_name, format_range

from ...errors import SessionConflict
from ...models import Session, SessionReservation
from .checks import MAX_SESSION_LENGTH

SESSION_CONSTRAINTS = {
    "session_no_workshop_overlap": "workshop",
    "session_no_instructor_overlap": "instructor",
}


def describe_session(session: Session) -> str:
    """Course, time and room of a session, as the conflict messages name it."""
    return _("„%(course)s“ am %(when)s in %(room)s") % {
        "course": session.run.course.title,
        "when": format_range(session.start, session.end),
        "room": session.workshop,
    }


# What a conflict message names (course, time, room, person): only these columns are loaded, so
# naming the clash costs little more than finding it.
NAMED_FIELDS = (
    "start",
    "end",
    "workshop_id",
    "instructor_id",
    "run__course__title",
    "workshop__name",
    "workshop__room",
    "instructor__first_name",
    "instructor__last_name",
    "instructor__email",
)


def _session_qs():
    return Session.objects.select_related("run__course", "workshop", "instructor").only(
        *NAMED_FIELDS
    )


def _conflict(kind: str, other: Session) -> SessionConflict:
    if kind == "workshop":
        text = _("Die Lernwerkstatt ist zu dieser Zeit belegt: %(other)s.")
        field = "workshop"
    else:
        text = _("%(person)s ist zu dieser Zeit schon eingeplant: %(other)s.")
        field = "instructor"
    message = text % {"other": describe_session(other), "person": other.instructor}
    return SessionConflict(message, field=field, other_session=other.pk)


def reservation_conflict(other: EquipmentReservation | None) -> SessionConflict:
    """Name the session that holds the item, or the external reservation."""
    if other is None:
        return SessionConflict(_("Ein benötigtes Gerät ist zu dieser Zeit schon reserviert."))
    link = (
        SessionReservation.objects.select_related(
            "session__run__course", "session__workshop", "session__instructor"
        )
        .filter(reservation=other)
        .first()
    )
    if link is not None:
        message = _("Gerät %(item)s ist zu dieser Zeit schon reserviert für %(other)s.") % {
            "item": other.equipment.inventory_number,
            "other": describe_session(link.session),
        }
        return SessionConflict(message, field="equipment", other_session=link.session_id)
    message = _("Gerät %(item)s ist zu dieser Zeit schon verliehen: %(what)s, %(when)s.") % {
        "item": other.equipment.inventory_number,
        "what": other.purpose or other.get_kind_display(),
        "when": format_range(other.start, other.end),
    }
    return SessionConflict(message, field="equipment", other_reservation=other.pk)


def find_conflict(
    *,
    start: dt.datetime,
    end: dt.datetime,
    workshop_id: int | None,
    instructor_id: int | None,
    exclude_ids: Iterable[int] = (),
) -> SessionConflict | None:
    """The first scheduled session overlapping [start, end) in the same workshop or with the
    same instructor, as the error to raise (None when free). One indexed query, and a second
    only to name the session that clashes."""
    clash = Q(workshop_id=workshop_id)
    if instructor_id:
        clash |= Q(instructor_id=instructor_id)
    # Only ids first: most checks find nothing, and a narrow query compiles and runs fast; the
    # full row (course, room, instructor) is loaded for the message only when there is a clash.
    hit = (
        Session.objects.filter(
            clash,
            status=Session.Status.SCHEDULED,
            start__lt=end,
            end__gt=start,
            # Sessions last at most MAX_SESSION_LENGTH, so this bound lets the (workshop, start)
            # and (instructor, start) indexes read a few rows instead of all earlier ones.
            start__gt=start - MAX_SESSION_LENGTH,
        )
        .exclude(pk__in=list(exclude_ids))
        .order_by("start")
        .values_list("pk", flat=True)
        .first()
    )
    if hit is None:
        return None
    other = _session_qs().get(pk=hit)
    return _conflict("workshop" if other.workshop_id == workshop_id else "instructor", other)


def check_session_conflicts(
    *,
    start: dt.datetime,
    end: dt.datetime,
    workshop_id: int | None,
    instructor_id: int | None,
    exclude_ids: Iterable[int] = (),
) -> None:
    error = find_conflict(
        start=start,
        end=end,
        workshop_id=workshop_id,
        instructor_id=instructor_id,
        exclude_ids=exclude_ids,
    )
    if error is not None:
        raise error


def db_conflict(
    exc: IntegrityError,
    *,
    start: dt.datetime,
    end: dt.datetime,
    workshop_id: int | None,
    instructor_id: int | None,
    exclude_ids: Iterable[int] = (),
) -> SessionConflict | None:
    """Turn an exclusion violation (PostgreSQL) into the SessionConflict naming the winner
    (None: the IntegrityError is something else and is raised as it is)."""
    kind = SESSION_CONSTRAINTS.get(constraint_name(exc))
    if kind is None:
        return None
    other = (
        _session_qs()
        .filter(
            Q(workshop_id=workshop_id) if kind == "workshop" else Q(instructor_id=instructor_id),
            status=Session.Status.SCHEDULED,
            start__lt=end,
            end__gt=start,
        )
        .exclude(pk__in=list(exclude_ids))
        .first()
    )
    if other is None:
        return SessionConflict(_("Ein anderer Termin wurde gerade zur selben Zeit gespeichert."))
    return _conflict(kind, other)
