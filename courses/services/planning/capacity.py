"""More seats need more equipment: when a run's capacity is raised, every session still ahead
gets the further units of each type the course needs, or the change is refused naming the
session that lacks them (the caller's transaction rolls back the whole change)."""

import datetime as dt
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import User
from workshops.models import EquipmentReservation
from workshops.services import free_units

from ...errors import NotEnoughEquipment
from ...models import CourseEquipment, CourseRun, Session
from .conflicts import describe_session
from .sessions import reserve_items_for_session, units_needed


def reserve_for_capacity(
    *, run: CourseRun, actor: User | None, now: dt.datetime | None = None
) -> int:
    """Top up the reservations of the run's scheduled sessions that have not ended to the units
    its capacity needs (within each session's room). Call inside the caller's transaction, with
    the run locked. Returns the number of units reserved."""
    now = now or timezone.now()
    needs = list(
        CourseEquipment.objects.filter(course_id=run.course_id).select_related("equipment_type")
    )
    if not needs:
        return 0
    sessions = (
        Session.objects.filter(run=run, status=Session.Status.SCHEDULED, end__gt=now)
        .select_related("workshop", "run__course")
        .order_by("start")
    )
    reserved = 0
    for session in sessions:
        seats = min(run.capacity, session.workshop.seats)
        held = Counter(
            EquipmentReservation.objects.filter(
                session_link__session=session, is_active=True
            ).values_list("equipment__type_id", flat=True)
        )
        items = []
        for need in needs:
            etype = need.equipment_type
            wanted = units_needed(seats, etype.participants_per_unit)
            short = wanted - held[etype.pk]
            if short <= 0:
                continue
            candidates = list(
                free_units(
                    equipment_type_id=etype.pk,
                    workshop=session.workshop,
                    start=session.start,
                    end=session.end,
                )[:short]
            )
            if len(candidates) < short:
                raise NotEnoughEquipment(
                    _(
                        "Für %(session)s fehlen Geräte: %(type)s benötigt %(wanted)s, "
                        "reserviert %(held)s, frei %(free)s."
                    )
                    % {
                        "session": describe_session(session),
                        "type": etype.name,
                        "wanted": wanted,
                        "held": held[etype.pk],
                        "free": len(candidates),
                    },
                    field="capacity",
                    other_session=session.pk,
                )
            items.extend(candidates)
        if items:
            reserve_items_for_session(session=session, items=items, actor=actor)
            reserved += len(items)
    return reserved
