"""Planning sessions in the browser: one session, a series, moving one of a series."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Session
from courses.services import planning
from tests.courses.planning_fixtures import make_plan

pytestmark = pytest.mark.django_db


def test_session_form_errors_end_before_start_and_unknown_equipment(client):
    plan = make_plan()
    client.force_login(plan.coordinator)
    url = reverse("courses:staff_session_create", args=[plan.run.pk])
    response = client.post(
        url,
        {
            "day": "2031-03-03",
            "start_time": "12:00",
            "end_time": "08:00",
            "workshop": plan.workshop.pk,
        },
    )
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    response = client.post(
        url,
        {
            "day": "2031-03-03",
            "start_time": "08:00",
            "end_time": "12:00",
            "workshop": plan.workshop.pk,
            "equipment": ["999999"],
        },
    )
    assert response.status_code == 200
    assert "gültige" in response.content.decode()  # Django's German "valid choice" message
    assert not Session.objects.exists()


def test_series_form_with_no_dates_is_refused(client):
    plan = make_plan()
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("courses:staff_series_create", args=[plan.run.pk]),
        {
            "first_date": "2031-03-03",
            "start_time": "08:00",
            "end_time": "12:00",
            "frequency": "weekly",
            "until": "2031-03-03",
            "skip_dates": "03.03.2031",
            "workshop": plan.workshop.pk,
        },
    )
    assert response.status_code == 200
    assert "Die Serie enthält keine Termine." in response.content.decode()
    response = client.post(
        reverse("courses:staff_series_create", args=[plan.run.pk]),
        {
            "first_date": "2031-03-03",
            "start_time": "08:00",
            "end_time": "12:00",
            "frequency": "weekly",
            "workshop": plan.workshop.pk,
        },
    )
    assert "Bitte ein Enddatum oder eine Anzahl von Terminen angeben." in response.content.decode()
    assert not Session.objects.exists()


def test_editing_one_session_in_the_browser_bumps_its_sequence_only(client):
    plan = make_plan(units=0)
    sessions = planning.create_series(
        run=plan.run,
        actor=plan.coordinator,
        first_date=dt.date(2031, 3, 3),
        start_time=dt.time(8),
        end_time=dt.time(12),
        count=3,
    )
    client.force_login(plan.coordinator)
    response = client.post(
        reverse("courses:staff_session_edit", args=[sessions[1].pk]),
        {
            "day": "2031-03-10",
            "start_time": "13:00",
            "end_time": "16:00",
            "workshop": plan.workshop.pk,
            "instructor": plan.instructor.pk,
        },
    )
    assert response.status_code == 302
    assert [s.sequence for s in Session.objects.order_by("start")] == [0, 1, 0]
    assert timezone.localtime(Session.objects.get(pk=sessions[1].pk).start).hour == 13
