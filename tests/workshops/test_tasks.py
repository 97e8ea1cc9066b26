"""The daily task hands its date to the maintenance service and returns its count."""

import datetime as dt

import pytest

from tests.factories import MembershipFactory
from tests.workshops.maintenance_fixtures import TODAY, due_item, record
from workshops.models import MaintenanceNotice
from workshops.tasks import notify_maintenance_due

pytestmark = pytest.mark.django_db


def test_the_task_notices_duties_as_of_the_date_it_is_given(workshop, mailoutbox):
    MembershipFactory(role="coordinator", school=workshop.school)
    item = due_item(workshop, days=90)
    record(item, TODAY - dt.timedelta(days=80))  # due in 10 days from TODAY
    assert notify_maintenance_due((TODAY - dt.timedelta(days=60)).isoformat()) == 0  # not yet due
    assert not MaintenanceNotice.objects.exists()
    assert notify_maintenance_due.delay(TODAY.isoformat()).get() == 1
    assert MaintenanceNotice.objects.get().due_on == TODAY + dt.timedelta(days=10)
