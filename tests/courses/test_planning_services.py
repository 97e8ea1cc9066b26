import datetime as dt

import pytest
from django.utils import timezone

from core.errors import InvalidInput
from core.models import AuditEntry
from courses.errors import InvalidRunTransition, NotEnoughEquipment, SessionConflict
from courses.models import CourseRun, Session, SessionReservation
from courses.selectors import runs_at_risk, seats_of
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import CourseRunFactory, EnrolmentFactory, EquipmentFactory
from tests.timeutils import day_at
from workshops.models import Equipment, EquipmentReservation
from workshops.services import reserve_external, set_equipment_status

pytestmark = pytest.mark.django_db

MON = dt.date(2031, 3, 3)  # a Monday, far enough ahead for every test


# --- series dates (pure) -----------------------------------------------------------------------


def test_weekly_series_by_count_skips_holidays_without_counting_them():
    dates = planning.series_dates(
        first_date=MON, frequency="weekly", count=6, skip_dates=[MON + dt.timedelta(days=14)]
    )
    assert len(dates) == 6
    assert MON + dt.timedelta(days=14) not in dates
    assert dates[0] == MON and dates[-1] == MON + dt.timedelta(weeks=6)
    assert all(d.weekday() == 0 for d in dates)


def test_daily_series_until_a_date_is_inclusive():
    dates = planning.series_dates(first_date=MON, frequency="daily", until=MON + dt.timedelta(4))
    assert dates == [MON + dt.timedelta(days=i) for i in range(5)]


def test_series_with_count_and_until_stops_at_whichever_comes_first():
    dates = planning.series_dates(
        first_date=MON, frequency="weekly", until=MON + dt.timedelta(weeks=2), count=10
    )
    assert len(dates) == 3


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"count": None, "until": None}, "until"),  # neither end given
        ({"until": MON - dt.timedelta(days=1)}, "until"),  # ends before it starts
        ({"until": MON, "skip_dates": [MON]}, "until"),  # every date skipped: no dates
        ({"count": 3, "frequency": "monthly"}, "frequency"),
    ],
)
def test_series_without_dates_is_refused_in_german(kwargs, field):
    params = {"first_date": MON, "frequency": "weekly", **kwargs}
    with pytest.raises(InvalidInput) as err:
        planning.series_dates(**params)
    assert err.value.field == field
    assert any(word in err.value.message for word in ("Bitte", "Serie", "Enddatum"))


# --- series, sessions, reservations ------------------------------------------------------------


def test_weekly_series_of_six_reserves_equipment_and_syncs_run_dates():
    plan = make_plan(units=6, capacity=12, per_unit=2)
    sessions = planning.create_series(
        run=plan.run,
        actor=plan.coordinator,
        first_date=MON,
        start_time=dt.time(8, 0),
        end_time=dt.time(12, 0),
        frequency="weekly",
        count=6,
    )
    assert len(sessions) == 6
    assert len({s.series for s in sessions}) == 1 and sessions[0].series is not None
    assert all(s.instructor == plan.instructor and s.workshop == plan.workshop for s in sessions)
    assert all(len(s.checkin_token) >= 24 for s in sessions)
    # 12 seats / 2 participants per printer = 6 printers per session
    assert SessionReservation.objects.filter(session__in=sessions).count() == 36
    plan.run.refresh_from_db()
    assert timezone.localtime(plan.run.starts_at) == timezone.make_aware(
        dt.datetime.combine(MON, dt.time(8))
    )
    assert plan.run.ends_at == sessions[-1].end
    assert AuditEntry.objects.filter(action="session.series_created").count() == 1


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


# --- conflicts (SQLite: the service's check; PostgreSQL: also the constraints) -----------------


def _other_run(plan, **kwargs):
    return CourseRunFactory(
        course__school=plan.school,
        course__title="CNC-Fräsen für Einsteiger",
        school=plan.school,
        workshop=plan.workshop,
        status=CourseRun.Status.DRAFT,
        **kwargs,
    )


def test_same_workshop_overlap_is_refused_naming_course_time_and_room():
    plan = make_plan()
    other = _other_run(plan)
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
    other = _other_run(plan)
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


def test_a_conflict_in_a_series_rolls_back_the_whole_series_and_names_the_date():
    plan = make_plan()
    other = _other_run(plan)
    clash_day = MON + dt.timedelta(weeks=2)
    planning.add_session(
        run=other,
        start=planning.local_datetime(clash_day, dt.time(9)),
        end=planning.local_datetime(clash_day, dt.time(10)),
        actor=plan.coordinator,
    )
    with pytest.raises(SessionConflict) as err:
        planning.create_series(
            run=plan.run,
            actor=plan.coordinator,
            first_date=MON,
            start_time=dt.time(8),
            end_time=dt.time(12),
            count=6,
        )
    assert clash_day.strftime("%d.%m.%Y") in err.value.message
    assert plan.run.sessions.count() == 0
    assert not EquipmentReservation.objects.filter(kind="session", purpose__contains="kompakt")


# --- bad input changes nothing -----------------------------------------------------------------


def test_end_before_start_is_refused():
    plan = make_plan()
    with pytest.raises(InvalidInput) as err:
        planning.add_session(
            run=plan.run, start=day_at(30, 12), end=day_at(30, 8), actor=plan.coordinator
        )
    assert err.value.field == "end" and "Ende" in err.value.message
    assert not Session.objects.exists()


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


# --- run status --------------------------------------------------------------------------------


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


# --- seats with broken equipment ---------------------------------------------------------------


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
