"""No overbooking, ever: 200 concurrent bookings for 20 seats on PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from courses.models import Enrolment
from courses.services.booking import book, waitlist_position
from people.models import User
from tests.courses.booking_fixtures import make_run
from tests.factories import trainee


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_bookings_for_20_seats():
    run = make_run(capacity=20)
    participant_ids = [trainee().pk for _ in range(200)]
    connection.close()

    def fire(user_id):
        try:
            enrolment = book(run=run, participant=User.objects.get(pk=user_id))
            return enrolment.status
        finally:
            connection.close()  # each worker thread has its own connection; give it back

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(fire, participant_ids))

    assert results.count("confirmed") == 20
    assert results.count("waitlisted") == 180
    enrolments = Enrolment.objects.filter(run=run)
    assert enrolments.filter(status="confirmed").count() == 20
    waiting = list(enrolments.filter(status="waitlisted").order_by("waitlist_seq"))
    assert [e.waitlist_seq for e in waiting] == list(range(1, 181))
    assert [waitlist_position(e) for e in waiting] == list(range(1, 181))
    # the first 20 to get the lock hold the seats: every waitlisted booking came after them
    last_confirmed = enrolments.filter(status="confirmed").order_by("-created_at").first()
    assert all(e.created_at >= last_confirmed.created_at for e in waiting)
