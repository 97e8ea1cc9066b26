"""The waiting list respects deadlines: after the cancellation deadline a freed seat is offered
to the next waiting person, who accepts or declines within WAITLIST_OFFER_HOURS (an offer not
answered passes on); nobody moves up once the first session has started; an employer's approval
hold never outlives the start."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.errors import OfferError
from courses.models import Enrolment
from courses.services.booking import (
    accept_offer,
    book,
    cancel,
    decline_offer,
    expire_offers,
    promote_all_waiting,
)
from courses.tasks.booking import expire_waitlist_offers
from tests.courses.booking_fixtures import make_run, statuses, verified_trainee
from tests.factories import coordinator
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db

AFTER_DEADLINE = day_at(19, 10)  # make_run: deadline day 18, first session day 21 at 8


@pytest.fixture
def full_run():
    """A run with one seat, taken, and two people waiting."""
    run = make_run(capacity=1)
    seated = book(run=run, participant=verified_trainee())
    first = book(run=run, participant=verified_trainee())
    second = book(run=run, participant=verified_trainee())
    return run, seated, first, second


def _refresh(*objs):
    for obj in objs:
        obj.refresh_from_db()


def test_after_the_deadline_a_freed_seat_is_offered_not_given(
    full_run, settings, django_capture_on_commit_callbacks
):
    settings.WAITLIST_OFFER_HOURS = 24
    run, seated, first, second = full_run
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(enrolment=seated, actor=coordinator(run.school), now=AFTER_DEADLINE)
    _refresh(first, second)
    assert first.status == "offered"
    assert first.hold_until == AFTER_DEADLINE + dt.timedelta(hours=24)
    assert second.status == "waitlisted"
    offer = [m for m in mail.outbox if first.participant.email in m.to]
    assert len(offer) == 1
    assert reverse("courses:my_offer", args=[first.pk]) in offer[0].body
    # The offered seat is held: someone booking now waits behind.
    late = book(run=run, participant=verified_trainee(), now=AFTER_DEADLINE)
    assert late.status == "waitlisted"

    with django_capture_on_commit_callbacks(execute=True):
        accept_offer(enrolment=first, actor=first.participant, now=AFTER_DEADLINE)
    first.refresh_from_db()
    assert first.status == "confirmed" and first.hold_until is None
    assert any("bestätigt" in m.subject or "Bestätigung" in m.subject for m in mail.outbox[-1:])


def test_declined_or_unanswered_offer_passes_to_the_next(full_run, settings):
    settings.WAITLIST_OFFER_HOURS = 12
    run, seated, first, second = full_run
    third = book(run=run, participant=verified_trainee())
    cancel(enrolment=seated, actor=coordinator(run.school), now=AFTER_DEADLINE)
    decline_offer(
        enrolment=Enrolment.objects.get(pk=first.pk), actor=first.participant, now=AFTER_DEADLINE
    )
    _refresh(first, second, third)
    assert (first.status, second.status, third.status) == ("cancelled", "offered", "waitlisted")

    # Nobody answers: the periodic task passes the offer on once it has run out.
    assert expire_offers(now=AFTER_DEADLINE + dt.timedelta(hours=11)) == 0
    assert expire_offers(now=AFTER_DEADLINE + dt.timedelta(hours=13)) == 1
    _refresh(second, third)
    assert (second.status, third.status) == ("cancelled", "offered")
    with pytest.raises(OfferError):
        accept_offer(
            enrolment=second, actor=second.participant, now=AFTER_DEADLINE + dt.timedelta(hours=13)
        )


def test_offer_never_outlives_the_start_and_nobody_moves_up_after_it(full_run, settings):
    settings.WAITLIST_OFFER_HOURS = 48
    run, seated, first, second = full_run
    start = day_at(21, 8)
    cancel(enrolment=seated, actor=coordinator(run.school), now=start - dt.timedelta(hours=3))
    first.refresh_from_db()
    assert first.status == "offered" and first.hold_until == start
    # At the start the offer lapses and is not passed on: the course is running.
    assert expire_offers(now=start + dt.timedelta(minutes=10)) == 1
    _refresh(first, second)
    assert (first.status, second.status) == ("cancelled", "waitlisted")
    assert promote_all_waiting(now=start + dt.timedelta(hours=1)) == 0
    second.refresh_from_db()
    assert second.status == "waitlisted"


def test_cancellation_after_the_start_promotes_nobody(full_run):
    run, seated, first, second = full_run
    cancel(enrolment=seated, actor=coordinator(run.school), now=day_at(21, 9))
    assert statuses(run) == ["cancelled", "waitlisted", "waitlisted"]


def test_before_the_deadline_promotion_stays_automatic(full_run):
    run, seated, first, second = full_run
    cancel(enrolment=seated, actor=seated.participant, now=day_at(17, 10))
    first.refresh_from_db()
    assert first.status == "confirmed"


def test_employer_hold_never_outlives_the_start(settings):
    settings.BOOKING_APPROVAL_HOLD_DAYS = 5
    run = make_run(capacity=1, requires_employer_approval=True, booking_closes_at=day_at(21, 0))
    person = verified_trainee()
    pending = book(run=run, participant=person, now=day_at(20, 9))
    assert pending.status == "pending"
    assert pending.hold_until == day_at(21, 8)


def test_the_task_expires_offers(full_run, settings):
    run, seated, first, second = full_run
    cancel(enrolment=seated, actor=coordinator(run.school), now=AFTER_DEADLINE)
    lapsed = timezone.now() - dt.timedelta(minutes=1)
    Enrolment.objects.filter(pk=first.pk).update(hold_until=lapsed)
    assert expire_waitlist_offers.delay().get() == 1
    first.refresh_from_db()
    assert first.status == "cancelled"


def test_offer_page_accept_and_decline(full_run, client):
    run, seated, first, second = full_run
    cancel(enrolment=seated, actor=coordinator(run.school), now=AFTER_DEADLINE)
    url = reverse("courses:my_offer", args=[first.pk])
    client.force_login(second.participant)
    assert client.get(url).status_code == 404  # someone else's offer
    client.force_login(first.participant)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "annehmen" in html and "ablehnen" in html
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "confirmed"


def test_hold_made_before_the_cap_is_released_at_the_start():
    """A hold from before holds were capped (hold_until past the start) ends at the start too;
    the approval link then says the time has run out."""
    from courses.errors import ApprovalError
    from courses.services.booking import approve, release_expired_holds
    from tests.factories import business_contact

    run = make_run(capacity=1, requires_employer_approval=True)
    person = verified_trainee()
    pending = book(run=run, participant=person)
    Enrolment.objects.filter(pk=pending.pk).update(hold_until=day_at(30))
    waiting = book(run=run, participant=verified_trainee())
    started = day_at(21, 9)
    with pytest.raises(ApprovalError):
        approve(
            enrolment_id=pending.pk,
            actor=business_contact(person.trainee_profile.business),
            now=started,
        )
    assert release_expired_holds(now=started) == 1
    _refresh(pending, waiting)
    assert (pending.status, waiting.status) == ("cancelled", "waitlisted")


def test_a_lapsed_offer_tells_its_holder_and_offers_the_seat_to_the_next(full_run, settings):
    """Both e-mails are written into the outbox in the expiry's transaction: the sweep sends
    them even when the worker that ran the expiry dies right after its commit."""
    from core.models import OutboxEmail
    from core.services.outbox import deliver_due_emails

    settings.WAITLIST_OFFER_HOURS = 12
    run, seated, first, second = full_run
    cancel(enrolment=seated, actor=coordinator(run.school), now=AFTER_DEADLINE)
    OutboxEmail.objects.all().delete()
    mail.outbox.clear()

    # The test transaction runs no on-commit hand-off: only the outbox rows can carry them.
    assert expire_offers(now=AFTER_DEADLINE + dt.timedelta(hours=13)) == 1
    assert deliver_due_emails(now=timezone.now() + dt.timedelta(minutes=5)) == 2
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {first.participant.email, second.participant.email}
    assert "Angebot abgelaufen" in told[first.participant.email].subject
    assert "nicht mehr auf der Warteliste" in told[first.participant.email].body
    assert "Ein Platz für Sie" in told[second.participant.email].subject
    assert expire_offers(now=AFTER_DEADLINE + dt.timedelta(hours=14)) == 0
    assert OutboxEmail.objects.count() == 2
