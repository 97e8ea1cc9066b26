"""Employment decisions racing each other, on PostgreSQL (the person's row lock of
people.services.employment): one request per business however often it is sent at once, and one
employer at the end however many contacts confirm at once."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from core.errors import DomainError
from people.models import Employment, TraineeProfile, User
from people.services import employment_confirm, employment_request
from tests.factories import BusinessFactory, UserFactory, business_contact


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_eight_times_at_once_is_one_request():
    person = UserFactory()
    business = BusinessFactory()
    connection.close()

    def fire(_):
        try:
            employment_request(user=User.objects.get(pk=person.pk), business=business)
            return "requested"
        except DomainError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(fire, range(8)))
    assert sorted(results) == ["refused"] * 7 + ["requested"]
    assert Employment.objects.filter(user=person).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_three_businesses_confirming_at_once_leave_one_employer():
    person = UserFactory()
    TraineeProfile.objects.create(user=person)
    pairs = []
    for _ in range(3):
        business = BusinessFactory()
        pairs.append(
            (employment_request(user=person, business=business).pk, business_contact(business).pk)
        )
    connection.close()

    def fire(pair):
        employment_id, contact_id = pair
        try:
            employment_confirm(
                employment=Employment.objects.get(pk=employment_id),
                actor=User.objects.get(pk=contact_id),
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(fire, pairs))
    statuses = sorted(Employment.objects.filter(user=person).values_list("status", flat=True))
    assert statuses == ["confirmed", "ended", "ended"]
    confirmed = Employment.objects.get(user=person, status="confirmed")
    assert TraineeProfile.objects.get(user=person).business_id == confirmed.business_id
