"""Hours-based maintenance duties are announced once per due point (not every day while they
stay due), and utilisation is a share of the workshop's opening hours, not of 24 × 7."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import MembershipFactory
from tests.workshops.maintenance_fixtures import TODAY, due_item, record
from workshops.models import EquipmentReservation
from workshops.selectors import utilisation
from workshops.services.maintenance import notify_maintenance_due

pytestmark = pytest.mark.django_db


def test_hours_duty_is_announced_once_per_due_point(workshop, django_capture_on_commit_callbacks):
    MembershipFactory(role="coordinator", school=workshop.school)
    item = due_item(workshop, days=None, hours=100, operating_hours=Decimal("95"))
    record(item, TODAY - dt.timedelta(days=30), hours=Decimal("0"))  # due at 100 h

    for day in range(5):  # due for days on end: one e-mail, not one a day
        with django_capture_on_commit_callbacks(execute=True):
            notify_maintenance_due(today=TODAY + dt.timedelta(days=day))
    assert len(mail.outbox) == 1
    assert item.inventory_number in mail.outbox[0].body

    # Maintained at 101 h: the next due point (201 h) is announced once when it comes near.
    record(item, TODAY + dt.timedelta(days=5), hours=Decimal("101"))
    item.operating_hours = Decimal("195")
    item.save()
    for day in range(6, 9):
        with django_capture_on_commit_callbacks(execute=True):
            notify_maintenance_due(today=TODAY + dt.timedelta(days=day))
    assert len(mail.outbox) == 2


def test_utilisation_is_a_share_of_opening_hours(workshop, settings):
    settings.WORKSHOP_OPENING_HOURS_PER_WEEK = 40
    item = due_item(workshop)
    start = timezone.make_aware(dt.datetime(2031, 3, 3))
    end = start + dt.timedelta(days=7)
    EquipmentReservation.objects.create(
        equipment=item, start=start + dt.timedelta(hours=8), end=start + dt.timedelta(hours=28)
    )  # 20 hours in a week the workshop is open 40 hours
    per_item, per_type = utilisation([workshop.school_id], start=start, end=end)
    assert per_item[0].share == pytest.approx(0.5)
    assert per_type[0].share == pytest.approx(0.5)
