"""Certificates per second: 500 certificates issued by the bulk job (locks, frozen data, PDF/A with
embedded fonts and QR code, PAdES signature, storage, SHA-256, audit, event, e-mail queued with
the PDF attached), beside the rate of a bare reportlab page with the same text (the ratio says
what everything else costs) and our PDF layout alone in between. Production settings (DEBUG off);
the e-mails are queued to a Redis broker as in production and then sent by the worker's code in
this process, timed on a line of their own (without Redis they are sent inside the job).

    .venv/bin/python bench/certificates.py            # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/certificates.py
        # a throw-away database lw_bench_cert_<pid> on that server, dropped afterwards
    .venv/bin/python bench/certificates.py --count 100
"""

import argparse
import contextlib
import datetime as dt
import io
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import dataset  # noqa: E402


def _postgres_admin(server_url: str, sql: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(server_url)
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def _setup_environment(tmp: Path, broker: str) -> tuple[str, str | None]:
    """Point Django at a throw-away database and media folder; e-mail stays in memory."""
    url = os.environ.get("DATABASE_URL", "")
    dropme = None
    if url.startswith(("postgres://", "postgresql://")):
        dropme = f"lw_bench_cert_{os.getpid()}"
        _postgres_admin(url, f'CREATE DATABASE "{dropme}"')
        url = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{dropme}"))
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["CELERY_BROKER_URL"] = broker  # "" = eager: the e-mail is sent inside the job
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvw")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return url, dropme


WARM_UP = 3  # certificates issued before the measured job


def _dataset(count: int):
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from courses.models import Course, Topic
    from people.models import District, School
    from workshops.models import Workshop

    district = District.objects.create(name="Landkreis Lüneburg", code="lueneburg")
    school = School.objects.create(
        district=district, name="Berufsbildende Schulen I Lüneburg", code="BBS1", city="Lüneburg"
    )
    workshop = Workshop.objects.create(
        school=school, name="Lernwerkstatt 4.0", room="A001", seats=16
    )
    topic = Topic.objects.create(name="Automatisierung", slug="automatisierung")
    course = Course.objects.create(
        school=school,
        topic=topic,
        title="SPS-Programmierung für Einsteiger",
        hours=Decimal("16"),
        learning_outcomes="SPS-Aufbau erklären\nAblaufsteuerungen programmieren\nFehler suchen",
    )
    now = timezone.now()
    unusable = make_password(None)
    return [
        _run(course, workshop, n, f"{label}-", now - dt.timedelta(days=day), unusable)
        for day, (label, n) in enumerate((("warm", WARM_UP), ("bench", count)))
    ]


def _run(course, workshop, count: int, prefix: str, now, unusable):
    from courses.models import CourseRun, Enrolment, Session
    from people.models import User

    run = CourseRun.objects.create(
        course=course,
        school=course.school,
        workshop=workshop,
        capacity=count,
        booking_opens_at=now - dt.timedelta(days=30),
        booking_closes_at=now - dt.timedelta(days=20),
        cancellation_deadline=now - dt.timedelta(days=21),
        status=CourseRun.Status.COMPLETED,
    )
    for week in range(2):
        start = now - dt.timedelta(days=14 - 7 * week)
        Session.objects.create(
            run=run, workshop=workshop, start=start, end=start + dt.timedelta(hours=8)
        )
    first = ["Jürgen", "Özlem", "Björn", "Anna-Lena", "Mustafa", "Käthe"]
    last = ["Weiß", "Groß", "Müller", "Yılmaz", "Schäfer", "Strauß"]
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{i}@example.org",
            first_name=first[i % len(first)],
            last_name=last[(i // len(first)) % len(last)],
            password=unusable,  # nobody logs in
        )
        for i in range(count)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            run=run,
            participant=user,
            participant_name=f"{user.first_name} {user.last_name}",
            status=Enrolment.Status.COMPLETED,
            completed_at=now,
        )
        for user in users
    )
    return run


def _bare_page(data: dict) -> bytes:
    """The same words on an A4 page with reportlab's canvas and a built-in font: no layout, no
    embedded font, no QR code, no database."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    lines = [
        data["school"]["name"],
        data["district"]["name"],
        "Teilnahmebescheinigung",
        "Hiermit wird bescheinigt, dass",
        data["participant"]["name"],
        "an der Fortbildung",
        data["course"]["title"],
        f"{data['course']['hours']} Unterrichtsstunden",
        ", ".join(s["start"][:10] for s in data["sessions"]),
        data["instructor"],
        *data["course"]["learning_outcomes"],
        f"{data['school']['city']}, {data['issued_at'][:10]}",
        data["number"],
        data["verification_url"],
    ]
    y = 780
    page.setFont("Helvetica", 11)
    for line in lines:
        page.drawString(60, y, line)
        y -= 18
    page.showPage()
    page.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lw_cert_bench_"))
    server = os.environ.get("DATABASE_URL", "")
    cleanup = contextlib.ExitStack()
    broker = cleanup.enter_context(dataset.mail_queue())
    url, dropme = _setup_environment(tmp, broker)
    try:
        import django

        django.setup()
        from django.core import mail
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from certificates.models import Certificate, IssueJob
        from certificates.pdf import render_certificate_pdf
        from certificates.services import run_issue_job
        from core.services.outbox import deliver_due_emails

        call_command("migrate", verbosity=0)
        warm_run, run = _dataset(args.count)
        # A worker is a long-lived process: its imports, URL resolver, fonts and signing key are
        # ready before the measured job, as they are for the layout measured after it.
        run_issue_job(job_id=IssueJob.objects.create(run=warm_run).pk)
        deliver_due_emails(now=timezone.now() + dt.timedelta(hours=1))
        mail.outbox.clear()
        job = IssueJob.objects.create(run=run)

        started, cpu = time.perf_counter(), time.process_time()
        job = run_issue_job(job_id=job.pk)
        issue_seconds = time.perf_counter() - started
        issue_cpu = time.process_time() - cpu
        issued = Certificate.objects.filter(enrolment__run=run).count()
        assert issued == args.count == job.done, (issued, job.done)
        numbers = sorted(
            Certificate.objects.filter(enrolment__run=run).values_list("number", flat=True)
        )
        # Gapless: the school's numbers go on after the warm-up's.
        assert numbers[-1].endswith(f"-{args.count + WARM_UP:05d}"), numbers[-1]

        # The worker's part: every queued e-mail rendered, its PDF attached and sent.
        started, cpu = time.perf_counter(), time.process_time()
        deliver_due_emails(now=timezone.now() + dt.timedelta(hours=1))
        mail_seconds = time.perf_counter() - started
        mail_cpu = time.process_time() - cpu
        assert len(mail.outbox) == args.count, len(mail.outbox)

        sample = list(Certificate.objects.order_by("pk").values_list("data", flat=True)[:50])
        rounds = max(args.count // len(sample), 1)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            for data in sample:
                render_certificate_pdf(data, images={})
        layout_seconds = time.perf_counter() - started
        layout_cpu = time.process_time() - cpu
        layout_count = rounds * len(sample)

        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            for data in sample:
                _bare_page(data)
        bare_seconds = time.perf_counter() - started
        bare_cpu = time.process_time() - cpu

        size = sum(c.pdf.size for c in Certificate.objects.all()[:50]) / 50
        rows = [
            ("full issue (bulk job)", issued, issue_seconds, issue_cpu),
            ("e-mail sent (worker)", len(mail.outbox), mail_seconds, mail_cpu),
            ("our PDF layout only", layout_count, layout_seconds, layout_cpu),
            ("bare reportlab page", layout_count, bare_seconds, bare_cpu),
        ]
        where = "throw-away" if dropme or not server else url
        how = f"queued to {broker}, then sent by the worker's code" if broker else "sent in the job"
        print(f"database: {connection.vendor} ({where}); {len(mail.outbox)} e-mails {how}")
        # CPU time beside wall time: on a shared machine the wall clock mostly measures neighbours.
        print(f"{'':24} {'count':>6} {'wall s':>8} {'per s':>8} {'cpu s':>8} {'per cpu s':>10}")
        for label, count, wall, cpu in rows:
            rates = f"{wall:8.2f} {count / wall:8.1f} {cpu:8.2f} {count / cpu:10.1f}"
            print(f"{label:24} {count:6d} {rates}")
        full_wall, full_cpu = issued / issue_seconds, issued / issue_cpu
        bare_wall, bare_cpu_rate = layout_count / bare_seconds, layout_count / bare_cpu
        layout_cpu_rate = layout_count / layout_cpu
        print(
            f"ratio bare page / full issue: {bare_wall / full_wall:.1f}x wall, "
            f"{bare_cpu_rate / full_cpu:.1f}x cpu"
        )
        print(
            f"ratio our layout / full issue: {layout_cpu_rate / full_cpu:.1f}x cpu "
            f"(the rest: locks, data, PDF/A, signature, storage, hash, audit, event, e-mail queued)"
        )
        print(f"average PDF size: {size / 1024:.1f} KiB")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not be set up yet
            pass
        if dropme:
            _postgres_admin(server, f'DROP DATABASE IF EXISTS "{dropme}"')
        shutil.rmtree(tmp, ignore_errors=True)
        cleanup.close()


if __name__ == "__main__":
    main()
