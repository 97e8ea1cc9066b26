"""Loans of an item to a person (an instructor, a trainee): the loan holds a reservation of the
item for its time, so it conflicts with course sessions and other bookings by the same overlap
rule (and on PostgreSQL the same exclusion constraint). A machine that needs a safety briefing
is lent only to someone briefed, or briefed by the lender on the spot. Overdue loans get a daily
reminder."""

import datetime as dt

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import InvalidInput
from core.formatting import iso
from core.links import absolute_url
from core.services.outbox import enqueue_email
from core.textmail import render_text

from ..models import Equipment, EquipmentReservation, Loan
from ..selectors_resources import briefed, overdue_loans
from .briefings import record_briefing
from .reservations import reserve_items


@transaction.atomic
def lend_item(
    *,
    equipment: Equipment,
    borrower,
    actor,
    expected_return: dt.datetime,
    start: dt.datetime | None = None,
    note: str = "",
    brief_now: bool = False,
) -> Loan:
    """Lend `equipment` from `start` (default now) until `expected_return`. Locks the item; the
    reservation refuses an overlap (ReservationConflict names the other booking)."""
    now = timezone.now()
    start = start or now
    if borrower is None:
        raise InvalidInput(_("Bitte eine Person wählen."), field="borrower")
    if expected_return is None or expected_return <= start:
        raise InvalidInput(_("Die Rückgabe muss nach dem Beginn liegen."), field="expected_return")
    if start < now - dt.timedelta(minutes=5):
        raise InvalidInput(
            _("Eine Ausleihe kann nicht in der Vergangenheit beginnen."), field="start"
        )
    equipment = Equipment.objects.select_for_update().select_related("type").get(pk=equipment.pk)
    etype = equipment.type
    if etype.requires_briefing and not briefed(
        [borrower.pk], [etype.pk], on=timezone.localdate(start)
    ):
        if not brief_now:
            raise InvalidInput(
                _(
                    "%(person)s hat keine gültige Sicherheitsunterweisung für %(type)s. "
                    "Unterweisen Sie vor der Ausleihe und bestätigen Sie das."
                )
                % {"person": borrower.get_full_name() or borrower.email, "type": etype.name},
                field="brief_now",
            )
        record_briefing(person=borrower, equipment_type=etype, actor=actor)
    name = borrower.get_full_name() or borrower.email
    (reservation,) = reserve_items(
        items=[equipment],
        start=start,
        end=expected_return,
        actor=actor,
        kind=EquipmentReservation.Kind.EXTERNAL,
        purpose=_("Ausleihe an %(name)s") % {"name": name},
    )
    loan = Loan.objects.create(
        equipment=equipment,
        borrower=borrower,
        lent_by=actor if getattr(actor, "is_authenticated", False) else None,
        start=start,
        expected_return=expected_return,
        reservation=reservation,
        note=note[:200],
    )
    audit(
        actor=actor,
        action="loan.created",
        obj=loan,
        borrower=borrower.pk,
        start=iso(start),
        expected_return=iso(expected_return),
    )
    return loan


@transaction.atomic
def return_item(*, loan: Loan, actor, at: dt.datetime | None = None) -> Loan:
    """Check the item in: the loan is closed and its reservation ends now, freeing the rest of
    the time for others (or is cancelled when the item comes back before the loan began)."""
    loan = Loan.objects.select_for_update().select_related("reservation").get(pk=loan.pk)
    if loan.returned_at is not None:
        raise InvalidInput(_("Diese Ausleihe ist schon zurückgegeben."), field="loan")
    at = at or timezone.now()
    loan.returned_at = at
    loan.save(update_fields=["returned_at", "updated_at"])
    reservation = loan.reservation
    if at <= reservation.start:
        reservation.is_active = False
        reservation.save(update_fields=["is_active", "updated_at"])
    elif at < reservation.end:
        reservation.end = at
        reservation.save(update_fields=["end", "updated_at"])
    audit(actor=actor, action="loan.returned", obj=loan, returned_at=iso(at))
    return loan


def remind_overdue(*, now: dt.datetime | None = None) -> int:
    """Daily: e-mail each borrower of an overdue loan (copy to who lent it), once a day.
    Returns the number of reminders sent; safe to run twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for loan in overdue_loans(now=now):
        with transaction.atomic():
            claimed = (
                Loan.objects.filter(pk=loan.pk, returned_at__isnull=True)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            )
            if not claimed:
                continue
            context = {"loan": loan, "url": absolute_url("workshops:loans")}
            subject = " ".join(
                render_text("workshops/emails/loan_overdue_subject.txt", context).split()
            )
            body = render_text("workshops/emails/loan_overdue.txt", context)
            to = [loan.borrower.email]
            cc = [loan.lent_by.email] if loan.lent_by and loan.lent_by.email not in to else []
            enqueue_email(EmailMessage(subject=subject, body=body, to=to + cc))
            sent += 1
    return sent
