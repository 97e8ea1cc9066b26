"""External reservations: conflicts named, bad input and broken items refused."""

import pytest

from core.errors import InvalidInput
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import EquipmentFactory
from tests.timeutils import day_at
from workshops.errors import EquipmentUnavailable, ReservationConflict
from workshops.models import Equipment, EquipmentReservation
from workshops.services.equipment import set_equipment_status
from workshops.services.reservations import reserve_external

pytestmark = pytest.mark.django_db


def test_external_reservation_conflicts_with_a_session_and_names_it():
    plan = make_plan(units=6)
    planning.add_session(
        run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=plan.coordinator
    )
    with pytest.raises(ReservationConflict) as err:
        reserve_external(
            equipment=plan.printers[0],
            start=day_at(30, 11),
            end=day_at(30, 15),
            actor=plan.coordinator,
            purpose="Ausleihe Tischlerei",
        )
    assert plan.run.course.title in err.value.message
    assert plan.printers[0].inventory_number in err.value.message
    # afterwards it is free again
    reservation = reserve_external(
        equipment=plan.printers[0],
        start=day_at(30, 12),
        end=day_at(30, 15),
        actor=plan.coordinator,
        purpose="Ausleihe Tischlerei",
    )
    assert reservation.kind == "external"


def test_external_reservation_bad_input_and_broken_items_are_refused():
    item = EquipmentFactory()
    with pytest.raises(InvalidInput, match="Ende"):
        reserve_external(
            equipment=item, start=day_at(3, 12), end=day_at(3, 8), actor=None, purpose="x"
        )
    with pytest.raises(InvalidInput, match="Zukunft"):
        reserve_external(
            equipment=item, start=day_at(-3, 8), end=day_at(-3, 12), actor=None, purpose="x"
        )
    with pytest.raises(InvalidInput, match="Zweck"):
        reserve_external(
            equipment=item, start=day_at(3, 8), end=day_at(3, 12), actor=None, purpose=" "
        )
    set_equipment_status(equipment=item, status=Equipment.Status.DEFECTIVE, actor=None, note="Düse")
    with pytest.raises(EquipmentUnavailable):
        reserve_external(
            equipment=item, start=day_at(3, 8), end=day_at(3, 12), actor=None, purpose="Ausleihe"
        )
    assert not EquipmentReservation.objects.exists()
    item.refresh_from_db()
    assert "Düse" in item.notes
