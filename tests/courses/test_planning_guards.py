"""Planning refuses what no one means (capacity beyond the room, dates in the past or years
ahead, capacity below the confirmed bookings) in the service, so the form and every other
caller get the same answer; a draft nobody booked can be deleted, a published run cannot."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput
from core.models import AuditEntry
from courses.errors import InvalidRunTransition
from courses.models import CourseRun, Session
from courses.services import planning
from tests.courses.planning_fixtures import make_plan
from tests.factories import EnrolmentFactory
from tests.timeutils import day_at, form_datetime
from workshops.models import EquipmentReservation

pytestmark = pytest.mark.django_db


def _field_error(call) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


def test_capacity_beyond_the_workshop_or_a_sane_maximum_is_refused():
    plan = make_plan(units=0)  # workshop of 16 seats
    error = _field_error(lambda: planning.update_run(run=plan.run, actor=None, capacity=17))
    assert error.field == "capacity" and "16 Plätze" in error.message
    error = _field_error(lambda: planning.update_run(run=plan.run, actor=None, capacity=5000))
    assert error.field == "capacity" and "höchstens 1000" in error.message
    plan.run.refresh_from_db()
    assert plan.run.capacity == 12


def test_capacity_below_the_confirmed_bookings_names_how_many_are_booked():
    plan = make_plan(units=0)
    for _ in range(5):
        EnrolmentFactory(run=plan.run)
    error = _field_error(lambda: planning.update_run(run=plan.run, actor=None, capacity=4))
    assert error.field == "capacity" and "5 Personen fest angemeldet" in error.message
    planning.update_run(run=plan.run, actor=None, capacity=5)  # down to the bookings is fine


def test_booking_window_in_the_past_or_centuries_ahead_is_refused():
    plan = make_plan(units=0)
    now = timezone.now()
    error = _field_error(
        lambda: planning.update_run(
            run=plan.run, actor=None, booking_closes_at=now - dt.timedelta(hours=1)
        )
    )
    assert error.field == "booking_closes_at" and "Vergangenheit" in error.message
    far = now.replace(year=2206)
    error = _field_error(
        lambda: planning.update_run(run=plan.run, actor=None, cancellation_deadline=far)
    )
    assert error.field == "cancellation_deadline" and "Zukunft" in error.message
    # an unchanged date that has passed does not block other edits
    CourseRun.objects.filter(pk=plan.run.pk).update(booking_opens_at=now - dt.timedelta(days=90))
    plan.run.refresh_from_db()
    planning.update_run(run=plan.run, actor=None, title_suffix="Frühjahr")


def test_sessions_in_the_past_or_centuries_ahead_are_refused():
    plan = make_plan(units=0)
    error = _field_error(
        lambda: planning.add_session(
            run=plan.run, start=day_at(-3, 8), end=day_at(-3, 12), actor=None
        )
    )
    assert error.field == "start" and "Vergangenheit" in error.message
    far = day_at(10, 8).replace(year=2206)
    error = _field_error(
        lambda: planning.add_session(
            run=plan.run, start=far, end=far + dt.timedelta(hours=4), actor=None
        )
    )
    assert error.field == "start"
    assert not Session.objects.exists()


def test_run_form_shows_the_refusal_on_the_field(client):
    plan = make_plan(units=0)
    client.force_login(plan.coordinator)
    now = timezone.now()
    response = client.post(
        reverse("courses:staff_run_edit", args=[plan.run.pk]),
        {
            "workshop": plan.workshop.pk,
            "capacity": "40",
            "min_participants": "2",
            "booking_opens_at": form_datetime(now),
            "booking_closes_at": form_datetime(now + dt.timedelta(days=20)),
            "cancellation_deadline": form_datetime(now + dt.timedelta(days=18)),
            "price_business": "0",
        },
    )
    assert response.status_code == 200
    assert "16 Plätze" in response.content.decode()


def test_a_draft_nobody_booked_is_deleted_after_confirmation_with_its_reservations(client):
    plan = make_plan(units=2)
    planning.add_session(run=plan.run, start=day_at(10, 8), end=day_at(10, 12), actor=None)
    assert EquipmentReservation.objects.filter(is_active=True).exists()
    client.force_login(plan.coordinator)
    url = reverse("courses:staff_run_delete", args=[plan.run.pk])
    page = client.get(url)
    assert page.status_code == 200 and "endgültig gelöscht" in page.content.decode()
    assert CourseRun.objects.filter(pk=plan.run.pk).exists()  # asking deletes nothing
    assert client.post(url).status_code == 302
    assert not CourseRun.objects.filter(pk=plan.run.pk).exists()
    assert not EquipmentReservation.objects.exists() and not Session.objects.exists()
    assert AuditEntry.objects.filter(action="run.deleted", object_id=str(plan.run.pk)).exists()


def test_a_published_or_booked_run_cannot_be_deleted(client):
    plan = make_plan(units=0)
    EnrolmentFactory(run=plan.run, status="cancelled")
    with pytest.raises(InvalidRunTransition):
        planning.delete_draft_run(run=plan.run, actor=None)
    published = make_plan(units=0, school=plan.school).run
    CourseRun.objects.filter(pk=published.pk).update(status=CourseRun.Status.PUBLISHED)
    with pytest.raises(InvalidRunTransition):
        planning.delete_draft_run(run=published, actor=None)
    client.force_login(plan.coordinator)
    response = client.post(reverse("courses:staff_run_delete", args=[published.pk]))
    assert response.status_code == 302
    assert CourseRun.objects.filter(pk__in=[plan.run.pk, published.pk]).count() == 2
    other = make_plan(units=0)
    client.force_login(other.coordinator)
    assert client.get(reverse("courses:staff_run_delete", args=[plan.run.pk])).status_code == 403
