"""Series (services/planning/series.py): the dates of a weekly or daily series, and a series
planned all at once or, at the first conflict, not at all."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import InvalidInput
from core.models import AuditEntry
from courses.errors import SessionConflict
from courses.models import SessionReservation
from courses.services import planning
from tests.courses.planning_fixtures import make_plan, other_run
from workshops.models import EquipmentReservation

pytestmark = pytest.mark.django_db

MON = dt.date(2031, 3, 3)  # a Monday, far enough ahead for every test


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
    # 12 seats / 2 participants per printer = 6 printers per session
    assert SessionReservation.objects.filter(session__in=sessions).count() == 36
    plan.run.refresh_from_db()
    assert timezone.localtime(plan.run.starts_at) == timezone.make_aware(
        dt.datetime.combine(MON, dt.time(8))
    )
    assert plan.run.ends_at == sessions[-1].end
    assert AuditEntry.objects.filter(action="session.series_created").count() == 1


def test_a_conflict_in_a_series_rolls_back_the_whole_series_and_names_the_date():
    plan = make_plan()
    other = other_run(plan)
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
