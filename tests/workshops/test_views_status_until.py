"""The coordinator gives maintenance an expected end on the item page; reservations of sessions
after it stay on the item, and the page says when it is expected back."""

import pytest
from django.urls import reverse

from courses.models import SessionReservation
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.timeutils import day_at, form_datetime

pytestmark = pytest.mark.django_db


def test_status_with_expected_end_keeps_later_reservations(client):
    plan = make_plan(units=3, capacity=2, per_unit=1)  # one spare
    early = planning.add_session(
        run=plan.run, start=day_at(3, 8), end=day_at(3, 12), actor=plan.coordinator
    )
    late = planning.add_session(
        run=plan.run, start=day_at(21, 8), end=day_at(21, 12), actor=plan.coordinator
    )
    item = plan.printers[0]
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("workshops:equipment_status", args=[item.pk]),
        {"status": "maintenance", "until": form_datetime(day_at(10, 8)), "note": "Düse"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.out_of_service_until == day_at(10, 8)

    def holds(session):
        return SessionReservation.objects.filter(
            session=session, reservation__equipment=item, reservation__is_active=True
        ).exists()

    assert not holds(early)  # within the maintenance: moved to the spare
    assert holds(late)  # after it: the item is back by then
    page = client.get(reverse("workshops:equipment_detail", args=[item.pk])).content.decode()
    assert "voraussichtlich wieder einsatzbereit ab " + day_at(10, 8).strftime("%d.%m.%Y") in page
