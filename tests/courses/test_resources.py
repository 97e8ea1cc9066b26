"""The course side of resources: who still needs a safety briefing for a run's machines (shown on
the attendance page, recorded there in the first session), material a session used, and the
energy and material per participant hour of a run and of a term."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseRun, SessionReservation
from courses.selectors_resources import briefings_needed, run_resources
from tests.courses.planning_fixtures import make_plan
from tests.factories import EnrolmentFactory, SessionFactory
from workshops.models import Consumable, EquipmentReservation, SafetyBriefing
from workshops.services.briefings import record_briefing
from workshops.services.consumables import create_consumable, receive_stock
from workshops.services.reservations import reserve_items
from workshops.services.telemetry import IngestState, store_batch

pytestmark = pytest.mark.django_db


def _run_with_session(plan, *, start):
    plan.run.status = CourseRun.Status.PUBLISHED
    plan.run.save()
    session = SessionFactory(
        run=plan.run, start=start, end=start + dt.timedelta(hours=4), instructor=plan.instructor
    )
    (reservation,) = reserve_items(
        items=[plan.printers[0]],
        start=session.start,
        end=session.end,
        actor=None,
        kind=EquipmentReservation.Kind.SESSION,
    )
    SessionReservation.objects.create(session=session, reservation=reservation)
    return session


def test_attendance_page_shows_who_needs_a_briefing_and_records_it(client):
    plan = make_plan(units=1)
    plan.printer.requires_briefing = True
    plan.printer.save()
    session = _run_with_session(plan, start=timezone.now() + dt.timedelta(days=1))
    briefed, unbriefed = EnrolmentFactory(run=plan.run), EnrolmentFactory(run=plan.run)
    record_briefing(person=briefed.participant, equipment_type=plan.printer, actor=plan.instructor)
    assert briefings_needed(plan.run) == {unbriefed.pk: [plan.printer]}

    client.force_login(plan.instructor)
    url = reverse("courses:staff_attendance", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Sicherheitsunterweisung nötig" in page
    assert f'value="{unbriefed.pk}"' in page and f'value="{briefed.pk}"' not in page

    client.post(
        reverse("courses:staff_session_briefings", args=[session.pk]),
        {"enrolment": [str(unbriefed.pk), str(briefed.pk)]},
    )
    assert SafetyBriefing.objects.filter(person=unbriefed.participant).count() == 1
    assert SafetyBriefing.objects.filter(person=briefed.participant).count() == 1  # not again
    assert briefings_needed(plan.run) == {}
    assert "Sicherheitsunterweisung nötig" not in client.get(url).content.decode()


def test_material_and_energy_per_participant_hour_of_a_run(client):
    plan = make_plan(units=1)
    start = timezone.now() - dt.timedelta(hours=6)
    session = _run_with_session(plan, start=start)
    EnrolmentFactory(run=plan.run)
    EnrolmentFactory(run=plan.run)
    pla = create_consumable(
        school=plan.school, actor=None, name="Filament", material="PLA", unit=Consumable.Unit.GRAM
    )
    stock = receive_stock(consumable=pla, workshop=plan.workshop, quantity=1000, actor=None)
    # The printer's meter: 100 kWh before, 103.2 kWh at the end of the session, 110 after.
    number = plan.printers[0].inventory_number
    store_batch(
        messages=[
            (
                f"lw/{number}/energy",
                f'{{"ts": "{when.isoformat()}", "energy_kwh": {kwh}}}'.encode(),
                start,
            )
            for when, kwh in (
                (start - dt.timedelta(minutes=10), 100),
                (start + dt.timedelta(hours=2), 101.5),
                (start + dt.timedelta(hours=4) - dt.timedelta(minutes=1), 103.2),
                (start + dt.timedelta(hours=5), 110),
            )
        ],
        state=IngestState(prefix="lw", octoprint_prefix="op"),
        now=timezone.now(),
    )
    client.force_login(plan.instructor)
    response = client.post(
        reverse("courses:staff_session_material", args=[session.pk]),
        {"stock": stock.pk, "quantity": "240", "note": "Gehäuse"},
    )
    assert response.status_code == 302
    stock.refresh_from_db()
    assert stock.quantity == Decimal("760")

    report = run_resources(plan.run)
    assert report["participant_hours"] == Decimal("8.0")  # 2 seated × 4 h, no attendance yet
    assert report["energy"] == Decimal("3.200")
    assert report["energy_per_hour"] == Decimal("0.400")
    assert report["materials"][0]["quantity"] == Decimal("240")
    assert report["materials"][0]["per_hour"] == Decimal("30.000")

    client.force_login(plan.coordinator)
    page = client.get(reverse("courses:staff_run_resources", args=[plan.run.pk])).content.decode()
    assert "3,200 kWh" in page and "30,000" in page  # not 3,2000000000000 (SQLite floats)
    day = timezone.localdate(start).isoformat()
    term = client.get(reverse("courses:staff_term_resources") + f"?start={day}&end={day}")
    assert plan.run.course.title in term.content.decode()


def test_other_schools_staff_cannot_record_material_or_briefings(client):
    plan = make_plan(units=1)
    session = _run_with_session(plan, start=timezone.now() + dt.timedelta(days=1))
    stranger = make_plan(units=0).instructor
    client.force_login(stranger)
    assert (
        client.post(reverse("courses:staff_session_material", args=[session.pk])).status_code == 403
    )
    assert (
        client.post(reverse("courses:staff_session_briefings", args=[session.pk])).status_code
        == 403
    )
    assert client.get(reverse("courses:staff_run_resources", args=[plan.run.pk])).status_code in (
        403,
        404,
    )
