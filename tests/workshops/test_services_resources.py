"""Loans, safety briefings and consumables: what a coordinator, an instructor or a borrower
notices."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import InvalidInput
from tests.courses.planning_fixtures import make_plan
from tests.factories import trainee
from tests.timeutils import day_at
from workshops.errors import ReservationConflict
from workshops.models import Consumable, EquipmentReservation, Loan
from workshops.selectors_resources import briefings_missing, low_stocks, overdue_loans
from workshops.services.briefings import add_months, record_briefing
from workshops.services.consumables import create_consumable, receive_stock, record_use
from workshops.services.loans import lend_item, remind_overdue, return_item
from workshops.services.reservations import reserve_items

pytestmark = pytest.mark.django_db


def test_a_loan_conflicts_with_a_session_reservation_like_any_booking():
    plan = make_plan(units=1)
    item = plan.printers[0]
    reserve_items(
        items=[item],
        start=day_at(3, 8),
        end=day_at(3, 12),
        actor=None,
        kind=EquipmentReservation.Kind.SESSION,
        purpose="3D-Druck kompakt",
    )
    person = trainee()
    with pytest.raises(ReservationConflict) as clash:
        lend_item(
            equipment=item,
            borrower=person,
            actor=plan.coordinator,
            start=day_at(2, 8),
            expected_return=day_at(3, 9),
        )
    assert "3D-Druck kompakt" in clash.value.message
    loan = lend_item(
        equipment=item,
        borrower=person,
        actor=plan.coordinator,
        start=day_at(1, 8),
        expected_return=day_at(2, 8),
    )
    assert loan.reservation.kind == EquipmentReservation.Kind.EXTERNAL
    # The loaned time is taken for a course session too.
    with pytest.raises(ReservationConflict):
        reserve_items(
            items=[item],
            start=day_at(1, 10),
            end=day_at(1, 12),
            actor=None,
            kind=EquipmentReservation.Kind.SESSION,
        )


def test_returning_early_frees_the_rest_of_the_loan():
    plan = make_plan(units=1)
    loan = lend_item(
        equipment=plan.printers[0],
        borrower=trainee(),
        actor=plan.coordinator,
        expected_return=timezone.now() + dt.timedelta(days=5),
    )
    returned = return_item(loan=loan, actor=plan.coordinator)
    loan.reservation.refresh_from_db()
    assert loan.reservation.end == returned.returned_at
    reserve_items(
        items=[plan.printers[0]],
        start=day_at(2, 8),
        end=day_at(2, 12),
        actor=None,
        kind=EquipmentReservation.Kind.SESSION,
    )
    with pytest.raises(InvalidInput):
        return_item(loan=loan, actor=plan.coordinator)


def test_machines_that_need_a_briefing_are_lent_only_to_briefed_people():
    plan = make_plan(units=1)
    plan.printer.requires_briefing = True
    plan.printer.briefing_valid_months = 12
    plan.printer.save()
    person = trainee()
    lend = {
        "equipment": plan.printers[0],
        "borrower": person,
        "actor": plan.instructor,
        "expected_return": timezone.now() + dt.timedelta(days=1),
    }
    with pytest.raises(InvalidInput) as refused:
        lend_item(**lend)
    assert refused.value.field == "brief_now"
    assert not Loan.objects.exists()
    lend_item(**lend, brief_now=True)  # the lender briefs on the spot and confirms it
    assert not briefings_missing([person.pk], [plan.printer.pk], on=timezone.localdate())


def test_a_briefing_expires_after_the_types_validity():
    plan = make_plan(units=1)
    plan.printer.requires_briefing = True
    plan.printer.briefing_valid_months = 12
    plan.printer.save()
    person = trainee()
    given = timezone.localdate() - dt.timedelta(days=400)
    briefing = record_briefing(
        person=person, equipment_type=plan.printer, actor=plan.instructor, given_on=given
    )
    assert briefing.valid_until == add_months(given, 12)
    missing = briefings_missing([person.pk], [plan.printer.pk], on=timezone.localdate())
    assert missing == {person.pk: [plan.printer]}
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    with pytest.raises(InvalidInput):
        record_briefing(
            person=person,
            equipment_type=plan.printer,
            actor=plan.instructor,
            given_on=timezone.localdate() + dt.timedelta(days=1),
        )


def test_overdue_loans_are_listed_and_reminded_once_a_day(
    mailoutbox, django_capture_on_commit_callbacks
):
    plan = make_plan(units=1)
    person = trainee()
    loan = lend_item(
        equipment=plan.printers[0],
        borrower=person,
        actor=plan.coordinator,
        expected_return=timezone.now() + dt.timedelta(hours=1),
    )
    later = timezone.now() + dt.timedelta(days=1)
    assert list(overdue_loans([plan.school.pk], now=later)) == [loan]
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue(now=later) == 1
        assert remind_overdue(now=later) == 0  # the same day: not again
    assert mailoutbox[0].to == [person.email, plan.coordinator.email]
    assert plan.printers[0].inventory_number in mailoutbox[0].subject
    return_item(loan=loan, actor=plan.coordinator)
    assert not overdue_loans([plan.school.pk], now=later).exists()


def test_stock_moves_with_receipts_and_use_and_alerts_once_when_low(
    mailoutbox, django_capture_on_commit_callbacks
):
    plan = make_plan(units=0)
    pla = create_consumable(
        school=plan.school, actor=plan.coordinator, name="Filament 1,75 mm", material="PLA",
        colour="Schwarz", unit=Consumable.Unit.GRAM,
    )  # fmt: skip
    with pytest.raises(InvalidInput):
        create_consumable(
            school=plan.school, actor=None, name="Filament 1,75 mm", material="PLA",
            colour="Schwarz", unit="g",
        )  # fmt: skip
    stock = receive_stock(
        consumable=pla, workshop=plan.workshop, quantity=1000, minimum=300, actor=plan.coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_use(stock=stock, quantity=Decimal("650"), actor=plan.instructor)
        record_use(stock=stock, quantity=Decimal("50"), actor=plan.instructor)
    stock.refresh_from_db()
    assert stock.quantity == Decimal("300")
    assert list(low_stocks([plan.school.pk])) == [stock]
    assert len(mailoutbox) == 1 and "PLA" in mailoutbox[0].subject
    with pytest.raises(InvalidInput) as too_much:
        record_use(stock=stock, quantity=301, actor=plan.instructor)
    assert "300" in too_much.value.message
    receive_stock(consumable=pla, workshop=plan.workshop, quantity=500, actor=plan.coordinator)
    assert not low_stocks([plan.school.pk]).exists()
    movements = list(stock.movements.values_list("kind", "quantity"))
    assert sorted(movements) == sorted(
        [("receipt", Decimal("1000")), ("use", Decimal("-650")), ("use", Decimal("-50")),
         ("receipt", Decimal("500"))]
    )  # fmt: skip
