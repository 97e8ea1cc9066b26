"""Items with a maintenance interval and records of maintenance, for the due-date tests."""

import datetime as dt

from tests.factories import EquipmentFactory, EquipmentTypeFactory
from workshops.models import MaintenanceRecord

TODAY = dt.date(2031, 6, 1)


def due_item(workshop, *, days=90, hours=None, purchased=dt.date(2031, 1, 1), **kwargs):
    etype = EquipmentTypeFactory(maintenance_interval_days=days, maintenance_interval_hours=hours)
    return EquipmentFactory(workshop=workshop, type=etype, purchase_date=purchased, **kwargs)


def record(item, on, kind="inspection", hours=None):
    return MaintenanceRecord.objects.create(
        equipment=item, kind=kind, performed_on=on, operating_hours_at=hours
    )
