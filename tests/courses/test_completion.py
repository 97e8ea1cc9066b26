"""Completion after the last session: completed at or above the threshold, otherwise not
completed, no-show when never present; coordinator corrections; the daily task."""

import datetime as dt

import pytest
from django.utils import timezone

from certificates.models import Certificate
from core.models import DomainEvent
from courses.errors import CompletionNotAllowed
from courses.models import Attendance, CourseRun, Enrolment
from courses.services.completion import complete_due_runs, complete_run, set_completion_status
from tests.courses.booking_fixtures import make_run
from tests.factories import coordinator, trainee

pytestmark = pytest.mark.django_db


def enrol(run, status="confirmed", **kwargs):
    return Enrolment.objects.create(
        run=run, participant=trainee(), participant_name="T", status=status, **kwargs
    )


def present(enrolment, session, minutes=None, status="present"):
    return Attendance.objects.create(
        enrolment=enrolment, session=session, status=status, minutes=minutes
    )


def test_outcomes_follow_attended_hours_against_the_threshold():
    run = make_run(day=-5, sessions=2)  # 2 × 4 h = 480 minutes; threshold 80 % = 384 minutes
    first, second = run.sessions.order_by("start")
    full = enrol(run)
    present(full, first)
    present(full, second)
    exactly = enrol(run)
    present(exactly, first)
    present(exactly, second, minutes=144)  # 240 + 144 = 384 = 80 %
    short = enrol(run)
    present(short, first)
    present(short, second, minutes=143)
    half = enrol(run)
    present(half, first)
    present(half, second, status="excused")
    never = enrol(run)
    present(never, first, status="absent")
    waiting = enrol(run, status="waitlisted", waitlist_seq=1)
    cancelled = enrol(run, status="cancelled")

    # `never` has no entry for the second session: the coordinator closes explicitly.
    complete_run(run=run, actor=coordinator(run.school), close_missing=True)

    def status(e):
        e.refresh_from_db()
        return e.status

    assert status(full) == "completed"
    assert status(exactly) == "completed"
    assert status(short) == "not_completed"
    assert status(half) == "not_completed"
    assert status(never) == "no_show"
    assert status(waiting) == "cancelled"
    assert status(cancelled) == "cancelled"
    run.refresh_from_db()
    assert run.status == "completed"
    assert DomainEvent.objects.filter(type="enrolment.completed").count() == 5


def test_threshold_is_the_courses_own():
    run = make_run(day=-5, sessions=2, course__attendance_threshold=50)
    e = enrol(run)
    first, second = run.sessions.order_by("start")
    present(e, first)
    present(e, second, status="absent")
    complete_run(run=run)
    e.refresh_from_db()
    assert e.status == "completed"


def test_not_before_the_last_session_and_idempotent():
    run = make_run(day=-1, sessions=3)  # yesterday, today, tomorrow
    with pytest.raises(CompletionNotAllowed):
        complete_run(run=run)
    past = make_run(day=-5, sessions=1)
    e = enrol(past)
    present(e, past.sessions.get(), status="absent")
    complete_run(run=past)
    e.refresh_from_db()
    set_completion_status(enrolment=e, status="completed", actor=coordinator(past.school))
    complete_run(run=past)  # a second run changes nothing: corrections stay
    e.refresh_from_db()
    assert e.status == "completed"


def test_daily_task_completes_only_finished_published_runs():
    done = make_run(day=-5, sessions=1)
    running = make_run(day=0, sessions=3)
    draft = make_run(day=-5, sessions=1, status=CourseRun.Status.DRAFT)
    later = timezone.now() + dt.timedelta(minutes=1)
    assert complete_due_runs(now=later) == 1
    states = dict(
        CourseRun.objects.filter(pk__in=[done.pk, running.pk, draft.pk]).values_list("pk", "status")
    )
    assert states == {done.pk: "completed", running.pk: "published", draft.pk: "draft"}


def test_correction_rules():
    run = make_run(day=-5, sessions=1)
    e = enrol(run)
    present(e, run.sessions.get())
    with pytest.raises(CompletionNotAllowed):
        set_completion_status(enrolment=e, status="completed", actor=None)  # run not completed
    complete_run(run=run)
    with pytest.raises(CompletionNotAllowed):
        set_completion_status(enrolment=e, status="confirmed", actor=None)
    Certificate.objects.create(
        enrolment=e, number="N-1", verification_code="v1", issued_at=timezone.now()
    )
    with pytest.raises(CompletionNotAllowed) as err:
        set_completion_status(enrolment=e, status="not_completed", actor=None)
    assert "widerrufen" in err.value.message
