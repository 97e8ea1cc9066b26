"""Writes of workshops, one module per area: equipment (inventory and status), reservations,
maintenance (records, schedules, the daily due notice). Each service is its own transaction.

The names below are what other apps use (courses plans sessions with the reservation helpers);
they may import them from here or from the module."""

from .equipment import create_equipment, set_equipment_status, update_equipment
from .maintenance import (
    create_schedule,
    delete_schedule,
    notify_maintenance_due,
    record_maintenance,
)
from .reservations import (
    cancel_reservation,
    constraint_name,
    describe_reservation,
    format_range,
    free_units,
    overlapping_reservations,
    reserve_external,
    reserve_items,
)

__all__ = [
    "cancel_reservation",
    "constraint_name",
    "create_equipment",
    "create_schedule",
    "delete_schedule",
    "describe_reservation",
    "format_range",
    "free_units",
    "notify_maintenance_due",
    "overlapping_reservations",
    "record_maintenance",
    "reserve_external",
    "reserve_items",
    "set_equipment_status",
    "update_equipment",
]
