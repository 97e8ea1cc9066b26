"""The bulk job without a broker: crash and retry, failure, and double starts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import certificates.services as services
from certificates.models import Certificate, IssueJob
from certificates.tasks import issue_for_run
from core.models import AuditEntry, DomainEvent, OutboxEmail
from courses.models import Enrolment

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Like a SIGKILL: nothing in the task gets to catch it."""


def test_a_worker_dying_mid_job_and_the_retry_issue_each_certificate_once(
    run, make_enrolment, monkeypatch
):
    enrolments = [make_enrolment(first_name=f"T{i}") for i in range(5)]
    job = IssueJob.objects.create(run=run)
    real_issue = services.issue_certificate
    calls = {"n": 0}

    def dies_on_the_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerDied
        return real_issue(**kwargs)

    monkeypatch.setattr(services, "issue_certificate", dies_on_the_third)
    with pytest.raises(WorkerDied):
        issue_for_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done) == (IssueJob.Status.RUNNING, 2)
    assert Certificate.objects.count() == 2
    monkeypatch.undo()

    # The broker redelivers the unacknowledged message (acks_late): the task runs again.
    assert issue_for_run(job.pk) == {"job": job.pk, "done": 5, "total": 5}
    assert Certificate.objects.count() == 5
    assert {c.enrolment_id for c in Certificate.objects.all()} == {e.pk for e in enrolments}
    numbers = sorted(
        int(n.rsplit("-", 1)[1]) for n in Certificate.objects.values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5]
    # A third delivery of a finished job does nothing.
    assert issue_for_run(job.pk) == {"job": job.pk, "done": 5, "total": 5}
    assert Certificate.objects.count() == 5


def test_a_failing_job_is_marked_failed_with_the_error(run, make_enrolment, monkeypatch):
    make_enrolment()
    job = IssueJob.objects.create(run=run)

    def broken(**kwargs):
        raise ValueError("Speicher nicht erreichbar")

    monkeypatch.setattr(services, "issue_certificate", broken)
    assert issue_for_run(job.pk) is None
    job.refresh_from_db()
    assert job.status == IssueJob.Status.FAILED
    assert "Speicher nicht erreichbar" in job.error


def test_enrolments_no_longer_completed_are_skipped(run, make_enrolment):
    make_enrolment()
    changed = make_enrolment(first_name="Lena")
    job = IssueJob.objects.create(run=run)
    Enrolment.objects.filter(pk=changed.pk).update(status=Enrolment.Status.NOT_COMPLETED)
    issue_for_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == (IssueJob.Status.DONE, 1, 1)
    assert not Certificate.objects.filter(enrolment=changed).exists()


def test_starting_twice_returns_the_job_under_way(
    run, make_enrolment, django_capture_on_commit_callbacks
):
    make_enrolment()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.start_issue_job(run=run, actor=None)
        second = services.start_issue_job(run=run, actor=None)
    assert first.pk == second.pk and len(callbacks) == 1
    assert first.total == 1
    # A job that has not moved for a long time is taken as lost; a new one may start.
    IssueJob.objects.filter(pk=first.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        third = services.start_issue_job(run=run, actor=None)
    assert third.pk != first.pk
    third.refresh_from_db()
    assert third.status == IssueJob.Status.DONE and Certificate.objects.count() == 1


def test_each_certificate_of_a_job_prints_its_own_attendance_and_is_signed(run, make_enrolment):
    """The job reads the run once for all its certificates; what each prints about the person
    (the sessions attended, the hours) is still that person's, and each file its own signed one."""
    first, second = run.sessions.order_by("start")
    both = make_enrolment(first_name="Anna")
    one = make_enrolment(first_name="Ben", attended=[second])
    issue_for_run(IssueJob.objects.create(run=run).pk)
    by_enrolment = {c.enrolment_id: c for c in Certificate.objects.all()}
    assert by_enrolment[both.pk].data["attendance"] == {
        "hours": "16",
        "sessions": 2,
        "sessions_total": 2,
    }
    assert by_enrolment[one.pk].data["attendance"] == {
        "hours": "8",
        "sessions": 1,
        "sessions_total": 2,
    }
    assert [s["start"][:10] for s in by_enrolment[one.pk].data["sessions"]] == ["2026-03-09"]
    assert {c.data["course"]["title"] for c in by_enrolment.values()} == {
        "SPS-Programmierung für Einsteiger"
    }
    assert by_enrolment[both.pk].sha256 != by_enrolment[one.pk].sha256


@pytest.mark.postgres
def test_each_certificate_of_a_job_takes_six_statements_and_its_rows_name_it(run, make_enrolment):
    """Per certificate: its transaction (here a savepoint, and its release), the lock with all
    that is read under it in one round trip, the number, the certificate's row with the audit
    entry, event and e-mail about it in one more, and the job's progress. The rows name the
    certificate whose id was reserved before its row was written."""
    for name in ("Anna", "Ben", "Cem", "Dana"):
        make_enrolment(first_name=name)
    job = IssueJob.objects.create(run=run)
    with CaptureQueriesContext(connection) as queries:
        issue_for_run(job.pk)
    # About 15 for the job itself: reading it and the run, the first number of the year...
    assert len(queries) <= 16 + 4 * 6, [q["sql"][:80] for q in queries.captured_queries]
    certificates = list(Certificate.objects.filter(enrolment__run=run))
    assert len(certificates) == 4
    for certificate in certificates:
        assert AuditEntry.objects.filter(
            action="certificate.issued", object_id=str(certificate.pk)
        ).exists()
        (event,) = DomainEvent.objects.filter(
            type="certificate.issued", payload__number=certificate.number
        )
        assert event.payload["id"] == certificate.pk
        assert OutboxEmail.objects.filter(key=f"certificates:issued:{certificate.pk}").exists()
