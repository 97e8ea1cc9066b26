"""Cancelling (services/booking/cancel.py): the freed seat goes to the first waiting, the
deadline rules for participant, business and coordinator, and calling off a whole run."""

import datetime as dt

import pytest

from core.models import DomainEvent
from courses.errors import BookingClosed, CancellationNotAllowed
from courses.selectors import waitlist_position
from courses.services.booking.book import book
from courses.services.booking.cancel import cancel, cancel_run
from tests.courses.booking_fixtures import make_run, statuses, verified_trainee
from tests.factories import business_contact, coordinator

pytestmark = pytest.mark.django_db


def test_cancellation_promotes_first_waiting_and_nobody_jumps_the_queue():
    run = make_run(capacity=2)
    first, second, w1, w2, w3 = [verified_trainee() for _ in range(5)]
    confirmed = book(run=run, participant=first)
    book(run=run, participant=second)
    waiting = [book(run=run, participant=p) for p in (w1, w2, w3)]

    cancel(enrolment=confirmed, actor=first, reason="krank")

    for e in waiting:
        e.refresh_from_db()
    assert [e.status for e in waiting] == ["confirmed", "waitlisted", "waitlisted"]
    assert [waitlist_position(e) for e in waiting] == [None, 1, 2]
    # A newcomer after the promotion queues behind the others, even though a seat was freed.
    late = book(run=run, participant=verified_trainee())
    assert late.status == "waitlisted" and waitlist_position(late) == 3
    confirmed.refresh_from_db()
    assert confirmed.status == "cancelled" and confirmed.cancel_reason == "krank"
    assert DomainEvent.objects.filter(type="enrolment.cancelled").count() == 1
    assert DomainEvent.objects.filter(
        type="enrolment.confirmed", payload__id=waiting[0].pk
    ).exists()


def test_waitlisted_person_leaving_frees_no_seat_and_keeps_order():
    run = make_run(capacity=1)
    book(run=run, participant=verified_trainee())
    a, b, c = (book(run=run, participant=verified_trainee()) for _ in range(3))
    cancel(enrolment=b, actor=b.participant)
    a.refresh_from_db()
    c.refresh_from_db()
    assert (a.status, c.status) == ("waitlisted", "waitlisted")
    assert (waitlist_position(a), waitlist_position(c)) == (1, 2)


def test_deadline_rules_participant_business_coordinator():
    run = make_run(capacity=5)
    person = verified_trainee()
    contact = business_contact(person.trainee_profile.business)
    boss = coordinator(run.school)
    stranger = verified_trainee()
    enrolment = book(run=run, participant=person)
    with pytest.raises(CancellationNotAllowed):
        cancel(enrolment=enrolment, actor=stranger)  # no right at all

    after = run.cancellation_deadline + dt.timedelta(minutes=1)
    with pytest.raises(CancellationNotAllowed) as err:
        cancel(enrolment=enrolment, actor=person, now=after)
    assert "Koordination" in err.value.message
    with pytest.raises(CancellationNotAllowed):
        cancel(enrolment=enrolment, actor=contact, now=after)
    assert cancel(enrolment=enrolment, actor=boss, now=after).status == "cancelled"

    # before the deadline the business contact may cancel for its apprentice
    other = book(run=run, participant=verified_trainee(business=person.trainee_profile.business))
    assert cancel(enrolment=other, actor=contact).status == "cancelled"
    with pytest.raises(CancellationNotAllowed):
        cancel(enrolment=other, actor=contact)  # already cancelled


def test_waiting_list_can_be_left_after_the_deadline():
    run = make_run(capacity=1)
    book(run=run, participant=verified_trainee())
    waiting = book(run=run, participant=verified_trainee())
    after = run.cancellation_deadline + dt.timedelta(days=1)
    assert cancel(enrolment=waiting, actor=waiting.participant, now=after).status == "cancelled"


def test_cancel_run_cancels_everyone_and_tells_each_chamber():
    run = make_run(capacity=1)
    a = book(run=run, participant=verified_trainee())
    b = book(run=run, participant=verified_trainee())
    c = book(run=run, participant=verified_trainee(business=None))
    cancel_run(run=run, actor=coordinator(run.school), reason="Ausbilder erkrankt")
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert statuses(run) == ["cancelled"] * 3
    assert set(run.sessions.values_list("status", flat=True)) == {"cancelled"}
    events = DomainEvent.objects.filter(type="run.cancelled")
    assert {e.chamber_id for e in events} == {
        a.business.chamber_id,
        b.business.chamber_id,
        None,
    }
    assert c.business is None
    with pytest.raises(BookingClosed):
        book(run=run, participant=verified_trainee())
