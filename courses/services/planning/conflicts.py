"""Conflicts: the same workshop, the same instructor or the same equipment item in overlapping
sessions, named in the message (course, time, room).

They are checked inside the writing transaction so that the message can name the other session.
On PostgreSQL the database holds the rule too (exclusion constraints, migrations courses 0003 and
workshops 0003): of two coordinators saving at the same moment, the loser's INSERT waits for the
winner's commit and then fails; `db_conflict` turns that IntegrityError into the same
SessionConflict."""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, router
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.precompiled import Placeholders, Precompiled
from people.models import User
from workshops.models import EquipmentReservation, Workshop
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
    return _describe(session.run.course.title, session.start, session.end, session.workshop)


def _describe(course: str, start: dt.datetime, end: dt.datetime, room: Workshop) -> str:
    return _("„%(course)s“ am %(when)s in %(room)s") % {
        "course": course,
        "when": format_range(start, end),
        "room": room,
    }


# What a conflict message names (course, time, room, person): the clash is loaded as one row of
# these columns, and only when there is one.
NAMED_FIELDS = (
    "pk",
    "start",
    "end",
    "workshop_id",
    "run__course__title",
    "workshop__name",
    "workshop__room",
    "instructor__first_name",
    "instructor__last_name",
    "instructor__email",
)


def _conflict(kind: str, row: tuple) -> SessionConflict:
    """The error naming the clashing session, from its NAMED_FIELDS row."""
    pk, start, end, _workshop_id, title, room, room_no, first_name, last_name, email = row
    if kind == "workshop":
        text = _("Die Lernwerkstatt ist zu dieser Zeit belegt: %(other)s.")
        field = "workshop"
    else:
        text = _("%(person)s ist zu dieser Zeit schon eingeplant: %(other)s.")
        field = "instructor"
    # Unsaved instances only to reuse how a room and a person are shown (their __str__).
    other = _describe(title, start, end, Workshop(name=room, room=room_no))
    person = User(first_name=first_name, last_name=last_name, email=email)
    message = text % {"other": other, "person": person}
    return SessionConflict(message, field=field, other_session=pk)


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


def _clash_query(p: Placeholders, alias: str, shape: tuple[bool, int]) -> QuerySet:
    """The id and workshop of the first scheduled session overlapping [start, end) in the
    workshop (or with the instructor). Compiled once per database and shape (with an instructor,
    how many ids excluded): compiling costs more than the database needs to answer. Only ids:
    most checks find nothing, and joining the named tables (or reading them by subqueries) here
    would cost the database two to five times as much to plan and start, clash or not."""
    with_instructor, excluded = shape
    clash = Q(workshop_id=p.id("workshop_id"))
    if with_instructor:
        clash |= Q(instructor_id=p.id("instructor_id"))
    return (
        Session.objects.using(alias)
        .filter(
            clash,
            status=Session.Status.SCHEDULED,
            start__lt=p.datetime("end"),
            end__gt=p.datetime("start"),
            # Sessions last at most MAX_SESSION_LENGTH, so this bound lets the (workshop, start)
            # and (instructor, start) indexes read a few rows instead of all earlier ones.
            start__gt=p.datetime("earliest"),
        )
        .exclude(pk__in=[p.id(f"exclude{i}") for i in range(excluded)])
        .order_by("start")
        .values_list("pk", "workshop_id")[:1]
    )


_clash = Precompiled(_clash_query, prepared=True)
# The NAMED_FIELDS row of one session.
_named = Precompiled(
    lambda p, alias, _shape: (
        Session.objects.using(alias).filter(pk=p.id("pk")).values_list(*NAMED_FIELDS)
    ),
    prepared=True,
)


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
    exclude_ids = list(exclude_ids)
    alias = router.db_for_write(Session)
    hit = _clash.rows(
        alias,
        (bool(instructor_id), len(exclude_ids)),
        workshop_id=workshop_id,
        instructor_id=instructor_id,
        start=start,
        end=end,
        earliest=start - MAX_SESSION_LENGTH,
        **{f"exclude{i}": pk for i, pk in enumerate(exclude_ids)},
    )
    if not hit:
        return None
    pk, clash_workshop_id = hit[0]
    (row,) = _named.rows(alias, None, pk=pk)
    return _conflict("workshop" if clash_workshop_id == workshop_id else "instructor", row)


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
        Session.objects.filter(
            Q(workshop_id=workshop_id) if kind == "workshop" else Q(instructor_id=instructor_id),
            status=Session.Status.SCHEDULED,
            start__lt=end,
            end__gt=start,
        )
        .exclude(pk__in=list(exclude_ids))
        .order_by("start")
        .values_list(*NAMED_FIELDS)
        .first()
    )
    if other is None:
        return SessionConflict(_("Ein anderer Termin wurde gerade zur selben Zeit gespeichert."))
    return _conflict(kind, other)
