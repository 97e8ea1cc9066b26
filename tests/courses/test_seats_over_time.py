"""Seats and reservations follow the time of each session: equipment counts for a session when
it is not reserved elsewhere then and not out of service then (an item in maintenance until next
week counts for a course in three weeks; one lent out during a session does not). Raising the
capacity reserves further units for every session, or refuses naming the session that lacks
them."""

import pytest

from courses.errors import NotEnoughEquipment
from courses.models import CourseRun, SessionReservation
from courses.selectors import seats_of
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.timeutils import day_at
from workshops.models import EquipmentReservation
from workshops.services import reserve_external, set_equipment_status

pytestmark = pytest.mark.django_db


def _plan(units=3, capacity=3):
    plan = make_plan(units=units, capacity=capacity, per_unit=1)
    for day in (21, 28):
        planning.add_session(
            run=plan.run, start=day_at(day, 8), end=day_at(day, 12), actor=plan.coordinator
        )
    return plan


def _units(session) -> int:
    return SessionReservation.objects.filter(session=session, reservation__is_active=True).count()


def test_item_back_from_maintenance_before_the_run_counts():
    plan = _plan()
    set_equipment_status(
        equipment=plan.printers[0],
        status="maintenance",
        actor=plan.coordinator,
        until=day_at(7, 8),
    )
    assert seats_of(plan.run) == 3
    # Without an expected end the item is out of service for every session.
    set_equipment_status(equipment=plan.printers[1], status="defective", actor=plan.coordinator)
    assert seats_of(plan.run) == 2


def test_item_lent_out_during_one_session_takes_its_seat():
    plan = _plan(units=4, capacity=3)  # three units reserved per session, one spare
    assert seats_of(plan.run) == 3
    spare = plan.printers[3]
    reserve_external(
        equipment=spare,
        start=day_at(28, 7),
        end=day_at(28, 18),
        actor=plan.coordinator,
        purpose="Ausleihe Tischlerei",
    )
    CourseRun.objects.filter(pk=plan.run.pk).update(capacity=4)
    plan.run.refresh_from_db()
    # Four units, but during the second session one is lent out: three seats.
    assert seats_of(plan.run) == 3


def test_sessions_reserve_an_item_that_is_back_by_then():
    plan = make_plan(units=3, capacity=3, per_unit=1)
    set_equipment_status(
        equipment=plan.printers[0], status="maintenance", actor=plan.coordinator, until=day_at(7)
    )
    session = planning.add_session(
        run=plan.run, start=day_at(21, 8), end=day_at(21, 12), actor=plan.coordinator
    )
    assert _units(session) == 3


def test_raising_capacity_reserves_more_units_for_every_session():
    plan = _plan(units=5, capacity=2)
    first, second = plan.run.sessions.order_by("start")
    assert (_units(first), _units(second)) == (2, 2)
    planning.update_run(run=plan.run, actor=plan.coordinator, capacity=4)
    assert (_units(first), _units(second)) == (4, 4)


def test_raising_capacity_refuses_naming_the_session_short_of_equipment():
    plan = _plan(units=4, capacity=2)
    first, second = plan.run.sessions.order_by("start")
    reserve_external(
        equipment=plan.printers[3],
        start=day_at(28, 7),
        end=day_at(28, 18),
        actor=plan.coordinator,
        purpose="Ausleihe",
    )
    with pytest.raises(NotEnoughEquipment) as err:
        planning.update_run(run=plan.run, actor=plan.coordinator, capacity=4)
    assert day_at(28).strftime("%d.%m.%Y") in err.value.message
    plan.run.refresh_from_db()
    assert plan.run.capacity == 2
    assert (_units(first), _units(second)) == (2, 2)
    assert EquipmentReservation.objects.filter(is_active=True).count() == 5
