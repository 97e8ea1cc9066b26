"""Writes for equipment: inventory, status, maintenance, schedules and reservations.

Reservations of one item never overlap. On PostgreSQL an exclusion constraint
(`reservation_no_overlap`, migration 0002) refuses the loser of a race; everywhere the service
checks first inside its transaction so that the message can name the other reservation."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput

from .errors import EquipmentUnavailable, ReservationConflict
from .models import (
    Equipment,
    EquipmentReservation,
    EquipmentType,
    MaintenanceRecord,
    MaintenanceSchedule,
    Workshop,
)

RESERVATION_CONSTRAINT = "reservation_no_overlap"

EQUIPMENT_FIELDS = (
    "workshop",
    "type",
    "inventory_number",
    "name",
    "serial_number",
    "manufacturer",
    "model",
    "purchase_date",
    "operating_hours",
    "notes",
)


def constraint_name(exc: IntegrityError) -> str:
    """The name of the violated constraint (PostgreSQL reports it; SQLite does not)."""
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None) if diag is not None else None
    return name or ""


def format_range(start: dt.datetime, end: dt.datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{date_format(start, 'd.m.Y')} {start:%H:%M}–{end:%H:%M}"
    return f"{date_format(start, 'd.m.Y')} {start:%H:%M} – {date_format(end, 'd.m.Y')} {end:%H:%M}"


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


# --- inventory -------------------------------------------------------------------------------


def _check_equipment_fields(*, school, fields):
    workshop = fields.get("workshop")
    if workshop is not None and workshop.school_id != school.pk:
        raise InvalidInput(_("Die Lernwerkstatt gehört nicht zu dieser Schule."), field="workshop")
    hours = fields.get("operating_hours")
    if hours is not None and Decimal(hours) < 0:
        raise InvalidInput(_("Betriebsstunden dürfen nicht negativ sein."), field="operating_hours")
    number = fields.get("inventory_number")
    if number is not None and not str(number).strip():
        raise InvalidInput(_("Bitte eine Inventarnummer angeben."), field="inventory_number")


@transaction.atomic
def create_equipment(
    *, school, actor, type: EquipmentType, inventory_number: str, **fields
) -> Equipment:
    fields = {k: v for k, v in fields.items() if k in EQUIPMENT_FIELDS}
    _check_equipment_fields(school=school, fields={**fields, "inventory_number": inventory_number})
    if Equipment.objects.filter(inventory_number=inventory_number).exists():
        raise InvalidInput(_("Diese Inventarnummer ist schon vergeben."), field="inventory_number")
    item = Equipment.objects.create(
        school=school, type=type, inventory_number=inventory_number, **fields
    )
    audit(actor=actor, action="equipment.created", obj=item, inventory_number=inventory_number)
    return item


@transaction.atomic
def update_equipment(*, equipment: Equipment, actor, **fields) -> Equipment:
    fields = {k: v for k, v in fields.items() if k in EQUIPMENT_FIELDS}
    _check_equipment_fields(school=equipment.school, fields=fields)
    number = fields.get("inventory_number")
    if (
        number
        and Equipment.objects.filter(inventory_number=number).exclude(pk=equipment.pk).exists()
    ):
        raise InvalidInput(_("Diese Inventarnummer ist schon vergeben."), field="inventory_number")
    for name, value in fields.items():
        setattr(equipment, name, value)
    equipment.save()
    audit(actor=actor, action="equipment.updated", obj=equipment, fields=sorted(fields))
    return equipment


@transaction.atomic
def set_equipment_status(*, equipment: Equipment, status: str, actor, note: str = "") -> Equipment:
    """Change the status. When an item stops working, its future reservations for course
    sessions move to a free working unit of the same type in the same workshop where one exists
    (`equipment.moved_reservations`, `equipment.stranded_reservations` tell the caller what
    happened); the rest stay, and the run's seat warning shows the shortfall."""
    if status not in Equipment.Status.values:
        raise InvalidInput(_("Unbekannter Status."), field="status")
    # Lock the row and read the stored status; the caller's instance gets the change too.
    old = (
        Equipment.objects.select_for_update().values_list("status", flat=True).get(pk=equipment.pk)
    )
    equipment.status = status
    if note:
        stamp = timezone.localdate().strftime("%d.%m.%Y")
        equipment.notes = (equipment.notes + "\n" if equipment.notes else "") + f"{stamp}: {note}"
    equipment.save(update_fields=["status", "notes", "updated_at"])
    moved, stranded = 0, 0
    if status != Equipment.Status.AVAILABLE and old == Equipment.Status.AVAILABLE:
        moved, stranded = _move_future_session_reservations(equipment)
    equipment.moved_reservations, equipment.stranded_reservations = moved, stranded
    audit(
        actor=actor,
        action="equipment.status_changed",
        obj=equipment,
        old=old,
        new=status,
        note=note,
        moved_reservations=moved,
        stranded_reservations=stranded,
    )
    return equipment


def _move_future_session_reservations(equipment: Equipment) -> tuple[int, int]:
    moved = stranded = 0
    future = EquipmentReservation.objects.filter(
        equipment=equipment,
        is_active=True,
        kind=EquipmentReservation.Kind.SESSION,
        start__gt=timezone.now(),
    ).order_by("start")
    for reservation in future:
        replacement = (
            free_units(
                equipment_type_id=equipment.type_id,
                workshop=equipment.workshop,
                start=reservation.start,
                end=reservation.end,
            )
            .exclude(pk=equipment.pk)
            .first()
            if equipment.workshop_id
            else None
        )
        if replacement is None:
            stranded += 1
            continue
        try:
            with transaction.atomic():
                reservation.equipment = replacement
                reservation.save(update_fields=["equipment", "updated_at"])
        except IntegrityError:
            stranded += 1  # taken at the same moment by someone else
            continue
        moved += 1
    return moved, stranded


# --- maintenance -----------------------------------------------------------------------------


@transaction.atomic
def record_maintenance(
    *,
    equipment: Equipment,
    actor,
    kind: str,
    performed_on: dt.date,
    performed_by_name: str = "",
    operating_hours_at: Decimal | None = None,
    cost: Decimal | None = None,
    notes: str = "",
    new_status: str | None = None,
) -> MaintenanceRecord:
    if kind not in MaintenanceRecord.Kind.values:
        raise InvalidInput(_("Unbekannte Wartungsart."), field="kind")
    if performed_on is None:
        raise InvalidInput(_("Bitte ein Datum angeben."), field="performed_on")
    if performed_on > timezone.localdate():
        raise InvalidInput(
            _("Eine Wartung kann nicht in der Zukunft liegen."), field="performed_on"
        )
    if cost is not None and cost < 0:
        raise InvalidInput(_("Kosten dürfen nicht negativ sein."), field="cost")
    if operating_hours_at is not None and operating_hours_at < 0:
        raise InvalidInput(
            _("Betriebsstunden dürfen nicht negativ sein."), field="operating_hours_at"
        )
    record = MaintenanceRecord.objects.create(
        equipment=equipment,
        kind=kind,
        performed_on=performed_on,
        performed_by=actor if getattr(actor, "is_authenticated", False) else None,
        performed_by_name=performed_by_name or (str(actor) if actor else ""),
        operating_hours_at=operating_hours_at,
        cost=cost,
        notes=notes,
    )
    # The counter only moves forward: a record with a higher reading updates the item.
    if operating_hours_at is not None and operating_hours_at > equipment.operating_hours:
        equipment.operating_hours = operating_hours_at
        equipment.save(update_fields=["operating_hours", "updated_at"])
    audit(actor=actor, action="maintenance.recorded", obj=record, kind=kind, cost=str(cost or ""))
    if new_status and new_status != equipment.status:
        set_equipment_status(equipment=equipment, status=new_status, actor=actor)
    return record


@transaction.atomic
def create_schedule(
    *,
    school,
    actor,
    equipment: Equipment | None = None,
    equipment_type: EquipmentType | None = None,
    kind: str = MaintenanceRecord.Kind.INSPECTION,
    interval_days: int | None = None,
    interval_hours: int | None = None,
    description: str = "",
) -> MaintenanceSchedule:
    if (equipment is None) == (equipment_type is None):
        raise InvalidInput(
            _("Bitte genau ein Gerät oder eine Geräteart wählen."), field="equipment"
        )
    if equipment is not None and equipment.school_id != school.pk:
        raise InvalidInput(_("Das Gerät gehört nicht zu dieser Schule."), field="equipment")
    if not interval_days and not interval_hours:
        raise InvalidInput(
            _("Bitte ein Intervall in Tagen oder Betriebsstunden angeben."), field="interval_days"
        )
    if kind not in MaintenanceRecord.Kind.values:
        raise InvalidInput(_("Unbekannte Wartungsart."), field="kind")
    schedule = MaintenanceSchedule.objects.create(
        school=school,
        equipment=equipment,
        equipment_type=equipment_type,
        kind=kind,
        interval_days=interval_days or None,
        interval_hours=interval_hours or None,
        description=description,
    )
    audit(actor=actor, action="maintenance_schedule.created", obj=schedule)
    return schedule


@transaction.atomic
def delete_schedule(*, schedule: MaintenanceSchedule, actor) -> None:
    audit(actor=actor, action="maintenance_schedule.deleted", obj=schedule)
    schedule.delete()


# --- reservations ----------------------------------------------------------------------------


def _insert_reservation(**fields) -> EquipmentReservation:
    """Insert inside a savepoint so that an exclusion violation on PostgreSQL leaves the caller's
    transaction usable; the violation becomes ReservationConflict naming the winner."""
    try:
        with transaction.atomic():
            return EquipmentReservation.objects.create(**fields)
    except IntegrityError as exc:
        if constraint_name(exc) != RESERVATION_CONSTRAINT:
            raise
        other = overlapping_reservations(
            equipment_ids=[fields["equipment"].pk], start=fields["start"], end=fields["end"]
        ).first()
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
        if item.status != Equipment.Status.AVAILABLE:
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
    *, equipment: Equipment, start, end, actor, purpose: str
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
        start=start.isoformat(),
        end=end.isoformat(),
        purpose=purpose,
    )
    return reservation


@transaction.atomic
def cancel_reservation(*, reservation: EquipmentReservation, actor) -> EquipmentReservation:
    reservation.is_active = False
    reservation.save(update_fields=["is_active", "updated_at"])
    audit(actor=actor, action="reservation.cancelled", obj=reservation)
    return reservation


def free_units(*, equipment_type_id: int, workshop: Workshop, start, end, exclude_ids=()):
    """Working items of a type in a workshop that have no active reservation overlapping."""
    busy = EquipmentReservation.objects.filter(
        is_active=True, start__lt=end, end__gt=start
    ).exclude(pk__in=list(exclude_ids))
    return (
        Equipment.objects.filter(
            type_id=equipment_type_id, workshop=workshop, status=Equipment.Status.AVAILABLE
        )
        .exclude(pk__in=busy.values("equipment_id"))
        .order_by("inventory_number")
    )
