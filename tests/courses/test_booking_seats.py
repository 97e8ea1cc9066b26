"""No overbooking, ever (the run lock of services/booking/seats.py): 200 concurrent bookings for
20 seats, overlapping runs and cancellations racing bookings, on PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from courses.errors import OverlappingBooking
from courses.models import Enrolment
from courses.selectors import waitlist_position
from courses.services.booking.book import book
from courses.services.booking.cancel import cancel
from people.models import User
from tests.courses.booking_fixtures import make_run, verified_trainee


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_bookings_for_20_seats():
    run = make_run(capacity=20)
    participant_ids = [verified_trainee().pk for _ in range(200)]
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_booking_two_overlapping_runs_at_once_gets_exactly_one():
    person = verified_trainee()
    runs = [make_run(day=30, sessions=1) for _ in range(6)]  # all at the same time
    connection.close()

    def fire(run):
        try:
            return book(run=run, participant=User.objects.get(pk=person.pk)).status
        except OverlappingBooking:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(fire, runs))
    assert sorted(results) == ["confirmed"] + ["refused"] * 5
    assert Enrolment.objects.filter(participant=person).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancellations_racing_bookings_never_overbook_and_keep_fifo():
    run = make_run(capacity=5)
    holders = [book(run=run, participant=verified_trainee()) for _ in range(5)]
    newcomers = [verified_trainee().pk for _ in range(20)]
    connection.close()

    def fire(job):
        kind, value = job
        try:
            if kind == "cancel":
                enrolment = Enrolment.objects.get(pk=value)
                cancel(enrolment=enrolment, actor=None)
            else:
                book(run=run, participant=User.objects.get(pk=value))
        finally:
            connection.close()

    jobs = [("book", pk) for pk in newcomers[:10]]
    jobs += [("cancel", e.pk) for e in holders[:3]]
    jobs += [("book", pk) for pk in newcomers[10:]]
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(fire, jobs))
    rows = Enrolment.objects.filter(run=run)
    assert rows.filter(status="confirmed").count() == 5
    assert rows.filter(status="cancelled").count() == 3
    waiting = [e.waitlist_seq for e in rows.filter(status="waitlisted").order_by("waitlist_seq")]
    promoted = [e.waitlist_seq for e in rows.filter(status="confirmed", waitlist_seq__isnull=False)]
    assert len(waiting) + rows.filter(status="confirmed").count() == 22  # 2 holders + 20 newcomers
    # sequence numbers are handed out without gaps, and whoever moved up came before everyone
    # still waiting: nobody jumped the queue
    assert sorted(waiting + promoted) == list(range(1, len(waiting) + len(promoted) + 1))
    assert not promoted or not waiting or max(promoted) < min(waiting)
