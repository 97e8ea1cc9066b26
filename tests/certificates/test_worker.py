"""The real worker path: a `celery -A config worker` subprocess on Redis and the PostgreSQL test
database issues a bulk job that the web side enqueued. Skips itself when Redis is unreachable."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from certificates.models import Certificate, IssueJob
from certificates.services import start_issue_job
from config.celery import app as celery_app
from core.models import OutboxEmail
from tests.factories import coordinator
from tests.redisutils import redis_or_skip

REDIS_URL = os.environ.get("CERTIFICATES_WORKER_REDIS_URL", "redis://127.0.0.1:6379/4")

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _forget_broker_pools():
    # The app caches its broker connection pools on first use; the next send builds them anew
    # from the broker_url just set.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(transactional_db, settings, tmp_path):
    """A worker process sharing this test's database, media folder and broker."""
    redis_client = redis_or_skip(REDIS_URL)
    redis_client.flushdb()  # DB 4 is ours: no message left over from an earlier run
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    address = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TESTING": "1",
        "DATABASE_URL": f"postgres://{auth}@{address}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SITE_URL": django_settings.SITE_URL,
    }
    log_path = tmp_path / "worker.log"
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
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"cert-test-{os.getpid()}@%h",
            "-l",
            "info",
        ],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # The web side sends to Redis for this test instead of running tasks eagerly.
    saved = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    _forget_broker_pools()
    try:
        started = time.monotonic()
        _wait_for(lambda: "ready." in log_path.read_text(), 25, "the worker to start")
        print(f"worker ready after {time.monotonic() - started:.1f}s")
        yield log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        celery_app.conf.update(**saved)
        _forget_broker_pools()
        redis_client.flushdb()


def test_bulk_job_runs_on_a_real_worker(worker, run, make_enrolment):
    enrolments = [make_enrolment(first_name=f"Teilnehmerin{i}", last_name="Groß") for i in range(4)]
    job = start_issue_job(run=run, actor=coordinator(run.school))  # enqueues on commit

    def finished():
        job.refresh_from_db()
        return job.status in (IssueJob.Status.DONE, IssueJob.Status.FAILED)

    _wait_for(finished, 25, f"job {job.pk}; worker log:\n{worker.read_text()[-3000:]}")
    assert (job.status, job.done, job.total) == (IssueJob.Status.DONE, 4, 4), job.error
    certificates = list(Certificate.objects.order_by("number"))
    assert {c.enrolment_id for c in certificates} == {e.pk for e in enrolments}
    year = certificates[0].number.split("-")[1]
    assert [c.number for c in certificates] == [f"BBSI-{year}-{n:05d}" for n in range(1, 5)]
    for certificate in certificates:
        assert Path(certificate.pdf.path).read_bytes().startswith(b"%PDF-")
    # The e-mails went through the worker's mail queue: sent by it (emailed_at is set with the
    # certificate, so only the outbox says that the worker has sent them).
    _wait_for(
        lambda: (
            OutboxEmail.objects.filter(
                key__startswith="certificates:issued:", status=OutboxEmail.Status.SENT
            ).count()
            == 4
        ),
        15,
        "the certificate e-mails",
    )
    assert Certificate.objects.filter(emailed_at__isnull=False).count() == 4
    _wait_for(lambda: "Teilnahmebescheinigung" in worker.read_text(), 5, "the mails in the log")
    # Running the job again on the worker issues nothing new.
    again = start_issue_job(run=run, actor=None)
    assert again.pk != job.pk

    def again_finished():
        again.refresh_from_db()
        return again.status in (IssueJob.Status.DONE, IssueJob.Status.FAILED)

    _wait_for(again_finished, 25, f"job {again.pk}; worker log:\n{worker.read_text()[-3000:]}")
    assert (again.status, again.done, again.total) == (IssueJob.Status.DONE, 4, 4)
    assert Certificate.objects.count() == 4
