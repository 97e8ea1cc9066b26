"""Inventory services: creating and editing items, and the status change."""

import pytest

from core.errors import InvalidInput
from core.models import AuditEntry
from tests.courses.planning_fixtures import make_plan
from workshops.forms import EquipmentForm
from workshops.services.equipment import create_equipment, update_equipment

pytestmark = pytest.mark.django_db


def test_create_and_update_equipment_refuse_duplicates_and_foreign_workshops():
    plan = make_plan(units=1)
    item = create_equipment(
        school=plan.school,
        actor=plan.coordinator,
        type=plan.printer,
        inventory_number="LW-3D-100",
        workshop=plan.workshop,
        manufacturer="Prusa",
    )
    assert AuditEntry.objects.filter(action="equipment.created", object_id=str(item.pk)).exists()
    with pytest.raises(InvalidInput) as err:
        create_equipment(
            school=plan.school, actor=None, type=plan.printer, inventory_number="LW-3D-100"
        )
    assert err.value.field == "inventory_number"
    other = make_plan(units=0)
    with pytest.raises(InvalidInput) as err:
        update_equipment(
            equipment=item,
            actor=None,
            **{**EquipmentForm.initial_for(item), "workshop": other.workshop},
        )
    assert err.value.field == "workshop"
    item.refresh_from_db()
    assert item.workshop == plan.workshop
