"""Employer approval (services/booking/approvals.py and holds.py): the held seat, approve,
decline, and holds that run out."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.errors import ApprovalError
from courses.services.booking.approvals import approve, decline, release_expired_holds
from courses.services.booking.book import book
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import business_contact

pytestmark = pytest.mark.django_db


def test_approval_holds_the_seat_and_the_employer_approves():
    run = make_run(capacity=1, requires_employer_approval=True)
    person = verified_trainee()
    contact = business_contact(person.trainee_profile.business)
    pending = book(run=run, participant=person)
    assert pending.status == "pending"
    assert pending.approval_token
    assert pending.hold_until > timezone.now() + dt.timedelta(days=4)
    # the held seat counts: the next person waits
    assert book(run=run, participant=verified_trainee()).status == "waitlisted"
    with pytest.raises(ApprovalError):
        approve(enrolment_id=pending.pk, actor=business_contact())  # someone else's contact
    confirmed = approve(enrolment_id=pending.pk, actor=contact)
    assert confirmed.status == "confirmed" and confirmed.confirmed_at
    with pytest.raises(ApprovalError) as err:
        approve(enrolment_id=pending.pk, actor=contact)
    assert "bereits" in err.value.message
    with pytest.raises(ApprovalError):
        approve(enrolment_id=0, actor=contact)


def test_decline_releases_the_seat_to_the_first_waiting():
    run = make_run(capacity=1, requires_employer_approval=True)
    person = verified_trainee()
    contact = business_contact(person.trainee_profile.business)
    pending = book(run=run, participant=person)
    nobody = verified_trainee(business=None)  # no employer: nothing to approve
    waiting = book(run=run, participant=nobody)
    decline(enrolment_id=pending.pk, actor=contact)
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == "cancelled"
    assert waiting.status == "confirmed"


def test_expired_hold_is_released_and_the_next_promoted_into_a_new_hold():
    run = make_run(capacity=1, requires_employer_approval=True)
    first = book(run=run, participant=verified_trainee())
    second = book(run=run, participant=verified_trainee())
    later = first.hold_until + dt.timedelta(minutes=1)
    contact = business_contact(first.business)
    with pytest.raises(ApprovalError) as err:
        approve(enrolment_id=first.pk, actor=contact, now=later)
    assert "abgelaufen" in err.value.message
    assert release_expired_holds(now=later) == 1
    assert release_expired_holds(now=later) == 0  # idempotent
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled"
    assert second.status == "pending" and second.approval_token_hash and second.hold_until > later
