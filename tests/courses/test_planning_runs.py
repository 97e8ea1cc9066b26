"""Runs (services/planning/runs.py): creating and editing a run (a new instructor or workshop
moves the future sessions along, all or nothing), its status changes, seats that drop with
broken equipment, and the daily flag for runs below their minimum."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput
from courses.errors import InvalidRunTransition, SessionConflict
from courses.models import CourseRun, Session
from courses.selectors import runs_at_risk, runs_below_minimum, seats_of
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import (
    EnrolmentFactory,
    MembershipFactory,
    SessionFactory,
    WorkshopFactory,
)
from tests.timeutils import day_at
from workshops.models import Equipment, EquipmentReservation
from workshops.services import set_equipment_status

pytestmark = pytest.mark.django_db


def test_negative_capacity_and_min_above_capacity_are_refused():
    plan = make_plan()
    base = {
        "workshop": plan.workshop,
        "booking_opens_at": day_at(1),
        "booking_closes_at": day_at(20),
        "cancellation_deadline": day_at(18),
    }
    with pytest.raises(InvalidInput) as err:
        planning.create_run(course=plan.run.course, actor=plan.coordinator, capacity=-1, **base)
    assert err.value.field == "capacity" and "negativ" in err.value.message
    with pytest.raises(InvalidInput) as err:
        planning.create_run(
            course=plan.run.course, actor=plan.coordinator, capacity=4, min_participants=5, **base
        )
    assert err.value.field == "min_participants"
    assert CourseRun.objects.count() == 1


def test_publish_needs_a_session_and_only_from_draft():
    plan = make_plan()
    with pytest.raises(InvalidRunTransition):
        planning.publish_run(run=plan.run, actor=plan.coordinator)
    planning.add_session(run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=None)
    run = planning.publish_run(run=plan.run, actor=plan.coordinator)
    assert run.status == CourseRun.Status.PUBLISHED and run.published_at is not None
    with pytest.raises(InvalidRunTransition):
        planning.publish_run(run=run, actor=plan.coordinator)


def test_cancel_run_cancels_sessions_and_releases_equipment():
    plan = make_plan()
    session = planning.add_session(
        run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=plan.coordinator
    )
    planning.publish_run(run=plan.run, actor=plan.coordinator)
    planning.cancel_run(run=plan.run, actor=plan.coordinator, reason="Zu wenige Anmeldungen")
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and session.sequence == 1
    assert not EquipmentReservation.objects.filter(is_active=True).exists()


def test_seats_drop_with_broken_equipment_and_the_run_is_at_risk():
    plan = make_plan(units=6, capacity=12, per_unit=2)
    planning.add_session(run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=None)
    planning.publish_run(run=plan.run, actor=plan.coordinator)
    for _ in range(10):
        EnrolmentFactory(run=plan.run)
    assert seats_of(plan.run) == 12
    assert not runs_at_risk([plan.school.pk]).exists()
    set_equipment_status(
        equipment=plan.printers[0], status=Equipment.Status.DEFECTIVE, actor=plan.coordinator
    )
    set_equipment_status(
        equipment=plan.printers[1], status=Equipment.Status.MAINTENANCE, actor=plan.coordinator
    )
    assert seats_of(plan.run) == 8  # 4 working printers × 2
    at_risk = list(runs_at_risk([plan.school.pk]))
    assert [r.pk for r in at_risk] == [plan.run.pk]
    assert at_risk[0].seats == 8 and at_risk[0].confirmed == 10
    # another school's coordinator does not see it
    assert not runs_at_risk([plan.school.pk + 1000]).exists()


# --- changing the instructor or workshop of a run ----------------------------------------------


def _new_instructor(school):
    from people.models import Membership

    return MembershipFactory(role=Membership.Role.INSTRUCTOR, school=school).user


def _edit(run, actor, **changes):
    """Only the fields passed change; the others keep their values."""
    return planning.update_run(run=run, actor=actor, **changes)


def test_new_instructor_takes_over_future_sessions_only():
    plan = make_plan(units=0)
    # a session that took place (planning refuses new ones in the past)
    past = SessionFactory(
        run=plan.run,
        start=day_at(-3, 8),
        end=day_at(-3, 12),
        instructor=plan.instructor,
        workshop=plan.workshop,
    )
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


# --- below the minimum -------------------------------------------------------------------------


def _published(plan, *, starts_in_days, confirmed, minimum=4):
    run = plan.run
    run.status = CourseRun.Status.PUBLISHED
    run.min_participants = minimum
    run.starts_at = timezone.now() + dt.timedelta(days=starts_in_days)
    run.ends_at = run.starts_at + dt.timedelta(hours=4)
    run.save()
    for _ in range(confirmed):
        EnrolmentFactory(run=run)
    return run


def test_runs_short_of_minimum_are_flagged_once_and_coordinators_mailed(
    settings, client, django_capture_on_commit_callbacks
):
    settings.MIN_PARTICIPANTS_CHECK_DAYS = 7
    short = make_plan(units=0)
    run = _published(short, starts_in_days=5, confirmed=2)
    full = _published(make_plan(units=0), starts_in_days=5, confirmed=4)
    far = _published(make_plan(units=0), starts_in_days=30, confirmed=0)

    with django_capture_on_commit_callbacks(execute=True):
        assert planning.flag_runs_below_minimum() == 1
    run.refresh_from_db()
    assert run.min_participants_flagged_at is not None
    for other in (full, far):
        other.refresh_from_db()
        assert other.min_participants_flagged_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [short.coordinator.email]
    assert run.course.title in mail.outbox[0].subject
    assert "2 bestätigte Anmeldungen" in mail.outbox[0].body

    # idempotent: the second run of the day sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert planning.flag_runs_below_minimum() == 0
    assert len(mail.outbox) == 1

    assert [r.pk for r in runs_below_minimum([short.school.pk])] == [run.pk]
    client.force_login(short.coordinator)
    dashboard = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert "Mindestteilnehmerzahl nicht erreicht" in dashboard and run.course.title in dashboard
    assert "2 von mindestens 4" in dashboard


def _create_run(plan, **fields):
    values = {
        "workshop": plan.workshop,
        "capacity": 8,
        "booking_opens_at": day_at(1),
        "booking_closes_at": day_at(20),
        "cancellation_deadline": day_at(18),
    }
    return planning.create_run(course=plan.run.course, actor=plan.coordinator, **values, **fields)


def test_a_run_takes_only_the_fields_it_knows():
    plan = make_plan(units=0)
    with pytest.raises(TypeError):
        planning.update_run(run=plan.run, actor=plan.coordinator, capacty=20)
    with pytest.raises(TypeError):
        # a run starts as a draft and is published by publish_run
        _create_run(plan, status=CourseRun.Status.PUBLISHED)
    assert CourseRun.objects.count() == 1


def test_a_new_run_is_a_draft_with_the_defaults_of_the_model():
    plan = make_plan(units=0)
    run = _create_run(plan)
    assert run.status == CourseRun.Status.DRAFT and run.school == plan.school
    assert (run.min_participants, run.price_business, run.instructor) == (0, 0, None)
    assert not run.requires_employer_approval
