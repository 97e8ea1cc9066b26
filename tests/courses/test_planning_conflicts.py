"""Conflicts (services/planning/conflicts.py): the same workshop, instructor or equipment item
at the same time is refused with a message naming the other session or reservation (SQLite:
the service's check; PostgreSQL adds the constraints, see test_planning_postgres)."""

import pytest

from courses.errors import NotEnoughEquipment, SessionConflict
from courses.models import Session
from courses.services import planning
from tests.courses.planning_fixtures import make_plan, other_run
from tests.timeutils import day_at
from workshops.services import reserve_external

pytestmark = pytest.mark.django_db


def test_same_workshop_overlap_is_refused_naming_course_time_and_room():
    plan = make_plan()
    other = other_run(plan)
    planning.add_session(run=other, start=day_at(30, 9), end=day_at(30, 13), actor=plan.coordinator)
    with pytest.raises(SessionConflict) as err:
        planning.add_session(
            run=plan.run, start=day_at(30, 8), end=day_at(30, 10), actor=plan.coordinator
        )
    message = err.value.message
    assert "CNC-Fräsen für Einsteiger" in message
    assert day_at(30).strftime("%d.%m.%Y") in message and "09:00–13:00" in message
    assert str(plan.workshop) in message
    assert err.value.field == "workshop"
    assert plan.run.sessions.count() == 0


def test_back_to_back_sessions_do_not_conflict():
    plan = make_plan()
    planning.add_session(run=plan.run, start=day_at(30, 8), end=day_at(30, 10), actor=None)
    other = other_run(plan)
    planning.add_session(run=other, start=day_at(30, 10), end=day_at(30, 12), actor=None)
    assert Session.objects.count() == 2


def test_same_instructor_in_another_workshop_is_refused():
    plan = make_plan()
    elsewhere = make_plan(school=plan.school)  # other workshop, other instructor
    planning.add_session(
        run=elsewhere.run,
        start=day_at(30, 8),
        end=day_at(30, 12),
        actor=plan.coordinator,
        instructor=plan.instructor,
    )
    with pytest.raises(SessionConflict) as err:
        planning.add_session(
            run=plan.run, start=day_at(30, 11), end=day_at(30, 15), actor=plan.coordinator
        )
    assert err.value.field == "instructor"
    assert str(plan.instructor) in err.value.message
    assert elsewhere.run.course.title in err.value.message


def test_same_equipment_item_in_two_sessions_is_refused_naming_the_other_session():
    plan = make_plan(units=6)
    elsewhere = make_plan(school=plan.school, units=0)
    # the other run has no printers of its own but borrows one explicitly
    planning.add_session(
        run=elsewhere.run,
        start=day_at(30, 8),
        end=day_at(30, 12),
        actor=plan.coordinator,
        equipment=[plan.printers[0]],
    )
    with pytest.raises(SessionConflict) as err:
        planning.add_session(
            run=plan.run,
            start=day_at(30, 10),
            end=day_at(30, 14),
            actor=plan.coordinator,
            equipment=[plan.printers[0]],
        )
    assert plan.printers[0].inventory_number in err.value.message
    assert elsewhere.run.course.title in err.value.message
    assert plan.run.sessions.count() == 0


def test_not_enough_free_units_names_the_external_reservation():
    plan = make_plan(units=6)
    reserve_external(
        equipment=plan.printers[2],
        start=day_at(30, 7),
        end=day_at(30, 18),
        actor=plan.coordinator,
        purpose="Ausleihe Tischlerei Schröder",
    )
    with pytest.raises(NotEnoughEquipment) as err:
        planning.add_session(
            run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=plan.coordinator
        )
    assert "benötigt 6, frei 5" in err.value.message
    assert "Ausleihe Tischlerei Schröder" in err.value.message
    assert not Session.objects.exists()


def test_repeated_checks_each_name_their_own_clash():
    """The check's query is compiled once; each call still asks about its own slot, workshop
    and instructor (and a session moved onto its own time does not clash with itself)."""
    plan = make_plan()
    elsewhere = make_plan(school=plan.school)
    here = planning.add_session(run=plan.run, start=day_at(30, 8), end=day_at(30, 10), actor=None)
    there = planning.add_session(
        run=elsewhere.run, start=day_at(31, 14), end=day_at(31, 16), actor=None
    )

    first = planning.find_conflict(
        start=day_at(30, 9), end=day_at(30, 11), workshop_id=plan.workshop.pk, instructor_id=None
    )
    second = planning.find_conflict(
        start=day_at(31, 15),
        end=day_at(31, 17),
        workshop_id=plan.workshop.pk,
        instructor_id=elsewhere.instructor.pk,
    )

    assert first.details["other_session"] == here.pk and first.field == "workshop"
    assert "09:00" not in first.message and "08:00–10:00" in first.message
    assert second.details["other_session"] == there.pk and second.field == "instructor"
    assert str(elsewhere.instructor) in second.message and "14:00–16:00" in second.message
    assert (
        planning.find_conflict(
            start=day_at(30, 8),
            end=day_at(30, 10),
            workshop_id=plan.workshop.pk,
            instructor_id=plan.instructor.pk,
            exclude_ids=[here.pk],
        )
        is None
    )
    assert (
        planning.find_conflict(
            start=day_at(31, 8),
            end=day_at(31, 10),
            workshop_id=plan.workshop.pk,
            instructor_id=None,
        )
        is None
    )
