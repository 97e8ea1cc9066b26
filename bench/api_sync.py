"""Chamber API sync benchmark: 100,000 enrolments synced page by page over HTTP from gunicorn.

Builds a throw-away PostgreSQL database (or uses BENCH_DATABASE_URL as is), loads one chamber with
500 member businesses, 1,000 apprentices and 100 runs × 1,000 enrolments with bulk_create, serves
the project with gunicorn on 127.0.0.1, and pulls /api/v1/enrolments/ page by page with the cursor
until the end. Prints records per second and the peak memory (VmHWM) of the gunicorn workers.

    python bench/api_sync.py                      # 100,000 enrolments, page size 1000
    python bench/api_sync.py --enrolments 20000 --page-size 500 --keep

Needs PostgreSQL on 127.0.0.1:5432 (trust auth), as on the dev machines and in CI."""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_API_PORT", "8142"))
SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432/postgres")


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(sql)


def _env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0",  # DEBUG keeps every query in memory: it would distort the memory figure
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_THROTTLE_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def load(n_enrolments: int) -> str:
    """Create the data with bulk_create; returns an API key for the chamber."""
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from api.services import create_api_key
    from courses.models import Course, CourseRun, Enrolment, Session, Topic
    from people.models import Business, Chamber, District, School, TraineeProfile, User
    from workshops.models import Workshop

    runs_n = max(1, n_enrolments // 1000)
    per_run = -(-n_enrolments // runs_n)
    trainees_n = per_run
    now = timezone.now()
    district = District.objects.create(name="Bench", code="bench")
    school = School.objects.create(
        district=district, name="BBS Bench", code="BBSB", city="Lüneburg"
    )
    workshop = Workshop.objects.create(school=school, name="Lernwerkstatt", seats=10_000)
    chamber = Chamber.objects.create(name="HWK Bench", code="HWK-B", kind="hwk")
    topic = Topic.objects.create(name="Bench", slug="bench")
    course = Course.objects.create(
        school=school, topic=topic, title="Bench-Kurs", hours=Decimal("8")
    )
    businesses = Business.objects.bulk_create(
        Business(name=f"Betrieb {i}", chamber=chamber, member_number=f"B{i:05d}")
        for i in range(500)
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        (
            User(
                email=f"azubi{i}@bench.invalid",
                first_name="Azubi",
                last_name=str(i),
                password=unusable,
            )
            for i in range(trainees_n)
        ),
        batch_size=2000,
    )
    TraineeProfile.objects.bulk_create(
        (
            TraineeProfile(
                user=u,
                business=businesses[i % 500],
                lehrlingsrolle_number=f"LR-{i:06d}",
                occupation="Tischler:in",
            )
            for i, u in enumerate(users)
        ),
        batch_size=2000,
    )
    runs = CourseRun.objects.bulk_create(
        CourseRun(
            course=course,
            school=school,
            workshop=workshop,
            capacity=per_run,
            min_participants=0,
            booking_opens_at=now - dt.timedelta(days=10),
            booking_closes_at=now + dt.timedelta(days=10 + r),
            cancellation_deadline=now + dt.timedelta(days=9 + r),
            status="published",
            starts_at=now + dt.timedelta(days=11 + r),
            ends_at=now + dt.timedelta(days=11 + r, hours=8),
        )
        for r in range(runs_n)
    )
    Session.objects.bulk_create(
        Session(run=run, workshop=workshop, start=run.starts_at, end=run.ends_at) for run in runs
    )
    made = 0
    for run in runs:
        batch = []
        for i, user in enumerate(users):
            if made >= n_enrolments:
                break
            batch.append(
                Enrolment(
                    run=run,
                    participant=user,
                    participant_name=f"Azubi {i}",
                    business=businesses[i % 500],
                    status="confirmed",
                    source="api",
                    confirmed_at=now,
                )
            )
            made += 1
        Enrolment.objects.bulk_create(batch, batch_size=5000)
    _key, plaintext = create_api_key(chamber=chamber, name="bench", scopes=["enrolments:read"])
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would have them
        cursor.execute("VACUUM ANALYZE")
    return plaintext


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def _vm_hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def sync(key: str, page_size: int) -> tuple[int, float, int]:
    url = f"http://127.0.0.1:{PORT}/api/v1/enrolments/?page_size={page_size}"
    headers = {"Authorization": f"Bearer {key}"}
    records, pages, started = 0, 0, time.perf_counter()
    seen_ids: set[int] = set()
    while url:
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our own server
            page = json.loads(response.read())
        records += len(page["results"])
        seen_ids.update(row["id"] for row in page["results"])
        pages += 1
        url = page["next"]
        if url:  # the server builds `next` from the Host header; keep our address
            parts = urllib.parse.urlsplit(url)
            url = f"http://127.0.0.1:{PORT}{parts.path}?{parts.query}"
    elapsed = time.perf_counter() - started
    if len(seen_ids) != records:
        raise SystemExit(
            f"duplicate rows in a sync without changes: {records} rows, {len(seen_ids)} ids"
        )
    return records, elapsed, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrolments", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    args = parser.parse_args()

    given = os.environ.get("BENCH_DATABASE_URL")
    name = f"lw_api_bench_{os.getpid()}"
    database_url = given or SERVER.rsplit("/", 1)[0] + "/" + name
    if not given:
        _admin(f'CREATE DATABASE "{name}"')
    env = _env(database_url)
    server = None
    try:
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        key = load(args.enrolments)
        print(
            f"loaded {args.enrolments:,} enrolments in {time.perf_counter() - t0:.1f} s "
            "(incl. migrate)"
        )

        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(args.workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        workers = _worker_pids(server.pid)
        baseline = {pid: _vm_hwm_kib(pid) for pid in workers}
        records, elapsed, pages = sync(key, args.page_size)
        peak = max((_vm_hwm_kib(pid) for pid in workers), default=0)
        print(
            f"synced {records:,} enrolments in {pages} pages of {args.page_size} in {elapsed:.1f} s"
        )
        print(f"records per second: {records / elapsed:,.0f}")
        print(
            f"gunicorn worker peak RSS (VmHWM): {peak / 1024:.0f} MiB "
            f"(after start: {max(baseline.values(), default=0) / 1024:.0f} MiB; "
            f"{len(workers)} workers)"
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not given and not args.keep:
            from django.db import connections

            connections.close_all()
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif not given:
            print(f"kept: {database_url}")


if __name__ == "__main__":
    main()
