"""The booking records that a participant must be briefed in the first session when the course's
machines require a safety briefing they lack; the attendance page and the participant list show
it, and a briefing recorded anywhere clears it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput
from courses.models import CourseRun, Enrolment
from courses.services.booking import book
from tests.courses.planning_fixtures import make_plan
from tests.factories import SessionFactory, trainee
from workshops.models import Equipment, EquipmentReservation
from workshops.services.briefings import record_briefing
from workshops.services.loans import lend_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = make_plan(units=2)
    plan.printer.requires_briefing = True
    plan.printer.save()
    plan.run.status = CourseRun.Status.PUBLISHED
    plan.run.save()
    start = timezone.now() + dt.timedelta(days=3)
    plan.session = SessionFactory(run=plan.run, start=start, end=start + dt.timedelta(hours=4))
    return plan


def _book(plan, person) -> Enrolment:
    return book(run=plan.run, participant=person, source=Enrolment.Source.STAFF)


def test_booking_flags_who_lacks_a_valid_briefing_on_the_first_day(plan):
    unbriefed, briefed, expiring = trainee(), trainee(), trainee()
    record_briefing(person=briefed, equipment_type=plan.printer, actor=plan.instructor)
    # Valid today, but expired by the first session: must be briefed again there.
    old = record_briefing(
        person=expiring,
        equipment_type=plan.printer,
        actor=plan.instructor,
        given_on=timezone.localdate() - dt.timedelta(days=400),
    )
    old.valid_until = timezone.localdate() + dt.timedelta(days=1)
    old.save()

    assert _book(plan, unbriefed).briefing_needed is True
    assert _book(plan, briefed).briefing_needed is False
    assert _book(plan, expiring).briefing_needed is True


def test_no_flag_when_the_machines_need_no_briefing(plan):
    plan.printer.requires_briefing = False
    plan.printer.save()
    assert _book(plan, trainee()).briefing_needed is False


def test_attendance_page_and_participant_list_show_the_flag_until_briefed(plan, client):
    person = trainee()
    enrolment = _book(plan, person)
    client.force_login(plan.coordinator)
    attendance = reverse("courses:staff_attendance", args=[plan.session.pk])
    export = reverse("courses:export_participants_csv", args=[plan.run.pk])
    row = f'id="attendance-{enrolment.pk}"'
    page = client.get(attendance).content.decode()
    flagged = page[page.index(row) :].split("</legend>")[0]
    assert "Unterweisung im ersten Termin" in flagged
    csv = client.get(export).content.decode("utf-8-sig")
    assert "Sicherheitsunterweisung nötig" in csv.splitlines()[0]
    header, first = (line.split(";") for line in csv.splitlines()[:2])
    column = header.index("Sicherheitsunterweisung nötig")
    assert first[column] == "im ersten Termin"

    client.post(
        reverse("courses:staff_session_briefings", args=[plan.session.pk]),
        {"enrolment": [str(enrolment.pk)]},
    )
    enrolment.refresh_from_db()
    assert enrolment.briefing_needed is False
    page = client.get(attendance).content.decode()
    assert "Unterweisung im ersten Termin" not in page[page.index(row) :].split("</legend>")[0]
    after = client.get(export).content.decode("utf-8-sig").splitlines()[1].split(";")
    assert after[column] == ""


def test_a_briefing_given_at_a_loan_clears_the_flag_too(plan):
    person = trainee()
    enrolment = _book(plan, person)
    item = plan.printers[0]
    now = timezone.now()
    with pytest.raises(InvalidInput) as refused:
        lend_item(
            equipment=item,
            borrower=person,
            actor=plan.instructor,
            expected_return=now + dt.timedelta(days=1),
        )
    assert refused.value.field == "brief_now"  # the loan refuses the unbriefed person likewise
    enrolment.refresh_from_db()
    assert enrolment.briefing_needed is True
    lend_item(
        equipment=item,
        borrower=person,
        actor=plan.instructor,
        expected_return=now + dt.timedelta(days=1),
        brief_now=True,
    )
    enrolment.refresh_from_db()
    assert enrolment.briefing_needed is False
    assert EquipmentReservation.objects.filter(equipment=item).exists()
    assert Equipment.objects.get(pk=item.pk).status == Equipment.Status.AVAILABLE
