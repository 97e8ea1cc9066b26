"""What the admin and messages show of a reservation: local time in the active language."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from tests.factories import EquipmentFactory
from workshops.models import EquipmentReservation

pytestmark = pytest.mark.django_db


def test_a_reservation_reads_in_local_time():
    item = EquipmentFactory(inventory_number="LW-3D-001", name="Prusa")
    start = timezone.make_aware(dt.datetime(2031, 3, 4, 8, 0))
    reservation = EquipmentReservation(
        equipment=item, start=start, end=start + dt.timedelta(hours=4)
    )
    with translation.override("de"):
        assert str(reservation) == "LW-3D-001 Prusa 04.03.2031 08:00–12:00"
