"""Changing a run's instructor or workshop moves its future scheduled sessions along, with the
session conflict checks, all or nothing."""

import pytest

from courses.errors import SessionConflict
from courses.models import CourseRun, Session
from courses.services import planning
from tests.courses.planning_fixtures import day_at, make_plan
from tests.factories import MembershipFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _new_instructor(school):
    from people.models import Membership

    return MembershipFactory(role=Membership.Role.INSTRUCTOR, school=school).user


def _edit(run, actor, **changes):
    values = {name: getattr(run, name) for name in planning.RUN_FIELDS}
    values.update(changes)
    return planning.update_run(run=run, actor=actor, **values)


def test_new_instructor_takes_over_future_sessions_only():
    plan = make_plan(units=0)
    past = planning.add_session(run=plan.run, start=day_at(-3, 8), end=day_at(-3, 12), actor=None)
    first = planning.add_session(run=plan.run, start=day_at(10, 8), end=day_at(10, 12), actor=None)
    second = planning.add_session(run=plan.run, start=day_at(17, 8), end=day_at(17, 12), actor=None)
    guest = _new_instructor(plan.school)
    # a session deliberately given to someone else keeps them
    own = planning.add_session(
        run=plan.run, start=day_at(24, 8), end=day_at(24, 12), actor=None, instructor=guest
    )
    successor = _new_instructor(plan.school)

    _edit(plan.run, plan.coordinator, instructor=successor)

    sessions = {s.pk: s for s in Session.objects.filter(run=plan.run)}
    assert sessions[first.pk].instructor == successor
    assert sessions[second.pk].instructor == successor
    assert sessions[first.pk].sequence == first.sequence + 1  # calendars get the update
    assert sessions[past.pk].instructor == plan.instructor  # history stays as it was
    assert sessions[own.pk].instructor == guest


def test_instructor_busy_elsewhere_refuses_the_whole_change_naming_the_session():
    plan = make_plan(units=0)
    first = planning.add_session(run=plan.run, start=day_at(10, 8), end=day_at(10, 12), actor=None)
    planning.add_session(run=plan.run, start=day_at(17, 8), end=day_at(17, 12), actor=None)
    successor = _new_instructor(plan.school)
    elsewhere = make_plan(units=0, school=plan.school)
    busy = planning.add_session(
        run=elsewhere.run,
        start=day_at(17, 9),
        end=day_at(17, 11),
        actor=None,
        instructor=successor,
    )

    with pytest.raises(SessionConflict) as err:
        _edit(plan.run, plan.coordinator, instructor=successor)
    assert err.value.field == "instructor"
    assert err.value.details["other_session"] == busy.pk
    assert elsewhere.run.course.title in err.value.message
    # all or nothing: the run and its first (conflict-free) session are unchanged
    assert CourseRun.objects.get(pk=plan.run.pk).instructor == plan.instructor
    assert Session.objects.get(pk=first.pk).instructor == plan.instructor


def test_new_workshop_moves_future_sessions_or_names_the_clash():
    plan = make_plan(units=0)
    first = planning.add_session(run=plan.run, start=day_at(10, 8), end=day_at(10, 12), actor=None)
    second = planning.add_session(run=plan.run, start=day_at(17, 8), end=day_at(17, 12), actor=None)
    hall = WorkshopFactory(school=plan.school, seats=16)
    other = make_plan(units=0, school=plan.school)
    # another run already uses the hall during the second session
    _edit(other.run, other.coordinator, workshop=hall)
    clash = planning.add_session(
        run=other.run, start=day_at(17, 10), end=day_at(17, 14), actor=None
    )
    assert clash.workshop == hall

    with pytest.raises(SessionConflict) as err:
        _edit(plan.run, plan.coordinator, workshop=hall)
    assert err.value.field == "workshop"
    assert err.value.details["other_session"] == clash.pk
    assert CourseRun.objects.get(pk=plan.run.pk).workshop == plan.workshop
    assert Session.objects.get(pk=first.pk).workshop == plan.workshop

    planning.cancel_session(session=clash, actor=None)
    _edit(plan.run, plan.coordinator, workshop=hall)
    assert {s.workshop for s in Session.objects.filter(pk__in=[first.pk, second.pk])} == {hall}


def test_the_edit_form_shows_the_conflict_on_the_field(client):
    from django.urls import reverse

    from courses.forms.staff import RunForm

    plan = make_plan(units=0)
    planning.add_session(run=plan.run, start=day_at(10, 8), end=day_at(10, 12), actor=None)
    successor = _new_instructor(plan.school)
    elsewhere = make_plan(units=0, school=plan.school)
    planning.add_session(
        run=elsewhere.run, start=day_at(10, 9), end=day_at(10, 11), actor=None, instructor=successor
    )
    client.force_login(plan.coordinator)
    form = RunForm(school_ids=[plan.school.pk], fixed_course=plan.run.course)
    data = {}
    for name, value in RunForm.initial_for(plan.run).items():
        if value is None:
            continue
        field = form.fields.get(name)
        if field is None:
            continue
        data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    data["instructor"] = successor.pk
    response = client.post(reverse("courses:staff_run_edit", args=[plan.run.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "schon eingeplant" in html
    assert CourseRun.objects.get(pk=plan.run.pk).instructor == plan.instructor
