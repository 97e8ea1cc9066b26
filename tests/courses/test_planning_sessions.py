"""Sessions (services/planning/sessions.py): the equipment a session reserves, changing or
cancelling one session, and the input a session is refused for."""

import datetime as dt

import pytest

from core.errors import InvalidInput
from courses.models import Session
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import EquipmentFactory
from tests.timeutils import day_at
from workshops.models import EquipmentReservation

pytestmark = pytest.mark.django_db

MON = dt.date(2031, 3, 3)  # a Monday, far enough ahead for every test


def test_units_needed_follows_the_seats_not_the_capacity():
    plan = make_plan(units=6, capacity=12, per_unit=2)
    plan.workshop.seats = 7  # seats = min(12, 7, 6*2) = 7 → ceil(7/2) = 4 printers
    plan.workshop.save()
    session = planning.add_session(
        run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=plan.coordinator
    )
    assert session.session_reservations.count() == 4


def test_editing_one_session_of_a_series_leaves_the_others_alone():
    plan = make_plan()
    sessions = planning.create_series(
        run=plan.run,
        actor=plan.coordinator,
        first_date=MON,
        start_time=dt.time(8),
        end_time=dt.time(12),
        count=3,
    )
    second = sessions[1]
    moved = planning.update_session(
        session=second,
        actor=plan.coordinator,
        start=second.start + dt.timedelta(hours=5),
        end=second.end + dt.timedelta(hours=5),
        instructor=plan.instructor,
    )
    assert moved.sequence == 1
    assert moved.series == sessions[0].series
    for other in (sessions[0], sessions[2]):
        fresh = Session.objects.get(pk=other.pk)
        assert (fresh.start, fresh.end, fresh.sequence) == (other.start, other.end, 0)
    # the moved session's printers moved with it
    res = EquipmentReservation.objects.filter(session_link__session=moved)
    assert res.count() == 6 and all(r.start == moved.start for r in res)


def test_cancelling_a_session_bumps_sequence_frees_equipment_and_resyncs_run():
    plan = make_plan()
    first = planning.add_session(
        run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=plan.coordinator
    )
    last = planning.add_session(
        run=plan.run, start=day_at(31, 8), end=day_at(31, 12), actor=plan.coordinator
    )
    planning.cancel_session(session=last, actor=plan.coordinator)
    last.refresh_from_db()
    plan.run.refresh_from_db()
    assert last.status == Session.Status.CANCELLED and last.sequence == 1
    assert plan.run.ends_at == first.end
    assert not EquipmentReservation.objects.filter(
        session_link__session=last, is_active=True
    ).exists()
    # the freed slot can be used again
    planning.add_session(
        run=plan.run, start=day_at(31, 9), end=day_at(31, 11), actor=plan.coordinator
    )


def test_end_before_start_is_refused():
    plan = make_plan()
    with pytest.raises(InvalidInput) as err:
        planning.add_session(
            run=plan.run, start=day_at(30, 12), end=day_at(30, 8), actor=plan.coordinator
        )
    assert err.value.field == "end" and "Ende" in err.value.message
    assert not Session.objects.exists()


def test_equipment_of_another_school_is_refused():
    plan = make_plan()
    foreign = EquipmentFactory()
    with pytest.raises(InvalidInput) as err:
        planning.add_session(
            run=plan.run,
            start=day_at(30, 8),
            end=day_at(30, 12),
            actor=plan.coordinator,
            equipment=[foreign],
        )
    assert err.value.field == "equipment"
    assert not Session.objects.exists() and not EquipmentReservation.objects.exists()
