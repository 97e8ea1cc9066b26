"""Employment is a link both sides agree to: the person asks (by member number or an invitation
code), a contact of the business confirms or refuses; either side ends it. Only a confirmed link
counts: until then the business neither sees the person nor pays for them."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from people.models import Employment, EmploymentInvitation, TraineeProfile
from people.selectors import confirmed_employer, confirmed_people
from people.services import (
    employment_confirm,
    employment_end,
    employment_refuse,
    employment_request,
    invitation_accept,
    invitation_create,
    invitation_revoke,
)
from tests.factories import BusinessFactory, UserFactory, business_contact

pytestmark = pytest.mark.django_db

Status = Employment.Status


@pytest.fixture
def person(db):
    user = UserFactory(email="jana@example.org", first_name="Jana", last_name="Köhler")
    TraineeProfile.objects.create(user=user, kind=TraineeProfile.Kind.APPRENTICE)
    return user


@pytest.fixture
def business(db):
    return BusinessFactory(name="Tischlerei Schröder", member_number="HWK-10427")


@pytest.fixture
def contact(business):
    user = business_contact(business)
    user.language = "en"
    user.save()
    return user


def test_a_request_tells_the_contacts_and_gives_the_business_nothing_yet(
    person, business, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employment = employment_request(user=person, business=business)
    assert employment.status == Status.REQUESTED and employment.requested_by == person
    (message,) = mail.outbox
    assert message.to == [contact.email]
    assert message.subject == (
        "[Lernwerkstatt] Please confirm: Jana Köhler asks to join Tischlerei Schröder"
    )  # in the contact's language
    assert "jana@example.org" in message.body and "/business/people/" in message.body
    assert confirmed_employer(person) is None
    assert list(confirmed_people(business)) == []
    person.trainee_profile.refresh_from_db()
    assert person.trainee_profile.business is None


def test_a_name_with_line_breaks_cannot_add_lines_to_the_subject(
    business, contact, django_capture_on_commit_callbacks
):
    sly = UserFactory(first_name="Eve\r\nBcc: all@example.org", last_name="X")
    with django_capture_on_commit_callbacks(execute=True):
        employment_request(user=sly, business=business)
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject


def test_confirm_makes_the_business_the_employer(
    person, business, contact, django_capture_on_commit_callbacks
):
    employment = employment_request(user=person, business=business)
    with django_capture_on_commit_callbacks(execute=True):
        employment_confirm(employment=employment, actor=contact)
    employment.refresh_from_db()
    assert employment.status == Status.CONFIRMED and employment.confirmed_by == contact
    assert employment.decided_at is not None
    assert confirmed_employer(person) == business
    assert list(confirmed_people(business)) == [person]
    person.trainee_profile.refresh_from_db()
    assert person.trainee_profile.business == business
    assert mail.outbox[-1].to == [person.email]
    assert "Tischlerei Schröder hat Sie bestätigt" in mail.outbox[-1].subject


def test_only_a_contact_of_that_business_decides(person, business):
    employment = employment_request(user=person, business=business)
    for outsider in (person, business_contact(BusinessFactory())):
        with pytest.raises(PermissionDenied):
            employment_confirm(employment=employment, actor=outsider)
    assert Employment.objects.get().status == Status.REQUESTED


def test_refused_is_final_and_the_person_may_ask_again(person, business, contact):
    employment = employment_request(user=person, business=business)
    employment_refuse(employment=employment, actor=contact)
    assert Employment.objects.get().status == Status.REFUSED
    with pytest.raises(DomainError):
        employment_confirm(employment=employment, actor=contact)
    assert confirmed_employer(person) is None
    again = employment_request(user=person, business=business)
    assert again.status == Status.REQUESTED


def test_asking_twice_is_refused_and_the_database_holds_one_open_link(person, business):
    employment_request(user=person, business=business)
    with pytest.raises(DomainError):
        employment_request(user=person, business=business)
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(
            user=person, business=business, status=Status.REQUESTED, source="request"
        )


def test_one_employer_at_a_time(person, business, contact):
    first = employment_request(user=person, business=business)
    employment_confirm(employment=first, actor=contact)
    other = BusinessFactory()
    second = employment_request(user=person, business=other)
    employment_confirm(employment=second, actor=business_contact(other))
    first.refresh_from_db()
    assert first.status == Status.ENDED and first.ended_at is not None
    assert confirmed_employer(person) == other
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(
            user=person,
            business=business,
            status=Status.CONFIRMED,
            source="request",
            decided_at=timezone.now(),
        )


@pytest.mark.parametrize("who", ["person", "contact"])
def test_either_side_ends_it_and_the_person_is_private_again(person, business, contact, who):
    employment = employment_request(user=person, business=business)
    employment_confirm(employment=employment, actor=contact)
    employment_end(employment=employment, actor=person if who == "person" else contact)
    employment.refresh_from_db()
    assert employment.status == Status.ENDED
    assert confirmed_employer(person) is None
    person.trainee_profile.refresh_from_db()
    assert person.trainee_profile.business is None
    with pytest.raises(PermissionDenied):  # a stranger cannot end anyone's link
        employment_end(
            employment=employment_request(user=person, business=business),
            actor=business_contact(BusinessFactory()),
        )


def test_invitation_code_is_stored_hashed_and_confirms_its_addressee(
    person, business, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, code = invitation_create(business=business, email=person.email, actor=contact)
    row = EmploymentInvitation.objects.filter(pk=invitation.pk).values().get()
    assert len(row["code_hash"]) == 64
    for value in row.values():  # neither the code nor its letters are kept in clear
        assert code not in str(value) and code.replace("-", "") not in str(value)
    (message,) = mail.outbox
    assert message.to == [person.email] and code in message.body
    assert f"/employment/invitations/{code}/" in message.body

    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    employment = invitation_accept(user=person, code=code.lower().replace("-", " "))
    assert employment.status == Status.CONFIRMED
    assert employment.source == Employment.Source.INVITATION
    assert employment.requested_by == contact
    assert confirmed_employer(person) == business
    with pytest.raises(DomainError):  # single use
        invitation_accept(user=UserFactory(), code=code)


def test_a_forwarded_invitation_only_asks(person, business, contact):
    _invitation, code = invitation_create(
        business=business, email="someone.else@example.org", actor=contact
    )
    employment = invitation_accept(user=person, code=code)
    assert employment.status == Status.REQUESTED
    assert confirmed_employer(person) is None
    employment_confirm(employment=employment, actor=contact)
    assert confirmed_employer(person) == business


def test_expired_revoked_and_unknown_codes_are_refused(person, business, contact):
    expired, expired_code = invitation_create(business=business, email=person.email, actor=contact)
    EmploymentInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    revoked, revoked_code = invitation_create(business=business, email=person.email, actor=contact)
    invitation_revoke(invitation=revoked, actor=contact)
    for code in (expired_code, revoked_code, "AAAA-BBBB-CCCC-DDDD"):
        with pytest.raises(DomainError) as refused:
            invitation_accept(user=person, code=code)
        assert refused.value.field == "code"
    assert not Employment.objects.exists()


def test_only_contacts_invite(person, business):
    with pytest.raises(PermissionDenied):
        invitation_create(business=business, email="x@example.org", actor=person)


def test_a_person_cannot_flood_businesses_with_requests(person):
    for _ in range(3):
        employment_request(user=person, business=BusinessFactory())
    with pytest.raises(DomainError):
        employment_request(user=person, business=BusinessFactory())
    assert Employment.objects.filter(user=person).count() == 3
