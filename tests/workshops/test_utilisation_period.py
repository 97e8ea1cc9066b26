"""The utilisation page draws its chart and opens on the dashboard's period (the next four
weeks), so both show the same hours."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.formatting import local_date
from tests.courses.planning_fixtures import make_plan
from workshops.selectors import UTILISATION_DAYS

pytestmark = pytest.mark.django_db


def test_utilisation_opens_on_the_dashboards_period_with_its_chart(client):
    plan = make_plan(units=1)
    client.force_login(plan.coordinator)
    page = client.get(reverse("workshops:utilisation")).content.decode()
    today = timezone.localdate()
    last = today + dt.timedelta(days=UTILISATION_DAYS - 1)
    assert 'id="chart-utilisation-hours"' in page
    assert f"Vom {local_date(today)} bis {local_date(last)}" in page
    dashboard = client.get(reverse("courses:staff_dashboard")).content.decode()
    assert f"{local_date(today)} bis {local_date(last)}" in dashboard
