"""Domain errors of the workshops app (equipment, reservations, maintenance)."""

from core.errors import DomainError


class ReservationConflict(DomainError):
    """An active reservation of the same item overlaps; `other` is that reservation."""

    status = 409
    code = "reservation_conflict"

    def __init__(self, message, *, other=None, **kwargs):
        super().__init__(message, **kwargs)
        self.other = other


class EquipmentUnavailable(DomainError):
    """The item is in maintenance, defective or retired and cannot be reserved."""

    status = 409
    code = "equipment_unavailable"
