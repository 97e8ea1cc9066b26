"""Interest: register, renew, withdraw, expiry reminders and purge; the e-mail when a run is
published; the priority window in which the interested book before the public."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from core.errors import InvalidInput, PermissionDenied
from courses.errors import BookingClosed
from courses.models import Enrolment
from courses.services.booking import book, book_many
from courses.services.planning import publish_run
from demand.models import Interest, InterestNotification
from demand.selectors.interest import has_priority
from demand.services.interest import (
    interest_register,
    interest_renew,
    interest_withdraw,
    interests_purge,
    interests_remind_expiring,
)
from tests.courses.booking_fixtures import verified_trainee
from tests.factories import (
    BusinessFactory,
    CourseFactory,
    UserFactory,
    business_contact,
    coordinator,
    trainee,
)

from .fixtures import draft_run

pytestmark = pytest.mark.django_db


@override_settings(DEMAND_INTEREST_DAYS=30)
def test_register_sets_an_expiry_and_registering_again_renews_the_same_interest():
    user, course = trainee(), CourseFactory()
    now = timezone.now()
    first = interest_register(user=user, course=course, now=now)
    assert first.expires_at == now + dt.timedelta(days=30)
    later = now + dt.timedelta(days=20)
    again = interest_register(user=user, course=course, now=later)
    assert again.pk == first.pk
    assert again.expires_at == later + dt.timedelta(days=30)
    assert Interest.objects.count() == 1


def test_business_contact_registers_for_their_business_only():
    business = BusinessFactory()
    contact = business_contact(business)
    interest = interest_register(
        user=contact, course=CourseFactory(), business=business, participants=4
    )
    assert interest.participants == 4
    with pytest.raises(PermissionDenied):
        interest_register(user=contact, course=CourseFactory(), business=BusinessFactory())


def test_register_refuses_bad_figures_and_inactive_courses():
    user = trainee()
    with pytest.raises(InvalidInput) as error:
        interest_register(user=user, course=CourseFactory(), participants=0)
    assert error.value.field == "participants"
    with pytest.raises(InvalidInput) as error:
        interest_register(
            user=user,
            course=CourseFactory(),
            preferred_start=dt.date(2030, 5, 1),
            preferred_end=dt.date(2030, 4, 1),
        )
    assert error.value.field == "preferred_end"
    with pytest.raises(InvalidInput):
        interest_register(user=user, course=CourseFactory(is_active=False))


@override_settings(DEMAND_INTEREST_DAYS=10)
def test_an_expired_interest_can_be_renewed_and_a_withdrawn_one_cannot():
    user = trainee()
    start = timezone.now() - dt.timedelta(days=30)
    interest = interest_register(user=user, course=CourseFactory(), now=start)
    now = timezone.now()
    assert interest.status(now) == Interest.Status.EXPIRED
    interest = interest_renew(interest=interest, actor=user, now=now)
    assert interest.status(now) == Interest.Status.ACTIVE
    interest = interest_withdraw(interest=interest, actor=user)
    assert interest.status(now) == Interest.Status.WITHDRAWN
    with pytest.raises(InvalidInput):
        interest_renew(interest=interest, actor=user)
    # Withdrawn, a new registration starts a new interest.
    assert interest_register(user=user, course=interest.course).pk != interest.pk


def test_only_the_holder_renews_or_withdraws():
    interest = interest_register(user=trainee(), course=CourseFactory())
    with pytest.raises(PermissionDenied):
        interest_withdraw(interest=interest, actor=trainee())
    with pytest.raises(PermissionDenied):
        interest_renew(interest=interest, actor=trainee())


def _published(run, coordinator_user, callbacks):
    with callbacks(execute=True):
        return publish_run(run=run, actor=coordinator_user)


def test_publishing_a_run_emails_the_interested_once_in_their_language(
    django_capture_on_commit_callbacks,
):
    course = CourseFactory()
    de_user = trainee()
    en_user = UserFactory(language="en")
    withdrawn = trainee()
    other_course = trainee()
    interest_register(user=de_user, course=course)
    interest_register(user=en_user, course=course)
    interest_withdraw(interest=interest_register(user=withdrawn, course=course), actor=withdrawn)
    interest_register(user=other_course, course=CourseFactory())
    run = draft_run(course)
    _published(run, coordinator(course.school), django_capture_on_commit_callbacks)

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {de_user.email, en_user.email}
    assert "Neuer Termin" in by_recipient[de_user.email].subject
    assert "vor allen anderen" in by_recipient[de_user.email].body
    assert f"/runs/{run.pk}/" in by_recipient[de_user.email].body
    assert "New date" in by_recipient[en_user.email].subject
    # A redelivered task tells nobody twice.
    from demand.services.interest import interests_notify_for_run

    assert interests_notify_for_run(run_id=run.pk) == 0
    assert len(mail.outbox) == 2


@override_settings(DEMAND_PRIORITY_DAYS=7)
def test_the_interested_book_in_the_priority_window_and_the_public_waits(
    django_capture_on_commit_callbacks,
):
    course = CourseFactory()
    interested, public = verified_trainee(), verified_trainee()
    interest_register(user=interested, course=course)
    run = _published(
        draft_run(course, opens_in_days=3),
        coordinator(course.school),
        django_capture_on_commit_callbacks,
    )

    enrolment = book(run=run, participant=interested)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    with pytest.raises(BookingClosed):
        book(run=run, participant=public)
    # Once the public booking opens, everybody books.
    later = run.booking_opens_at + dt.timedelta(minutes=1)
    assert book(run=run, participant=public, now=later).status == Enrolment.Status.CONFIRMED


@override_settings(DEMAND_PRIORITY_DAYS=2)
def test_the_window_is_the_priority_days_before_the_opening(django_capture_on_commit_callbacks):
    course = CourseFactory()
    interested = verified_trainee()
    interest_register(user=interested, course=course)
    run = _published(
        draft_run(course, opens_in_days=5),
        coordinator(course.school),
        django_capture_on_commit_callbacks,
    )
    now = timezone.now()
    assert not has_priority(run=run, participant=interested, now=now)
    with pytest.raises(BookingClosed):
        book(run=run, participant=interested, now=now)
    inside = run.booking_opens_at - dt.timedelta(days=1)
    assert has_priority(run=run, participant=interested, now=inside)


def test_interest_registered_after_the_publication_or_withdrawn_gives_no_priority(
    django_capture_on_commit_callbacks,
):
    course = CourseFactory()
    early, late = verified_trainee(), verified_trainee()
    interest = interest_register(user=early, course=course)
    run = _published(
        draft_run(course, opens_in_days=3),
        coordinator(course.school),
        django_capture_on_commit_callbacks,
    )
    interest_register(user=late, course=course)
    with pytest.raises(BookingClosed):
        book(run=run, participant=late)
    interest_withdraw(interest=interest, actor=early)
    with pytest.raises(BookingClosed):
        book(run=run, participant=early)


def test_a_business_contact_books_its_people_in_the_window_of_its_business_interest(
    django_capture_on_commit_callbacks,
):
    business = BusinessFactory()
    contact = business_contact(business)
    course = CourseFactory()
    interest_register(user=contact, course=course, business=business, participants=2)
    run = _published(
        draft_run(course, opens_in_days=3),
        coordinator(course.school),
        django_capture_on_commit_callbacks,
    )
    people = [trainee(business=business), trainee(business=business)]
    enrolments = book_many(run=run, participants=people, booked_by=contact, business=business)
    assert [e.status for e in enrolments] == [Enrolment.Status.CONFIRMED] * 2
    # Its interest does not open the window for somebody else's employee.
    stranger = trainee()
    assert not has_priority(run=run, participant=stranger, booked_by=contact, now=timezone.now())


def test_expiry_reminder_goes_out_once_and_old_interests_are_purged(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    user = trainee()
    soon = interest_register(user=user, course=CourseFactory(), now=now)
    Interest.objects.filter(pk=soon.pk).update(expires_at=now + dt.timedelta(days=3))
    interest_register(user=trainee(), course=CourseFactory(), now=now)  # far from expiry
    with django_capture_on_commit_callbacks(execute=True):
        assert interests_remind_expiring(now=now) == 1
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "läuft ab" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert interests_remind_expiring(now=now) == 0

    old = interest_register(user=trainee(), course=CourseFactory(), now=now)
    Interest.objects.filter(pk=old.pk).update(expires_at=now - dt.timedelta(days=400))
    InterestNotification.objects.create(interest=old, run=draft_run(old.course))
    assert interests_purge(now=now) == 1
    assert not Interest.objects.filter(pk=old.pk).exists()
    assert Interest.objects.filter(pk=soon.pk).exists()


def test_deleting_the_account_removes_its_interests():
    from courses.services.privacy import delete_account

    user = trainee()
    interest_register(user=user, course=CourseFactory())
    delete_account(user=user)
    assert not Interest.objects.filter(user=user).exists()
