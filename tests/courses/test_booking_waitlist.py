"""The waiting list (services/booking/waitlist.py): seats freed elsewhere (more capacity,
repaired equipment) go to the first waiting, in order, at once."""

import pytest

from courses.models import CourseRun
from courses.services.booking.book import book
from courses.services.booking.waitlist import promote_all_waiting, promote_waiting
from tests.courses.booking_fixtures import make_run, statuses, verified_trainee
from tests.factories import CourseEquipmentFactory, EquipmentFactory, coordinator

pytestmark = pytest.mark.django_db


def test_more_capacity_promotes_fifo():
    run = make_run(capacity=1)
    book(run=run, participant=verified_trainee())
    waiting = [book(run=run, participant=verified_trainee()) for _ in range(3)]
    CourseRun.objects.filter(pk=run.pk).update(capacity=3)
    promoted = promote_waiting(run=run)
    assert [e.pk for e in promoted] == [waiting[0].pk, waiting[1].pk]
    assert statuses(run) == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_repaired_equipment_frees_seats_and_promotes_at_once(django_capture_on_commit_callbacks):
    from workshops.services import set_equipment_status

    run = make_run(capacity=10)
    need = CourseEquipmentFactory(course=run.course, equipment_type__participants_per_unit=1)
    EquipmentFactory(workshop=run.workshop, type=need.equipment_type)
    broken = EquipmentFactory(workshop=run.workshop, type=need.equipment_type, status="defective")
    book(run=run, participant=verified_trainee())
    waiting = book(run=run, participant=verified_trainee())
    assert waiting.status == "waitlisted"  # one working printer, one seat
    with django_capture_on_commit_callbacks(execute=True):
        set_equipment_status(equipment=broken, status="available", actor=coordinator(run.school))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_raising_capacity_on_the_run_promotes_at_once(django_capture_on_commit_callbacks):
    run = make_run(capacity=1)
    book(run=run, participant=verified_trainee())
    waiting = book(run=run, participant=verified_trainee())
    run.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        run.save()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert promote_all_waiting() == 0
