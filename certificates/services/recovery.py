"""Recovery sweeps for the bulk job (beat): what a killed worker leaves behind.

- A job a worker died in (or whose message was lost with the broker) has stopped moving; it is
  enqueued again and the new run skips what the old one issued, so nothing is issued twice and
  nobody is left out.
- A PDF written to storage by a transaction that never committed (the worker was killed between
  writing the file and the commit, so the cleanup in `issue_certificate` never ran) belongs to no
  certificate; it is deleted once it is older than any transaction could still be running."""

import datetime as dt
import logging
import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from ..models import Certificate, IssueJob
from ..tasks import issue_for_run as issue_for_run_task

logger = logging.getLogger(__name__)

ORPHAN_AFTER = dt.timedelta(hours=1)


def job_lease() -> dt.timedelta:
    """How long a running job may stay silent (it reports after every certificate) before it is
    taken as lost: with the sweep every 20 s, a job a killed worker left resumes within
    lease + 20 s, under a minute by default."""
    return dt.timedelta(seconds=settings.CERTIFICATE_JOB_LEASE_SECONDS)


def resume_stale_jobs(*, now: dt.datetime | None = None) -> list[int]:
    """Enqueue again every queued or running job that has not moved for its lease. Marking it
    moved (updated_at) first keeps the next sweep from piling up copies of the message."""
    now = now or timezone.now()
    lease = job_lease()
    stale = list(
        IssueJob.objects.filter(
            status__in=[IssueJob.Status.QUEUED, IssueJob.Status.RUNNING],
            updated_at__lt=now - lease,
        ).values_list("pk", flat=True)
    )
    resumed = []
    for pk in stale:
        touched = IssueJob.objects.filter(pk=pk, updated_at__lt=now - lease).update(updated_at=now)
        if not touched:
            continue  # it moved meanwhile, or a parallel sweep took it
        try:
            issue_for_run_task.delay(pk)
        except Exception:  # noqa: BLE001 - broker down: the next sweep tries again
            logger.warning("stale certificate job %s not enqueued; next sweep retries", pk)
            continue
        logger.info("certificate job %s had stopped; enqueued again", pk)
        resumed.append(pk)
    return resumed


def _folders(now: dt.datetime) -> list[str]:
    # upload_to="certificates/%Y/": this year's and last year's folders hold anything recent.
    year = timezone.localtime(now).year
    return [f"certificates/{year}", f"certificates/{year - 1}"]


def purge_orphaned_files(*, now: dt.datetime | None = None) -> list[str]:
    """Delete certificate PDFs no certificate names, older than ORPHAN_AFTER."""
    now = now or timezone.now()
    removed = []
    for folder in _folders(now):
        try:
            _dirs, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        names = {posixpath.join(folder, name) for name in files if name.endswith(".pdf")}
        if not names:
            continue
        known = set(Certificate.objects.filter(Q(pdf__in=names)).values_list("pdf", flat=True))
        for name in sorted(names - known):
            if default_storage.get_modified_time(name) > now - ORPHAN_AFTER:
                continue  # perhaps a transaction still running
            default_storage.delete(name)
            logger.warning("deleted orphaned certificate file %s", name)
            removed.append(name)
    return removed
