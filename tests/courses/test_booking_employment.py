"""A business pays only for people it confirmed: until then a person books as a private person,
the business's booking form does not offer them, and a booking in the business's name for them
is refused."""

import pytest

from core.errors import DomainError
from courses.forms.business import BusinessBookingForm
from courses.services import booking
from people.models import TraineeProfile
from people.services import employment_confirm, employment_end, employment_request
from tests.factories import BusinessFactory, business_contact

from .booking_fixtures import make_run, verified_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    return BusinessFactory()


@pytest.fixture
def asking(business):
    """Signed up, asked to join the business, not confirmed yet."""
    user = verified_trainee(business=None)
    employment_request(user=user, business=business)
    return user


def test_a_person_who_only_asked_books_privately(asking, business):
    enrolment = booking.book(run=make_run(), participant=asking)
    assert enrolment.business is None


def test_after_confirmation_the_booking_goes_to_the_business(asking, business):
    contact = business_contact(business)
    employment_confirm(employment=asking.employments.get(), actor=contact)
    enrolment = booking.book(run=make_run(), participant=asking)
    assert enrolment.business == business


def test_after_the_link_ends_the_person_books_privately_again(business):
    person = verified_trainee(business=business)
    employment_end(employment=person.employments.get(), actor=person)
    assert booking.book(run=make_run(), participant=person).business is None


def test_the_business_cannot_book_an_unconfirmed_person_at_its_cost(asking, business):
    contact = business_contact(business)
    run = make_run()
    with pytest.raises(DomainError):
        booking.book_many(run=run, participants=[asking], booked_by=contact, business=business)
    with pytest.raises(DomainError) as refused:
        booking.book(run=run, participant=asking, booked_by=contact, business=business)
    assert refused.value.field == "participant"
    assert not run.enrolments.exists()


def test_a_stale_profile_employer_pays_nothing(asking, business):
    """Even if something wrote the profile's employer directly, only the confirmed link counts."""
    TraineeProfile.objects.filter(user=asking).update(business=business)
    assert booking.book(run=make_run(), participant=asking).business is None


def test_the_booking_form_offers_only_confirmed_people(asking, business):
    confirmed = verified_trainee(business=business)
    form = BusinessBookingForm(business=business)
    assert list(form.fields["participants"].queryset) == [confirmed]


@pytest.mark.postgres
def test_the_employer_is_read_in_the_round_trip_of_the_checks(business):
    """An apprentice's own booking finds who pays in the round trip that locks the person and
    checks them (PostgreSQL sends those statements together): as many round trips as when the
    business books for them and names itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contact = business_contact(business)
    run = make_run()
    trips = []
    for person, by in (
        (verified_trainee(business=business), {}),
        (verified_trainee(business=business), {"booked_by": contact, "business": business}),
    ):
        with CaptureQueriesContext(connection) as queries:
            enrolment = booking.book(run=run, participant=person, **by)
        assert enrolment.business == business
        # The chamber's webhook endpoints are looked up once for a while, by whichever is first.
        sent = [q["sql"] for q in queries.captured_queries if "api_webhookendpoint" not in q["sql"]]
        trips.append(len(sent))
    assert trips[0] == trips[1]
