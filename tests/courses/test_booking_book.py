"""Booking (services/booking/book.py): seats then the waiting list, duplicates and overlaps, the
booking window, who may book, the verified e-mail address of web bookings, business bookings."""

import pytest
from django.utils import timezone

from core.models import AuditEntry, DomainEvent
from courses.errors import (
    AlreadyEnrolled,
    BookingClosed,
    EmailNotVerified,
    NotEligible,
    OverlappingBooking,
)
from courses.models import CourseRun, Enrolment, Session
from courses.selectors import waitlist_position
from courses.services.booking.book import book, book_many
from courses.services.booking.cancel import cancel
from tests.courses.booking_fixtures import make_run, verified_trainee
from tests.factories import BusinessFactory, business_contact, trainee
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


def test_confirmed_while_seats_free_then_waiting_list_in_order():
    run = make_run(capacity=2)
    people = [verified_trainee() for _ in range(5)]
    enrolments = [book(run=run, participant=p) for p in people]
    assert [e.status for e in enrolments] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [waitlist_position(e) for e in enrolments] == [None, None, 1, 2, 3]
    assert [e.waitlist_seq for e in enrolments[2:]] == [1, 2, 3]
    assert enrolments[0].participant_name == people[0].get_full_name()
    assert enrolments[0].business == people[0].trainee_profile.business
    types = list(DomainEvent.objects.order_by("id").values_list("type", flat=True))
    assert types.count("enrolment.created") == 5
    assert types.count("enrolment.confirmed") == 2
    created = DomainEvent.objects.filter(type="enrolment.created").last()
    assert created.payload["waitlist_position"] == 3
    assert created.chamber_id == people[4].trainee_profile.business.chamber_id
    assert AuditEntry.objects.filter(action="enrolment.created").count() == 5


def test_duplicate_booking_refused_but_rebooking_after_cancel_allowed():
    run = make_run(capacity=5)
    person = verified_trainee()
    first = book(run=run, participant=person)
    with pytest.raises(AlreadyEnrolled):
        book(run=run, participant=person)
    cancel(enrolment=first, actor=person)
    again = book(run=run, participant=person)
    assert again.status == "confirmed"
    assert Enrolment.objects.filter(run=run, participant=person).count() == 2


def test_overlapping_runs_refused_with_the_other_runs_name():
    person = verified_trainee()
    morning = make_run(day=30, sessions=1)
    clash = make_run(day=30, sessions=1)  # same day, same hours
    other_day = make_run(day=31, sessions=1)
    book(run=morning, participant=person)
    with pytest.raises(OverlappingBooking) as err:
        book(run=clash, participant=person)
    assert morning.course.title in err.value.message
    assert err.value.details["other_run"] == morning.pk
    assert book(run=other_day, participant=person).status == "confirmed"


def test_touching_sessions_and_cancelled_bookings_do_not_overlap():
    person = verified_trainee()
    first = make_run(day=40, sessions=1)  # 08:00-12:00
    later = make_run(day=40, sessions=0)
    Session.objects.create(
        run=later, workshop=later.workshop, start=day_at(40, 12), end=day_at(40, 16)
    )
    enrolment = book(run=first, participant=person)
    assert book(run=later, participant=person).status == "confirmed"
    clash = make_run(day=40, sessions=1)
    cancel(enrolment=enrolment, actor=person)
    # with the first one cancelled, the 08:00 run no longer clashes
    assert book(run=clash, participant=person).status == "confirmed"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": CourseRun.Status.DRAFT}, "nicht gebucht"),
        ({"booking_opens_at": day_at(2), "booking_closes_at": day_at(5)}, "erst ab"),
        ({"booking_opens_at": day_at(-5), "booking_closes_at": day_at(-1)}, "abgelaufen"),
    ],
)
def test_booking_window_and_status(change, message):
    run = make_run()
    CourseRun.objects.filter(pk=run.pk).update(**change)
    run.refresh_from_db()
    with pytest.raises(BookingClosed) as err:
        book(run=run, participant=verified_trainee())
    assert message in err.value.message
    assert not Enrolment.objects.exists()


def test_not_eligible_when_account_anonymised():
    run = make_run()
    person = verified_trainee()
    person.anonymised_at = timezone.now()
    person.save()
    with pytest.raises(NotEligible):
        book(run=run, participant=person)


def test_business_contact_books_two_apprentices_at_once_without_approval():
    run = make_run(capacity=1, requires_employer_approval=True)
    business = BusinessFactory()
    contact = business_contact(business)
    a, b = verified_trainee(business=business), verified_trainee(business=business)
    enrolments = book_many(run=run, participants=[a, b], booked_by=contact, business=business)
    assert [e.status for e in enrolments] == ["confirmed", "waitlisted"]
    assert all(e.booked_by == contact and e.business == business for e in enrolments)


def test_book_many_is_all_or_nothing():
    run = make_run(capacity=5)
    business = BusinessFactory()
    contact = business_contact(business)
    mine = verified_trainee(business=business)
    with pytest.raises(NotEligible):
        book_many(
            run=run, participants=[mine, verified_trainee()], booked_by=contact, business=business
        )
    already = verified_trainee(business=business)
    book(run=run, participant=already)
    with pytest.raises(AlreadyEnrolled):
        book_many(run=run, participants=[mine, already], booked_by=contact, business=business)
    assert not Enrolment.objects.filter(participant=mine).exists()


def test_a_web_booking_needs_a_verified_email_address():
    run = make_run(capacity=1)
    unverified = trainee()
    with pytest.raises(EmailNotVerified) as err:
        book(run=run, participant=unverified, source=Enrolment.Source.WEB)
    assert err.value.field == "participant"
    assert err.value.message == (
        "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse, dann können Sie buchen."
    )
    assert not Enrolment.objects.exists()
    # the seat is still free for someone who has confirmed their address
    assert book(run=run, participant=verified_trainee()).status == "confirmed"


def test_the_chamber_and_the_employer_may_book_someone_not_yet_verified():
    run = make_run(capacity=5)
    business = BusinessFactory()
    by_api = trainee(business=business)
    by_employer = trainee(business=business)
    assert book(run=run, participant=by_api, source=Enrolment.Source.API).status == "confirmed"
    (enrolment,) = book_many(
        run=run, participants=[by_employer], booked_by=business_contact(business), business=business
    )
    assert enrolment.status == "confirmed"


def test_a_run_without_sessions_yet_overlaps_by_its_dates():
    person = verified_trainee()
    booked = make_run(day=30, sessions=1)
    book(run=booked, participant=person)
    # Dates known, sessions not planned yet.
    planned, later = make_run(day=30, sessions=0), make_run(day=32, sessions=0)
    for run in (planned, later):
        run.ends_at = run.starts_at.replace(hour=12)
        run.save()
    with pytest.raises(OverlappingBooking) as err:
        book(run=planned, participant=person)
    assert err.value.details["other_run"] == booked.pk
    assert book(run=later, participant=person).status == "confirmed"


def test_a_business_books_only_people_it_confirmedly_employs():
    run = make_run(capacity=5)
    business = BusinessFactory()
    stranger = verified_trainee()  # employed elsewhere
    with pytest.raises(NotEligible) as err:
        book(run=run, participant=stranger, business=business, source=Enrolment.Source.API)
    assert err.value.message == (
        f"{stranger.get_full_name()} ist bei diesem Betrieb nicht als beschäftigt bestätigt."
    )
    employee = verified_trainee(business=business)
    enrolment = book(run=run, participant=employee, business=business, source=Enrolment.Source.API)
    assert enrolment.business == business
