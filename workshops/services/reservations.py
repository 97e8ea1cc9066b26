"""Reservations of equipment: for course sessions (courses.services.planning reserves through
reserve_items) and external ones (a business borrows the laser cutter on a Saturday).

Reservations of one item never overlap. On PostgreSQL an exclusion constraint
(`reservation_no_overlap`, migration 0002) refuses the loser of a race; everywhere the service
checks first inside its transaction so that the message can name the other reservation."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.formatting import iso, local_date, local_time

from ..errors import EquipmentUnavailable, ReservationConflict
from ..models import Equipment, EquipmentReservation, Workshop, usable_during

RESERVATION_CONSTRAINT = "reservation_no_overlap"


def constraint_name(exc: IntegrityError) -> str:
    """The name of the violated constraint (PostgreSQL reports it; SQLite does not)."""
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None) if diag is not None else None
    return name or ""


def format_range(start: dt.datetime, end: dt.datetime) -> str:
    if timezone.localtime(start).date() == timezone.localtime(end).date():
        return f"{local_date(start)} {local_time(start)}–{local_time(end)}"
    return f"{local_date(start)} {local_time(start)} – {local_date(end)} {local_time(end)}"


def describe_reservation(reservation: EquipmentReservation) -> str:
    what = reservation.purpose or reservation.get_kind_display()
    return _("%(item)s ist bereits reserviert: %(what)s, %(when)s") % {
        "item": reservation.equipment.inventory_number,
        "what": what,
        "when": format_range(reservation.start, reservation.end),
    }


def _validate_range(start, end):
    if start is None or end is None:
        raise InvalidInput(_("Bitte Beginn und Ende angeben."), field="start")
    if end <= start:
        raise InvalidInput(_("Das Ende muss nach dem Beginn liegen."), field="end")


def overlapping_reservations(*, equipment_ids, start, end, exclude_ids=()):
    return (
        EquipmentReservation.objects.filter(
            equipment_id__in=list(equipment_ids), is_active=True, start__lt=end, end__gt=start
        )
        .exclude(pk__in=list(exclude_ids))
        .select_related("equipment")
        .order_by("start")
    )


def free_units(*, equipment_type_id: int, workshop: Workshop, start, end, exclude_ids=()):
    """Items of a type in a workshop usable in [start, end) (their status then, not today's)
    that have no active reservation overlapping."""
    busy = EquipmentReservation.objects.filter(
        is_active=True, start__lt=end, end__gt=start
    ).exclude(pk__in=list(exclude_ids))
    return (
        Equipment.objects.filter(usable_during(start, end))
        .filter(type_id=equipment_type_id, workshop=workshop)
        .exclude(pk__in=busy.values("equipment_id"))
        .order_by("inventory_number")
    )


def _insert_reservation(
    *, equipment: Equipment, start, end, kind: str, purpose: str, reserved_by
) -> EquipmentReservation:
    """Insert inside a savepoint so that an exclusion violation on PostgreSQL leaves the caller's
    transaction usable; the violation becomes ReservationConflict naming the winner."""
    try:
        with transaction.atomic():
            return EquipmentReservation.objects.create(
                equipment=equipment,
                start=start,
                end=end,
                kind=kind,
                purpose=purpose,
                reserved_by=reserved_by,
            )
    except IntegrityError as exc:
        if constraint_name(exc) != RESERVATION_CONSTRAINT:
            raise
        other = overlapping_reservations(equipment_ids=[equipment.pk], start=start, end=end).first()
        message = (
            describe_reservation(other)
            if other
            else _("Das Gerät wurde gerade für diese Zeit reserviert.")
        )
        raise ReservationConflict(message, field="equipment", other=other) from exc


def reserve_items(
    *, items, start, end, actor, kind: str, purpose: str = "", exclude_ids=()
) -> list[EquipmentReservation]:
    """Reserve each item for [start, end). Call inside the caller's transaction."""
    _validate_range(start, end)
    items = list(items)
    for item in items:
        if not item.is_usable_during(start, end):
            raise EquipmentUnavailable(
                _("%(item)s ist nicht einsatzbereit (%(status)s).")
                % {"item": item.inventory_number, "status": item.get_status_display()},
                field="equipment",
            )
    other = overlapping_reservations(
        equipment_ids=[i.pk for i in items], start=start, end=end, exclude_ids=exclude_ids
    ).first()
    if other is not None:
        raise ReservationConflict(describe_reservation(other), field="equipment", other=other)
    return [
        _insert_reservation(
            equipment=item,
            start=start,
            end=end,
            kind=kind,
            purpose=purpose[:200],
            reserved_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for item in items
    ]


@transaction.atomic
def reserve_external(
    *, equipment: Equipment, start: dt.datetime, end: dt.datetime, actor, purpose: str
) -> EquipmentReservation:
    """A reservation outside courses, e.g. a business borrows the laser cutter on a Saturday."""
    _validate_range(start, end)
    if not purpose.strip():
        raise InvalidInput(_("Bitte den Zweck angeben."), field="purpose")
    if start < timezone.now():
        raise InvalidInput(_("Eine Reservierung muss in der Zukunft liegen."), field="start")
    # Lock the item: reservations of one item are serialised, the constraint is the last word.
    # Its status is read fresh under the lock (it may have broken since the page was shown).
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    (reservation,) = reserve_items(
        items=[equipment],
        start=start,
        end=end,
        actor=actor,
        kind=EquipmentReservation.Kind.EXTERNAL,
        purpose=purpose,
    )
    audit(
        actor=actor,
        action="reservation.created",
        obj=reservation,
        start=iso(start),
        end=iso(end),
        purpose=purpose,
    )
    return reservation


@transaction.atomic
def cancel_reservation(*, reservation: EquipmentReservation, actor) -> EquipmentReservation:
    reservation.is_active = False
    reservation.save(update_fields=["is_active", "updated_at"])
    audit(actor=actor, action="reservation.cancelled", obj=reservation)
    return reservation
