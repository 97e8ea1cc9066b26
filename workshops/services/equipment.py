"""The inventory: creating and editing items, and their status (an item that stops working hands
its future course reservations to a free unit of the same type)."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.formatting import iso, local_date
from people.models import School

from ..models import Equipment, EquipmentReservation, EquipmentType, Workshop
from .reservations import free_units

# What the edit form changes; the audit entry of an edit names these.
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


def _check_equipment(
    *, school: School, workshop: Workshop | None, operating_hours, inventory_number: str
) -> None:
    if workshop is not None and workshop.school_id != school.pk:
        raise InvalidInput(_("Die Lernwerkstatt gehört nicht zu dieser Schule."), field="workshop")
    if operating_hours is not None and Decimal(operating_hours) < 0:
        raise InvalidInput(_("Betriebsstunden dürfen nicht negativ sein."), field="operating_hours")
    if inventory_number is not None and not str(inventory_number).strip():
        raise InvalidInput(_("Bitte eine Inventarnummer angeben."), field="inventory_number")


@transaction.atomic
def create_equipment(
    *,
    school: School,
    actor,
    type: EquipmentType,
    inventory_number: str,
    workshop: Workshop | None = None,
    name: str = "",
    serial_number: str = "",
    manufacturer: str = "",
    model: str = "",
    purchase_date: dt.date | None = None,
    operating_hours: Decimal = Decimal("0"),
    notes: str = "",
) -> Equipment:
    _check_equipment(
        school=school,
        workshop=workshop,
        operating_hours=operating_hours,
        inventory_number=inventory_number,
    )
    if Equipment.objects.filter(inventory_number=inventory_number).exists():
        raise InvalidInput(_("Diese Inventarnummer ist schon vergeben."), field="inventory_number")
    item = Equipment.objects.create(
        school=school,
        type=type,
        inventory_number=inventory_number,
        workshop=workshop,
        name=name,
        serial_number=serial_number,
        manufacturer=manufacturer,
        model=model,
        purchase_date=purchase_date,
        operating_hours=operating_hours,
        notes=notes,
    )
    audit(actor=actor, action="equipment.created", obj=item, inventory_number=inventory_number)
    return item


@transaction.atomic
def update_equipment(
    *,
    equipment: Equipment,
    actor,
    type: EquipmentType,
    inventory_number: str,
    workshop: Workshop | None,
    name: str,
    serial_number: str,
    manufacturer: str,
    model: str,
    purchase_date: dt.date | None,
    operating_hours: Decimal,
    notes: str,
) -> Equipment:
    """Store the whole record as the edit form shows it (the school stays; status has its own
    service)."""
    _check_equipment(
        school=equipment.school,
        workshop=workshop,
        operating_hours=operating_hours,
        inventory_number=inventory_number,
    )
    if (
        inventory_number
        and Equipment.objects.filter(inventory_number=inventory_number)
        .exclude(pk=equipment.pk)
        .exists()
    ):
        raise InvalidInput(_("Diese Inventarnummer ist schon vergeben."), field="inventory_number")
    equipment.type = type
    equipment.inventory_number = inventory_number
    equipment.workshop = workshop
    equipment.name = name
    equipment.serial_number = serial_number
    equipment.manufacturer = manufacturer
    equipment.model = model
    equipment.purchase_date = purchase_date
    equipment.operating_hours = operating_hours
    equipment.notes = notes
    equipment.save()
    audit(actor=actor, action="equipment.updated", obj=equipment, fields=sorted(EQUIPMENT_FIELDS))
    return equipment


@transaction.atomic
def set_equipment_status(
    *,
    equipment: Equipment,
    status: str,
    actor,
    note: str = "",
    until: dt.datetime | None = None,
) -> Equipment:
    """Change the status. Maintenance or defective may carry an expected end (`until`): sessions
    after it count on the item again. When an item stops working, its course-session
    reservations in the time it is out move to a free unit of the same type in the same workshop
    where one exists (`equipment.moved_reservations`, `equipment.stranded_reservations` tell the
    caller what happened); the rest stay, and the run's seat warning shows the shortfall."""
    if status not in Equipment.Status.values:
        raise InvalidInput(_("Unbekannter Status."), field="status")
    if until is not None and status not in Equipment.Status.OUT_OF_SERVICE:
        until = None  # only a time out of service has an end
    if until is not None and until <= timezone.now():
        raise InvalidInput(_("Das erwartete Ende muss in der Zukunft liegen."), field="until")
    # Lock the row and read the stored status; the caller's instance gets the change too.
    old = (
        Equipment.objects.select_for_update().values_list("status", flat=True).get(pk=equipment.pk)
    )
    equipment.status = status
    equipment.out_of_service_until = until
    if note:
        stamp = local_date(timezone.localdate())
        equipment.notes = (equipment.notes + "\n" if equipment.notes else "") + f"{stamp}: {note}"
    equipment.save(update_fields=["status", "out_of_service_until", "notes", "updated_at"])
    moved, stranded = 0, 0
    if status != Equipment.Status.AVAILABLE:
        moved, stranded = _move_future_session_reservations(equipment, until=until)
    equipment.moved_reservations, equipment.stranded_reservations = moved, stranded
    audit(
        actor=actor,
        action="equipment.status_changed",
        obj=equipment,
        old=old,
        new=status,
        until=iso(until),
        note=note,
        moved_reservations=moved,
        stranded_reservations=stranded,
    )
    return equipment


def _move_future_session_reservations(
    equipment: Equipment, *, until: dt.datetime | None
) -> tuple[int, int]:
    moved = stranded = 0
    future = EquipmentReservation.objects.filter(
        equipment=equipment,
        is_active=True,
        kind=EquipmentReservation.Kind.SESSION,
        start__gt=timezone.now(),
    ).order_by("start")
    if until is not None:  # sessions after the expected end keep the item
        future = future.filter(start__lt=until)
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
