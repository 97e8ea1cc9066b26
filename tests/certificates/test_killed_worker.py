"""A worker SIGKILLed in the middle of a bulk certificate job, for real: a `celery worker`
subprocess on a private Redis database and the PostgreSQL test database issues a job, is killed
outright after a few certificates (no cleanup runs, its message stays unacknowledged), a new
worker starts, and beat's recovery sweep enqueues the silent job again. It resumes within the
recovery time (lease + sweep interval; a short lease here), and in the end every enrolment has
exactly one certificate, the numbers have no gap, and no PDF is left that no certificate names.
Skips itself without PostgreSQL or Redis."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from certificates.models import Certificate, IssueJob
from certificates.services import start_issue_job
from certificates.services.recovery import purge_orphaned_files, resume_stale_jobs
from config.celery import app as celery_app
from tests.factories import coordinator
from tests.redisutils import redis_or_skip

REDIS_URL = os.environ.get("KILLED_WORKER_REDIS_URL", "redis://127.0.0.1:6379/8")
LEASE = 3  # seconds a job may stay silent; production: CERTIFICATE_JOB_LEASE_SECONDS=30
SWEEP_EVERY = 1.0  # beat's sweep runs every 20 s in production; the test plays beat
ENROLMENTS = 12

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _forget_broker_pools():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _worker_env(media_root) -> dict:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    address = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TESTING": "1",
        "DATABASE_URL": f"postgres://{auth}@{address}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "MEDIA_ROOT": str(media_root),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SITE_URL": django_settings.SITE_URL,
        "CERTIFICATE_JOB_LEASE_SECONDS": str(LEASE),
    }


def _spawn_worker(env: dict, log_path: Path, name: str) -> subprocess.Popen:
    log = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "pdf,mail,default",
            "--pool=solo",  # the task runs in the process we kill
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}-{os.getpid()}@%h",
            "-l",
            "info",
        ],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process


def _start_worker(env: dict, log_path: Path, name: str) -> subprocess.Popen:
    process = _spawn_worker(env, log_path, name)
    _wait_for(lambda: "ready." in log_path.read_text(), 60, f"worker {name} to start")
    return process


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _pdf_files(media_root: Path) -> set[str]:
    return {
        path.relative_to(media_root).as_posix()
        for path in (media_root / "certificates").rglob("*.pdf")
    }


def test_a_job_whose_worker_is_killed_resumes_on_a_new_worker_without_duplicate_or_gap(
    run, make_enrolment, settings, tmp_path
):
    redis_client = redis_or_skip(REDIS_URL)
    redis_client.flushdb()  # our private database: no message left from an earlier run
    settings.CERTIFICATE_JOB_LEASE_SECONDS = LEASE
    enrolments = [make_enrolment(first_name=f"Teilnehmer{i}") for i in range(ENROLMENTS)]
    env = _worker_env(settings.MEDIA_ROOT)
    saved = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    _forget_broker_pools()
    processes = []
    try:
        processes.append(_start_worker(env, tmp_path / "first.log", "first"))
        job = start_issue_job(run=run, actor=coordinator(run.school))

        def progressed(at_least):
            job.refresh_from_db()
            return job.status == IssueJob.Status.RUNNING and job.done >= at_least

        _wait_for(lambda: progressed(3), 120, "the first certificates")
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait(timeout=10)
        killed_at = time.monotonic()
        job.refresh_from_db()
        done_at_kill = job.done
        assert done_at_kill < ENROLMENTS, "the job ended before the kill; make it longer"

        # The restart (compose, systemd) and beat go on side by side.
        processes.append(_spawn_worker(env, tmp_path / "second.log", "second"))
        log = (tmp_path / "second.log").read_text
        state = {"ready_at": None, "enqueued_at": None, "received_at": None}

        def beat_and_check():
            if state["ready_at"] is None and "ready." in log():
                state["ready_at"] = time.monotonic() - killed_at
            if state["enqueued_at"] is None and resume_stale_jobs():
                state["enqueued_at"] = time.monotonic() - killed_at
            if state["received_at"] is None and "issue_for_run" in log():
                state["received_at"] = time.monotonic() - killed_at  # the new worker has it
            job.refresh_from_db()
            return job.status in (IssueJob.Status.DONE, IssueJob.Status.FAILED)

        _wait_for(beat_and_check, 180, f"the resumed job; log:\n{log()[-3000:]}", SWEEP_EVERY)
        print(
            f"killed after {done_at_kill}/{ENROLMENTS} certificates; new worker ready "
            f"{state['ready_at']:.1f}s, job enqueued again {state['enqueued_at']:.1f}s, "
            f"taken by the new worker {state['received_at']:.1f}s after the kill"
        )
        # Recovery time: the lease from the last progress, then the next sweep; the new worker
        # takes the job as soon as it is both enqueued and ready.
        assert state["enqueued_at"] <= LEASE + SWEEP_EVERY + 2
        assert state["received_at"] <= max(state["enqueued_at"], state["ready_at"]) + 2
        assert (job.status, job.done, job.total) == ("done", ENROLMENTS, ENROLMENTS), job.error
    finally:
        for process in processes:
            _stop(process)
        celery_app.conf.update(**saved)
        _forget_broker_pools()
        redis_client.flushdb()

    certificates = list(Certificate.objects.order_by("number"))
    assert sorted(c.enrolment_id for c in certificates) == sorted(e.pk for e in enrolments)
    numbers = [int(c.number.rsplit("-", 1)[1]) for c in certificates]
    assert numbers == list(range(1, ENROLMENTS + 1))  # no duplicate, no gap

    media_root = Path(settings.MEDIA_ROOT)
    named = {c.pdf.name for c in certificates}
    leftovers = _pdf_files(media_root) - named
    # A file written by the killed transaction is removed by the hourly sweep once it is old.
    later = timezone.now() + dt.timedelta(hours=2)
    assert sorted(purge_orphaned_files(now=later)) == sorted(leftovers)
    assert _pdf_files(media_root) == named
    for certificate in certificates:
        assert (media_root / certificate.pdf.name).read_bytes().startswith(b"%PDF-")
