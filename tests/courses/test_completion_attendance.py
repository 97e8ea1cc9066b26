"""A run completes only when the attendance of every held session is recorded, or when the
coordinator closes it explicitly, seeing what is missing. The nightly task no longer turns
everyone into a no-show before the attendance is entered; it reminds the coordinator instead
(once a day at most)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import DomainEvent
from courses.errors import CompletionNotAllowed
from courses.models import Attendance, CourseRun, Enrolment
from courses.services.completion import complete_due_runs, complete_run, missing_attendance
from courses.tasks.booking import complete_due_runs as complete_due_runs_task
from tests.courses.booking_fixtures import make_run
from tests.factories import MembershipFactory, coordinator, trainee
from tests.timeutils import day_at

pytestmark = pytest.mark.django_db


def enrol(run, name):
    return Enrolment.objects.create(
        run=run, participant=trainee(), participant_name=name, status="confirmed"
    )


@pytest.fixture
def finished():
    """A run whose two sessions are over; attendance taken only for the first."""
    run = make_run(day=-5, sessions=2)
    first, second = run.sessions.order_by("start")
    anna, ben = enrol(run, "Anna"), enrol(run, "Ben")
    for person in (anna, ben):
        Attendance.objects.create(enrolment=person, session=first, status="present")
    return run, first, second, anna, ben


def test_nightly_task_leaves_a_run_with_missing_attendance_alone(
    finished, django_capture_on_commit_callbacks
):
    run, first, second, anna, ben = finished
    coord = MembershipFactory(role="coordinator", school=run.school).user
    mail.outbox.clear()
    noon = day_at(0, 12)  # reminders count local days: stay clear of midnight
    with django_capture_on_commit_callbacks(execute=True):
        assert complete_due_runs(now=noon) == 0
    run.refresh_from_db()
    anna.refresh_from_db()
    assert run.status == "published" and anna.status == "confirmed"
    assert not DomainEvent.objects.filter(type="enrolment.completed").exists()
    # The coordinator is reminded, naming the session without attendance.
    reminders = [m for m in mail.outbox if coord.email in m.to]
    assert len(reminders) == 1
    assert timezone.localtime(second.start).strftime("%d.%m.%Y") in reminders[0].body
    assert f"/staff/completion/runs/{run.pk}/" in reminders[0].body
    # ... at most once a day, however often the task runs.
    with django_capture_on_commit_callbacks(execute=True):
        complete_due_runs(now=noon + dt.timedelta(hours=1))
    assert len([m for m in mail.outbox if coord.email in m.to]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        complete_due_runs(now=noon + dt.timedelta(days=1))
    assert len([m for m in mail.outbox if coord.email in m.to]) == 2


def test_run_completes_once_attendance_is_complete(finished):
    run, first, second, anna, ben = finished
    Attendance.objects.create(enrolment=anna, session=second, status="present")
    Attendance.objects.create(enrolment=ben, session=second, status="absent")
    assert missing_attendance(run) == []
    assert complete_due_runs_task.delay().get() == 1
    run.refresh_from_db()
    anna.refresh_from_db()
    ben.refresh_from_db()
    assert run.status == "completed"
    assert (anna.status, ben.status) == ("completed", "not_completed")


def test_coordinator_closes_explicitly_despite_missing_attendance(finished):
    run, first, second, anna, ben = finished
    missing = missing_attendance(run)
    assert [(m.session.pk, m.names) for m in missing] == [(second.pk, ["Anna", "Ben"])]
    with pytest.raises(CompletionNotAllowed) as err:
        complete_run(run=run, actor=coordinator(run.school))
    assert timezone.localtime(second.start).strftime("%d.%m.%Y") in err.value.message
    complete_run(run=run, actor=coordinator(run.school), close_missing=True)
    run.refresh_from_db()
    assert run.status == CourseRun.Status.COMPLETED


def test_completion_page_shows_what_is_missing_and_closes_on_request(finished, client):
    run, first, second, anna, ben = finished
    client.force_login(coordinator(run.school))
    url = f"/staff/completion/runs/{run.pk}/"
    page = client.get(url).content.decode()
    assert "Anwesenheit fehlt" in page
    assert timezone.localtime(second.start).strftime("%d.%m.%Y") in page
    assert "Anna" in page and 'name="close_missing"' in page
    client.post(url, {"action": "complete"})
    run.refresh_from_db()
    assert run.status == "published"  # not without saying so
    client.post(url, {"action": "complete", "close_missing": "1"})
    run.refresh_from_db()
    assert run.status == "completed"
