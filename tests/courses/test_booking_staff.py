"""The coordinator's hand on a run's participants (services/booking/staff.py): book by hand, move,
promote, cancel for someone; permissions and the edge cases a coordinator meets."""

import datetime as dt

import pytest
from django.core import mail

from core.errors import InvalidInput, PermissionDenied
from core.models import AuditEntry, OutboxEmail
from core.services.outbox import deliver_email
from courses.errors import (
    AlreadyEnrolled,
    MoveNotAllowed,
    NotWaiting,
    OverlappingBooking,
    RunFull,
)
from courses.models import Enrolment
from courses.selectors import waitlist_position
from courses.services.booking import book, book_by_hand, cancel_for, move, promote
from people.models import User
from tests.courses.booking_fixtures import make_run, statuses, verified_trainee
from tests.factories import (
    CourseRunFactory,
    WorkshopFactory,
    business_contact,
    coordinator,
    instructor,
)

pytestmark = pytest.mark.django_db


def _mails_to(address):
    return list(OutboxEmail.objects.filter(recipients__contains=f" {address.lower()} "))


def _sent_to(address):
    """What the person receives: the outbox's rows to them sent as its worker sends them (a
    booking's e-mails are rendered then)."""
    for row in _mails_to(address):
        deliver_email(email_id=row.pk)
    return [m for m in mail.outbox if address in m.to]


def test_book_by_hand_creates_a_private_participant_with_a_password_mail_and_no_secret():
    run = make_run(capacity=2)
    boss = coordinator(run.school)
    enrolment, created = book_by_hand(
        run=run, actor=boss, email="Erika.Muster@Example.org", first_name="Erika",
        last_name="Muster", language="en",
    )  # fmt: skip
    assert created and enrolment.status == "confirmed" and enrolment.source == "staff"
    person = User.objects.get(email="erika.muster@example.org")
    assert not person.has_usable_password() and person.language == "en"
    assert enrolment.business is None and enrolment.booked_by == boss
    mails = _mails_to("erika.muster@example.org")
    subjects = sorted(m.subject for m in mails)
    assert any("Your account" in s for s in subjects), subjects
    account_mail = next(m for m in mails if "Your account" in m.subject)
    assert "/accounts/password/reset/" in account_mail.body
    assert "key" not in account_mail.body.lower()  # no token, nothing secret kept in the outbox
    assert AuditEntry.objects.filter(action="account.created_by_staff").exists()


def test_book_by_hand_uses_an_existing_account_and_never_changes_it():
    run = make_run(capacity=2)
    person = verified_trainee()
    enrolment, created = book_by_hand(
        run=run, actor=coordinator(run.school), email=person.email.upper(), first_name="X"
    )
    person.refresh_from_db()
    assert not created and enrolment.participant == person and person.first_name != "X"
    assert enrolment.business == person.trainee_profile.business


def test_book_by_hand_outside_the_window_but_never_beyond_the_seats():
    run = make_run(capacity=1)
    run.booking_closes_at = run.booking_opens_at + dt.timedelta(minutes=1)
    run.save()
    boss = coordinator(run.school)
    first, _ = book_by_hand(run=run, actor=boss, email=verified_trainee().email)
    second, _ = book_by_hand(run=run, actor=boss, email=verified_trainee().email)
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    assert waitlist_position(second) == 1


def test_book_by_hand_refused_leaves_no_account_and_needs_names():
    run = make_run()
    boss = coordinator(run.school)
    with pytest.raises(InvalidInput) as err:
        book_by_hand(run=run, actor=boss, email="neu@example.org", first_name="Nur")
    assert err.value.field == "last_name"
    person = verified_trainee()
    book(run=run, participant=person)
    with pytest.raises(AlreadyEnrolled):
        book_by_hand(run=run, actor=boss, email=person.email)
    run.status = "draft"
    run.save()
    with pytest.raises(Exception):  # noqa: B017 - BookingClosed; the point is what is left
        book_by_hand(run=run, actor=boss, email="neu@example.org", first_name="A", last_name="B")
    assert not User.objects.filter(email="neu@example.org").exists()


@pytest.mark.parametrize("who", ["instructor", "other_coordinator", "business_contact"])
def test_only_the_schools_coordinators_change_participants(who):
    run = make_run(capacity=2)
    enrolment = book(run=run, participant=verified_trainee())
    actor = {
        "instructor": lambda: instructor(run.school),
        "other_coordinator": lambda: coordinator(),
        "business_contact": lambda: business_contact(enrolment.business),
    }[who]()
    with pytest.raises(PermissionDenied):
        book_by_hand(run=run, actor=actor, email=verified_trainee().email)
    with pytest.raises(PermissionDenied):
        cancel_for(enrolment=enrolment, actor=actor, reason="x")
    with pytest.raises(PermissionDenied):
        promote(enrolment=enrolment, actor=actor)
    assert statuses(run) == ["confirmed"]


def _twin(run, **kwargs):
    """Another run of the same course, later, with its own sessions."""
    return make_run(
        capacity=kwargs.pop("capacity", 2),
        day=kwargs.pop("day", 40),
        workshop=kwargs.pop("workshop", run.workshop),
        course=run.course,
        **kwargs,
    )


def test_move_takes_the_target_seat_frees_the_old_one_and_sends_one_mail():
    run = make_run(capacity=1)
    target = _twin(run)
    boss = coordinator(run.school)
    mover = verified_trainee()
    old = book(run=run, participant=mover)
    waiting = book(run=run, participant=verified_trainee())
    OutboxEmail.objects.all().delete()

    new = move(enrolment=old, target=target, actor=boss)

    old.refresh_from_db()
    waiting.refresh_from_db()
    assert (old.status, new.status, new.run_id) == ("cancelled", "confirmed", target.pk)
    assert waiting.status == "confirmed"  # the old run's waiting list moved up
    mails = _mails_to(mover.email)
    assert len(mails) == 1 and "Umgebucht" in mails[0].subject
    assert target.starts_at.astimezone().strftime("%d.%m.%Y") in mails[0].body
    methods = sorted(a["mimetype"] for a in mails[0].attachments)
    assert methods == ["text/calendar; method=CANCEL"] * 2 + ["text/calendar; method=REQUEST"] * 2
    assert AuditEntry.objects.filter(action="enrolment.moved", object_id=str(new.pk)).exists()


def test_move_refuses_full_target_other_course_and_started_run():
    run = make_run(capacity=2)
    boss = coordinator(run.school)
    enrolment = book(run=run, participant=verified_trainee())
    full = _twin(run, capacity=1)
    book(run=full, participant=verified_trainee())
    with pytest.raises(RunFull):
        move(enrolment=enrolment, target=full, actor=boss)
    other_course = make_run(day=50, workshop=run.workshop)
    with pytest.raises(MoveNotAllowed):
        move(enrolment=enrolment, target=other_course, actor=boss)
    with pytest.raises(MoveNotAllowed):
        move(enrolment=enrolment, target=run, actor=boss)
    started = _twin(run, day=60)
    with pytest.raises(Exception, match="begonnen"):  # noqa: B017
        move(enrolment=enrolment, target=started, actor=boss, now=started.starts_at)
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"  # nothing half-done


def test_move_to_a_run_of_another_school_is_refused():
    run = make_run(capacity=2)
    enrolment = book(run=run, participant=verified_trainee())
    foreign = CourseRunFactory(course=run.course)  # another school's workshop and school
    foreign.school = coordinator().memberships.first().school
    foreign.save()
    with pytest.raises(PermissionDenied):
        move(enrolment=enrolment, target=foreign, actor=coordinator(run.school))


def test_promote_gives_a_free_seat_to_the_chosen_waiting_person():
    run = make_run(capacity=1)
    boss = coordinator(run.school)
    seat = book(run=run, participant=verified_trainee())
    first = book(run=run, participant=verified_trainee())
    second = book(run=run, participant=verified_trainee())
    with pytest.raises(RunFull):
        promote(enrolment=second, actor=boss)
    with pytest.raises(NotWaiting):
        promote(enrolment=seat, actor=boss)
    run.capacity = 2  # a seat more, and the coordinator picks the second in the queue
    run.save()
    promoted = promote(enrolment=second, actor=boss)
    first.refresh_from_db()
    assert promoted.status == "confirmed" and first.status == "waitlisted"
    assert any("frei geworden" in m.subject for m in _sent_to(second.participant.email))


def test_cancel_after_the_deadline_needs_a_reason_which_reaches_the_mail_and_audit():
    run = make_run(capacity=1)
    boss = coordinator(run.school)
    person = verified_trainee()
    enrolment = book(run=run, participant=person)
    after = run.cancellation_deadline + dt.timedelta(hours=1)
    with pytest.raises(InvalidInput) as err:
        cancel_for(enrolment=enrolment, actor=boss, reason="  ", now=after)
    assert err.value.field == "reason"
    cancel_for(enrolment=enrolment, actor=boss, reason="Betrieb hat abgesagt", now=after)
    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled"
    entry = AuditEntry.objects.get(action="enrolment.cancelled", object_id=str(enrolment.pk))
    assert entry.data["reason"] == "Betrieb hat abgesagt" and entry.actor_id == boss.pk
    cancelled = next(m for m in _sent_to(person.email) if "Storniert" in m.subject)
    assert "Grund: Betrieb hat abgesagt" in cancelled.body


def test_taking_someone_off_the_waiting_list_needs_no_reason():
    run = make_run(capacity=1)
    book(run=run, participant=verified_trainee())
    waiting = book(run=run, participant=verified_trainee())
    cancel_for(enrolment=waiting, actor=coordinator(run.school))
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CANCELLED


def test_move_refuses_a_target_that_overlaps_another_booking_and_names_the_person():
    run = make_run(capacity=2)
    boss = coordinator(run.school)
    person = verified_trainee()
    enrolment = book(run=run, participant=person)
    target = _twin(run, day=40)
    elsewhere = make_run(day=40)  # another course elsewhere, same days
    book(run=elsewhere, participant=person)
    with pytest.raises(OverlappingBooking) as err:
        move(enrolment=enrolment, target=target, actor=boss)
    assert err.value.message.startswith(person.get_full_name())
    # Moving within the same days is no clash with the run being left.
    same_days = _twin(run, day=21, workshop=WorkshopFactory(school=run.school, seats=30))
    moved = move(enrolment=enrolment, target=same_days, actor=boss, now=run.booking_opens_at)
    assert moved.status == "confirmed"
