"""What only PostgreSQL can prove: the exclusion constraints refuse overlaps even when the
service's check is bypassed or raced, and the service turns the violation into SessionConflict."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from courses.errors import SessionConflict
from courses.models import CourseRun, Session
from courses.services import planning
from courses.services.planning import conflicts
from tests.courses.planning_fixtures import make_plan
from tests.factories import CourseRunFactory, EquipmentFactory, SessionFactory, WorkshopFactory
from tests.timeutils import day_at
from workshops.errors import ReservationConflict
from workshops.models import EquipmentReservation
from workshops.services import constraint_name, reserve_external

pytestmark = pytest.mark.postgres


def _violated(create) -> str:
    with pytest.raises(IntegrityError) as err, transaction.atomic():
        create()
    return constraint_name(err.value)


@pytest.mark.django_db
def test_database_refuses_overlapping_sessions_in_one_workshop():
    first = SessionFactory(start=day_at(30, 8), end=day_at(30, 12))
    name = _violated(
        lambda: SessionFactory(
            run=CourseRunFactory(workshop=first.workshop, school=first.run.school),
            workshop=first.workshop,
            start=day_at(30, 11),
            end=day_at(30, 13),
        )
    )
    assert name == "session_no_workshop_overlap"
    # a cancelled session does not block the slot
    first.status = Session.Status.CANCELLED
    first.save()
    SessionFactory(workshop=first.workshop, start=day_at(30, 11), end=day_at(30, 13))


@pytest.mark.django_db
def test_database_refuses_one_instructor_in_two_places():
    plan = make_plan()
    SessionFactory(
        run=plan.run, instructor=plan.instructor, start=day_at(30, 8), end=day_at(30, 12)
    )
    other_room = WorkshopFactory(school=plan.school)
    name = _violated(
        lambda: SessionFactory(
            workshop=other_room,
            instructor=plan.instructor,
            start=day_at(30, 9),
            end=day_at(30, 10),
        )
    )
    assert name == "session_no_instructor_overlap"
    # sessions without an instructor never clash on the instructor
    SessionFactory(workshop=other_room, instructor=None, start=day_at(30, 9), end=day_at(30, 10))
    SessionFactory(
        workshop=WorkshopFactory(school=plan.school),
        instructor=None,
        start=day_at(30, 9),
        end=day_at(30, 10),
    )


@pytest.mark.django_db
def test_database_refuses_overlapping_active_reservations_of_one_item():
    item = EquipmentFactory()
    EquipmentReservation.objects.create(equipment=item, start=day_at(30, 8), end=day_at(30, 12))
    name = _violated(
        lambda: EquipmentReservation.objects.create(
            equipment=item, start=day_at(30, 10), end=day_at(30, 14)
        )
    )
    assert name == "reservation_no_overlap"
    EquipmentReservation.objects.create(
        equipment=item, start=day_at(30, 10), end=day_at(30, 14), is_active=False
    )


@pytest.mark.django_db
def test_service_maps_a_constraint_violation_to_session_conflict(monkeypatch):
    """Even if the service's own check misses the overlap, the database has the last word."""
    plan = make_plan(units=0)
    other = CourseRunFactory(
        course__school=plan.school,
        course__title="Robotik Grundlagen",
        school=plan.school,
        workshop=plan.workshop,
        status=CourseRun.Status.DRAFT,
    )
    planning.add_session(run=other, start=day_at(30, 8), end=day_at(30, 12), actor=None)
    monkeypatch.setattr(conflicts, "check_session_conflicts", lambda **kwargs: None)
    with pytest.raises(SessionConflict) as err:
        planning.add_session(run=plan.run, start=day_at(30, 9), end=day_at(30, 10), actor=None)
    assert "Robotik Grundlagen" in err.value.message
    assert plan.run.sessions.count() == 0


def _race(monkeypatch, target, jobs):
    """Run `jobs` in threads, each in its own transaction; all pass the service's check before
    any writes (barrier), as two coordinators pressing "save" at the same moment."""
    barrier = threading.Barrier(len(jobs), timeout=20)
    original = getattr(conflicts, target)

    def check_then_wait(**kwargs):
        original(**kwargs)
        barrier.wait()

    monkeypatch.setattr(conflicts, target, check_then_wait)
    results: list = [None] * len(jobs)

    def worker(i, job):
        try:
            results[i] = job()
        except Exception as exc:  # the loser's error is the result under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_saving_overlapping_sessions_at_once_only_one_wins(monkeypatch):
    plan = make_plan(units=0)
    rival = CourseRunFactory(
        course__school=plan.school,
        course__title="SPS-Programmierung",
        school=plan.school,
        workshop=plan.workshop,
        status=CourseRun.Status.DRAFT,
    )
    results = _race(
        monkeypatch,
        "check_session_conflicts",
        [
            lambda: planning.add_session(
                run=plan.run, start=day_at(30, 8), end=day_at(30, 12), actor=plan.coordinator
            ),
            lambda: planning.add_session(
                run=rival,
                start=day_at(30, 10),
                end=day_at(30, 14),
                actor=plan.coordinator,
                use_run_instructor=False,
            ),
        ],
    )
    winners = [r for r in results if isinstance(r, Session)]
    losers = [r for r in results if isinstance(r, SessionConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert Session.objects.count() == 1
    winner = winners[0]
    assert winner.run.course.title in losers[0].message
    assert losers[0].field == "workshop"


@pytest.mark.django_db(transaction=True)
def test_two_external_reservations_of_one_item_at_once_only_one_wins():
    item = EquipmentFactory()
    barrier = threading.Barrier(2, timeout=20)
    results: list = [None, None]

    def worker(i, purpose):
        try:
            barrier.wait()
            results[i] = reserve_external(
                equipment=item, start=day_at(30, 8), end=day_at(30, 16), actor=None, purpose=purpose
            )
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, p))
        for i, p in enumerate(["Ausleihe Tischlerei Schröder", "Ausleihe Kfz Müller"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(type(r).__name__ for r in results) == [
        "EquipmentReservation",
        "ReservationConflict",
    ]
    assert EquipmentReservation.objects.filter(equipment=item, is_active=True).count() == 1
    loser = next(r for r in results if isinstance(r, ReservationConflict))
    assert "Ausleihe" in loser.message


@pytest.mark.django_db(transaction=True)
def test_two_plans_crossing_each_other_end_in_one_conflict_not_a_deadlock_error():
    """One coordinator saves two sessions in one transaction (as a series does), another saves one
    that overlaps both, in between: each waits for the other's uncommitted row and PostgreSQL
    aborts one. The victim's write is repeated; whoever gives way gets a SessionConflict and the
    database holds one consistent plan."""
    plan = make_plan(units=0)
    rival = CourseRunFactory(
        course__school=plan.school,
        course__title="SPS-Programmierung",
        school=plan.school,
        workshop=plan.workshop,
        status=CourseRun.Status.DRAFT,
    )
    first_saved = threading.Event()
    results: list = [None, None]

    def series():
        with transaction.atomic():
            planning.add_session(
                run=plan.run, start=day_at(30, 8), end=day_at(30, 10), actor=plan.coordinator
            )
            first_saved.set()
            time.sleep(0.5)  # the rival now waits for the first session's transaction
            planning.add_session(
                run=plan.run, start=day_at(30, 12), end=day_at(30, 14), actor=plan.coordinator
            )
        return "series"

    def single():
        first_saved.wait(10)
        return planning.add_session(
            run=rival,
            start=day_at(30, 9),
            end=day_at(30, 13),
            actor=plan.coordinator,
            use_run_instructor=False,
        )

    def worker(i, job):
        try:
            results[i] = job()
        except Exception as exc:  # the loser's error is the result under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, j)) for i, j in enumerate([series, single])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    conflicts_seen = [r for r in results if isinstance(r, SessionConflict)]
    assert len(conflicts_seen) == 1, results
    assert not [r for r in results if isinstance(r, Exception) and r not in conflicts_seen]
    saved = Session.objects.filter(status=Session.Status.SCHEDULED)
    if results[0] == "series":
        assert sorted(s.run_id for s in saved) == [plan.run.pk, plan.run.pk]
    else:
        assert [s.run_id for s in saved] == [rival.pk]
