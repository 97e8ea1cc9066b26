"""Celery tasks: thin wrappers over certificates.services, safe to run twice. Each imports its
service inside the function: services enqueue these tasks, so a module-level import would be a
circle (HackSoft's rule, the one upward import the layer contract allows)."""

import logging

from celery import shared_task
from django.db import OperationalError

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="certificates.tasks.issue_for_run", acks_late=True, max_retries=5)
def issue_for_run(self, job_id: int) -> dict | None:
    """Issue the certificates of an IssueJob's run. acks_late: a worker that dies mid-job leaves the
    message on the broker and the next worker resumes; enrolments issued already are skipped."""
    from .services import run_issue_job

    try:
        job = run_issue_job(job_id=job_id)
    except OperationalError as exc:
        # A lock timeout or a database restart: try again later rather than fail the job.
        raise self.retry(exc=exc, countdown=5) from exc
    except Exception:
        # The job row says FAILED with the error, which the page shows; nothing is half-issued
        # because each certificate is its own transaction.
        logger.exception("certificate issue job %s failed", job_id)
        return None
    return {"job": job_id, "done": job.done, "total": job.total} if job else None


@shared_task(
    name="certificates.tasks.send_certificate_email",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_certificate_email(certificate_id: int) -> bool:
    from .services import email_certificate

    return email_certificate(certificate_id=certificate_id)


@shared_task(name="certificates.tasks.resume_stale_jobs", ignore_result=True)
def resume_stale_jobs() -> int:
    """Beat: bulk jobs a killed worker left behind are enqueued again."""
    from .services.recovery import resume_stale_jobs as resume

    return len(resume())


@shared_task(name="certificates.tasks.purge_orphaned_files", ignore_result=True)
def purge_orphaned_files() -> int:
    """Beat: PDFs of certificates whose transaction never committed are deleted."""
    from .services.recovery import purge_orphaned_files as purge

    return len(purge())
