"""The booking service: every status change, the deadline rules, promotion order, duplicates and
overlaps, employer approval and business bookings."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditEntry, DomainEvent
from courses.errors import (
    AlreadyEnrolled,
    ApprovalError,
    BookingClosed,
    CancellationNotAllowed,
    NotEligible,
    OverlappingBooking,
)
from courses.models import CourseRun, Enrolment, Session
from courses.selectors import waitlist_position
from courses.services.booking import (
    approve,
    book,
    book_many,
    cancel,
    cancel_run,
    decline,
    promote_all_waiting,
    promote_waiting,
    release_expired_holds,
)
from tests.courses.booking_fixtures import make_run
from tests.factories import (
    BusinessFactory,
    CourseEquipmentFactory,
    EquipmentFactory,
    business_contact,
    coordinator,
    trainee,
)
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


def statuses(run):
    return list(Enrolment.objects.filter(run=run).order_by("id").values_list("status", flat=True))


def test_confirmed_while_seats_free_then_waiting_list_in_order():
    run = make_run(capacity=2)
    people = [trainee() for _ in range(5)]
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


def test_cancellation_promotes_first_waiting_and_nobody_jumps_the_queue():
    run = make_run(capacity=2)
    first, second, w1, w2, w3 = [trainee() for _ in range(5)]
    confirmed = book(run=run, participant=first)
    book(run=run, participant=second)
    waiting = [book(run=run, participant=p) for p in (w1, w2, w3)]

    cancel(enrolment=confirmed, actor=first, reason="krank")

    for e in waiting:
        e.refresh_from_db()
    assert [e.status for e in waiting] == ["confirmed", "waitlisted", "waitlisted"]
    assert [waitlist_position(e) for e in waiting] == [None, 1, 2]
    # A newcomer after the promotion queues behind the others, even though a seat was freed.
    late = book(run=run, participant=trainee())
    assert late.status == "waitlisted" and waitlist_position(late) == 3
    confirmed.refresh_from_db()
    assert confirmed.status == "cancelled" and confirmed.cancel_reason == "krank"
    assert DomainEvent.objects.filter(type="enrolment.cancelled").count() == 1
    assert DomainEvent.objects.filter(
        type="enrolment.confirmed", payload__id=waiting[0].pk
    ).exists()


def test_waitlisted_person_leaving_frees_no_seat_and_keeps_order():
    run = make_run(capacity=1)
    book(run=run, participant=trainee())
    a, b, c = (book(run=run, participant=trainee()) for _ in range(3))
    cancel(enrolment=b, actor=b.participant)
    a.refresh_from_db()
    c.refresh_from_db()
    assert (a.status, c.status) == ("waitlisted", "waitlisted")
    assert (waitlist_position(a), waitlist_position(c)) == (1, 2)


def test_more_capacity_promotes_fifo():
    run = make_run(capacity=1)
    book(run=run, participant=trainee())
    waiting = [book(run=run, participant=trainee()) for _ in range(3)]
    CourseRun.objects.filter(pk=run.pk).update(capacity=3)
    promoted = promote_waiting(run)
    assert [e.pk for e in promoted] == [waiting[0].pk, waiting[1].pk]
    assert statuses(run) == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_repaired_equipment_frees_seats_and_promotes_at_once(django_capture_on_commit_callbacks):
    from workshops.services import set_equipment_status

    run = make_run(capacity=10)
    need = CourseEquipmentFactory(course=run.course, equipment_type__participants_per_unit=1)
    EquipmentFactory(workshop=run.workshop, type=need.equipment_type)
    broken = EquipmentFactory(workshop=run.workshop, type=need.equipment_type, status="defective")
    book(run=run, participant=trainee())
    waiting = book(run=run, participant=trainee())
    assert waiting.status == "waitlisted"  # one working printer, one seat
    with django_capture_on_commit_callbacks(execute=True):
        set_equipment_status(equipment=broken, status="available", actor=coordinator(run.school))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_raising_capacity_on_the_run_promotes_at_once(django_capture_on_commit_callbacks):
    run = make_run(capacity=1)
    book(run=run, participant=trainee())
    waiting = book(run=run, participant=trainee())
    run.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        run.save()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert promote_all_waiting() == 0


def test_duplicate_booking_refused_but_rebooking_after_cancel_allowed():
    run = make_run(capacity=5)
    person = trainee()
    first = book(run=run, participant=person)
    with pytest.raises(AlreadyEnrolled):
        book(run=run, participant=person)
    cancel(enrolment=first, actor=person)
    again = book(run=run, participant=person)
    assert again.status == "confirmed"
    assert Enrolment.objects.filter(run=run, participant=person).count() == 2


def test_overlapping_runs_refused_with_the_other_runs_name():
    person = trainee()
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
    person = trainee()
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
        book(run=run, participant=trainee())
    assert message in err.value.message
    assert not Enrolment.objects.exists()


def test_deadline_rules_participant_business_coordinator():
    run = make_run(capacity=5)
    person = trainee()
    contact = business_contact(person.trainee_profile.business)
    boss = coordinator(run.school)
    stranger = trainee()
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
    other = book(run=run, participant=trainee(business=person.trainee_profile.business))
    assert cancel(enrolment=other, actor=contact).status == "cancelled"
    with pytest.raises(CancellationNotAllowed):
        cancel(enrolment=other, actor=contact)  # already cancelled


def test_waiting_list_can_be_left_after_the_deadline():
    run = make_run(capacity=1)
    book(run=run, participant=trainee())
    waiting = book(run=run, participant=trainee())
    after = run.cancellation_deadline + dt.timedelta(days=1)
    assert cancel(enrolment=waiting, actor=waiting.participant, now=after).status == "cancelled"


def test_cancel_run_cancels_everyone_and_tells_each_chamber():
    run = make_run(capacity=1)
    a = book(run=run, participant=trainee())
    b = book(run=run, participant=trainee())
    c = book(run=run, participant=trainee(business=None))
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
        book(run=run, participant=trainee())


def test_not_eligible_when_account_anonymised():
    run = make_run()
    person = trainee()
    person.anonymised_at = timezone.now()
    person.save()
    with pytest.raises(NotEligible):
        book(run=run, participant=person)


# --- employer approval -----------------------------------------------------------------------


def test_approval_holds_the_seat_and_the_employer_approves():
    run = make_run(capacity=1, requires_employer_approval=True)
    person = trainee()
    contact = business_contact(person.trainee_profile.business)
    pending = book(run=run, participant=person)
    assert pending.status == "pending"
    assert pending.approval_token
    assert pending.hold_until > timezone.now() + dt.timedelta(days=4)
    # the held seat counts: the next person waits
    assert book(run=run, participant=trainee()).status == "waitlisted"
    with pytest.raises(ApprovalError):
        approve(token=pending.approval_token, actor=business_contact())  # someone else's contact
    confirmed = approve(token=pending.approval_token, actor=contact)
    assert confirmed.status == "confirmed" and confirmed.confirmed_at
    with pytest.raises(ApprovalError) as err:
        approve(token=pending.approval_token, actor=contact)
    assert "bereits" in err.value.message
    with pytest.raises(ApprovalError):
        approve(token="nonsense", actor=contact)


def test_decline_releases_the_seat_to_the_first_waiting():
    run = make_run(capacity=1, requires_employer_approval=True)
    person = trainee()
    contact = business_contact(person.trainee_profile.business)
    pending = book(run=run, participant=person)
    nobody = trainee(business=None)  # no employer: nothing to approve
    waiting = book(run=run, participant=nobody)
    decline(token=pending.approval_token, actor=contact)
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == "cancelled"
    assert waiting.status == "confirmed"


def test_expired_hold_is_released_and_the_next_promoted_into_a_new_hold():
    run = make_run(capacity=1, requires_employer_approval=True)
    first = book(run=run, participant=trainee())
    second = book(run=run, participant=trainee())
    later = first.hold_until + dt.timedelta(minutes=1)
    contact = business_contact(first.business)
    with pytest.raises(ApprovalError) as err:
        approve(token=first.approval_token, actor=contact, now=later)
    assert "abgelaufen" in err.value.message
    assert release_expired_holds(now=later) == 1
    assert release_expired_holds(now=later) == 0  # idempotent
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled"
    assert second.status == "pending" and second.approval_token and second.hold_until > later


def test_business_contact_books_two_apprentices_at_once_without_approval():
    run = make_run(capacity=1, requires_employer_approval=True)
    business = BusinessFactory()
    contact = business_contact(business)
    a, b = trainee(business=business), trainee(business=business)
    enrolments = book_many(run=run, participants=[a, b], booked_by=contact, business=business)
    assert [e.status for e in enrolments] == ["confirmed", "waitlisted"]
    assert all(e.booked_by == contact and e.business == business for e in enrolments)


def test_book_many_is_all_or_nothing():
    run = make_run(capacity=5)
    business = BusinessFactory()
    contact = business_contact(business)
    mine = trainee(business=business)
    with pytest.raises(NotEligible):
        book_many(run=run, participants=[mine, trainee()], booked_by=contact, business=business)
    already = trainee(business=business)
    book(run=run, participant=already)
    with pytest.raises(AlreadyEnrolled):
        book_many(run=run, participants=[mine, already], booked_by=contact, business=business)
    assert not Enrolment.objects.filter(participant=mine).exists()
