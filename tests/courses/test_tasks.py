"""The periodic tasks of courses run as beat starts them: each imports its service when it runs,
so a wrong import would only show in production. On an empty database each has nothing to do."""

import pytest

from courses.schedule import SCHEDULE
from courses.tasks import booking, planning

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("entry", sorted(SCHEDULE))
def test_each_scheduled_task_runs_and_finds_nothing_to_do(entry):
    name = SCHEDULE[entry]["task"]
    module, _, function = name.rpartition(".")
    task = {"courses.tasks.booking": booking, "courses.tasks.planning": planning}[module]
    assert getattr(task, function).apply().get() == 0


def test_the_minimum_check_takes_its_time_from_beat():
    assert planning.flag_runs_below_minimum.apply(args=["2026-03-02T06:10:00+01:00"]).get() == 0
