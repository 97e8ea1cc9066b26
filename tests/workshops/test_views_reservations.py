"""The external reservation form and its conflict message."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.timeutils import day_at
from workshops.models import EquipmentReservation

pytestmark = pytest.mark.django_db


def test_external_reservation_form_and_conflict_message(client):
    plan = make_plan(units=6)
    planning.add_session(run=plan.run, start=day_at(5, 8), end=day_at(5, 12), actor=None)
    client.force_login(plan.coordinator)
    url = reverse("workshops:reservation_create", args=[plan.printers[0].pk])
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        url,
        {
            "start": timezone.localtime(day_at(5, 10)).strftime(fmt),
            "end": timezone.localtime(day_at(5, 14)).strftime(fmt),
            "purpose": "Ausleihe Schreinerei",
        },
    )
    assert response.status_code == 200
    assert plan.run.course.title in response.content.decode()
    response = client.post(
        url,
        {
            "start": timezone.localtime(day_at(6, 10)).strftime(fmt),
            "end": timezone.localtime(day_at(6, 9)).strftime(fmt),
            "purpose": "Ausleihe Schreinerei",
        },
    )
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    assert not EquipmentReservation.objects.filter(kind="external").exists()
    response = client.post(
        url,
        {
            "start": timezone.localtime(day_at(6, 8)).strftime(fmt),
            "end": timezone.localtime(day_at(6, 16)).strftime(fmt),
            "purpose": "Ausleihe Schreinerei",
        },
    )
    assert response.status_code == 302
    assert EquipmentReservation.objects.filter(kind="external").count() == 1
