"""What only PostgreSQL can prove: row locks keep one certificate per enrolment and gapless numbers
when several writers issue at the same moment (threads released together by a barrier)."""

import threading

import pytest
from django.db import connection

from certificates.models import Certificate, CertificateSequence, IssueJob
from certificates.services import issue_certificate, run_issue_job
from tests.factories import CourseRunFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _together(targets):
    """Run the callables in threads released at the same instant; return results or errors."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def work(index, target):
        try:
            barrier.wait(timeout=10)
            results[index] = target()
        except Exception as exc:  # noqa: BLE001 - reported back to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_double_issue_gives_exactly_one_certificate(enrolment):
    results = _together([lambda: issue_certificate(enrolment=enrolment, actor=None)] * 8)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert len({r.pk for r in results}) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert CertificateSequence.objects.get().last_number == 1


def test_two_bulk_jobs_on_two_runs_of_one_school_number_without_gaps(run, make_enrolment):
    other_run = CourseRunFactory(course=run.course, status=run.status)
    for i in range(6):
        make_enrolment(first_name=f"A{i}")
        make_enrolment(first_name=f"B{i}", run=other_run)
    jobs = [IssueJob.objects.create(run=run), IssueJob.objects.create(run=other_run)]
    results = _together([lambda job=job: run_issue_job(job_id=job.pk) for job in jobs])
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    year = numbers[0].split("-")[1]
    assert numbers == [f"BBSI-{year}-{n:05d}" for n in range(1, 13)]
    for job in IssueJob.objects.all():
        assert (job.status, job.done, job.total) == (IssueJob.Status.DONE, 6, 6)


def test_the_same_bulk_job_twice_at_once_issues_each_certificate_once(run, make_enrolment):
    enrolments = [make_enrolment(first_name=f"C{i}") for i in range(5)]
    jobs = [IssueJob.objects.create(run=run), IssueJob.objects.create(run=run)]
    results = _together([lambda job=job: run_issue_job(job_id=job.pk) for job in jobs])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Certificate.objects.count() == 5
    assert {c.enrolment_id for c in Certificate.objects.all()} == {e.pk for e in enrolments}
    assert CertificateSequence.objects.get().last_number == 5
