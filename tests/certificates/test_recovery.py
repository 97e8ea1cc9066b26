"""A worker killed during a bulk job: the recovery sweep enqueues the job again within a minute
and the resumed job issues the rest, none twice and none left out; a PDF a killed transaction
wrote is deleted."""

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

import certificates.services as services
from certificates.models import Certificate, IssueJob
from certificates.services.recovery import purge_orphaned_files, resume_stale_jobs

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Like a SIGKILL: nothing in the task gets to catch it, and no message comes back."""


def test_a_job_a_killed_worker_left_resumes_through_the_sweep(run, make_enrolment, monkeypatch):
    enrolments = [make_enrolment(first_name=f"T{i}") for i in range(4)]
    job = IssueJob.objects.create(run=run)
    real_issue = services.issue_certificate
    calls = {"n": 0}

    def killed_on_the_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerKilled
        return real_issue(**kwargs)

    monkeypatch.setattr(services, "issue_certificate", killed_on_the_third)
    with pytest.raises(WorkerKilled):
        services.run_issue_job(job_id=job.pk)
    monkeypatch.undo()
    # The broker lost the message with the worker; only the sweep knows about the job now.
    assert resume_stale_jobs() == []  # still within its lease: maybe just slow
    resumed = resume_stale_jobs(now=timezone.now() + dt.timedelta(seconds=31))
    assert resumed == [job.pk]  # eager: the resumed job ran to the end
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (IssueJob.Status.DONE, 4, 4)
    assert sorted(c.enrolment_id for c in Certificate.objects.all()) == sorted(
        e.pk for e in enrolments
    )
    numbers = sorted(
        int(n.rsplit("-", 1)[1]) for n in Certificate.objects.values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4]  # no gap, no duplicate
    assert resume_stale_jobs(now=timezone.now() + dt.timedelta(minutes=5)) == []  # done


def test_the_sweep_runs_often_enough_to_resume_within_a_minute():
    from certificates.schedule import SCHEDULE
    from certificates.services.recovery import job_lease

    every = SCHEDULE["certificates.resume_stale_jobs"]["schedule"]
    assert job_lease().total_seconds() + every <= 60


def test_a_pdf_whose_transaction_never_committed_is_deleted(run, make_enrolment):
    certificate = services.issue_certificate(enrolment=make_enrolment(), actor=None)
    folder = os.path.dirname(certificate.pdf.name)
    orphan = default_storage.save(
        f"{folder}/X-2026-000009-deadbeef.pdf", ContentFile(b"%PDF-1.7 orphan")
    )
    old = (timezone.now() - dt.timedelta(hours=2)).timestamp()
    os.utime(default_storage.path(orphan), (old, old))
    fresh = default_storage.save(
        f"{folder}/X-2026-000010-cafe.pdf", ContentFile(b"%PDF-1.7 in flight")
    )

    assert purge_orphaned_files() == [orphan]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(fresh)  # perhaps its transaction is still running
    assert default_storage.exists(certificate.pdf.name)
