"""Time of a session conflict check against 10,000 existing sessions.

    .venv/bin/python bench/conflict_check.py                 # PostgreSQL and SQLite
    .venv/bin/python bench/conflict_check.py --db sqlite     # one of them
    .venv/bin/python bench/conflict_check.py --sessions 50000

Builds a throwaway database (PostgreSQL: lw_bench_plan_<pid> on 127.0.0.1:5432, dropped after;
SQLite: a temp file), fills one school with 20 workshops, 40 instructors and N sessions over two
years, then times
  - find_conflict(): the planning service's check (one indexed query), for 500 random slots,
    half of them clashing;
  - add_session() end to end (lock run, check, insert; on PostgreSQL also the exclusion
    constraints), rolled back each time.
Prints median and p95 in milliseconds, and the CPU time this process spends per check
(time.process_time: the Python side, steadier than wall time on a busy machine)."""

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def run_one(n_sessions: int, samples: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from courses.errors import SessionConflict
    from courses.models import Course, CourseRun, Session, Topic
    from courses.services import planning
    from people.models import District, Membership, School, User
    from workshops.models import Workshop

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(42)
    district = District.objects.create(name="Bench", code="bench")
    school = School.objects.create(district=district, name="BBS Bench", code="BENCH", city="X")
    workshops = [
        Workshop.objects.create(school=school, name=f"Werkstatt {i}", room=f"R{i}", seats=16)
        for i in range(20)
    ]
    instructors = User.objects.bulk_create(
        [User(email=f"ausbilder{i}@bench.example") for i in range(40)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, role="instructor", school=school) for u in instructors]
    )
    topic = Topic.objects.create(name="Bench", slug="bench")
    course = Course.objects.create(school=school, topic=topic, title="Bench-Kurs", hours=8)
    now = timezone.now()
    runs = CourseRun.objects.bulk_create(
        [
            CourseRun(
                course=course,
                school=school,
                workshop=workshops[i % 20],
                capacity=12,
                booking_opens_at=now,
                booking_closes_at=now + dt.timedelta(days=1),
                cancellation_deadline=now,
            )
            for i in range(200)
        ]
    )
    # Each workshop gets its own slots: day d, morning or afternoon; instructor i works in
    # workshop i % 20 only, so the data holds no overlap (the constraints would refuse one).
    base = timezone.make_aware(dt.datetime(2030, 1, 7, 8))
    per_workshop = n_sessions // 20
    sessions = []
    for w_index, workshop in enumerate(workshops):
        for k in range(per_workshop):
            start = base + dt.timedelta(days=k // 2, hours=0 if k % 2 == 0 else 5)
            sessions.append(
                Session(
                    run=runs[w_index + 20 * (k % 10)],
                    workshop=workshop,
                    instructor=instructors[w_index + 20 * (k % 2)],
                    start=start,
                    end=start + dt.timedelta(hours=4),
                )
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Session.objects.count()
    span_days = per_workshop // 2

    def random_slot():
        day = rng.randrange(span_days)
        hour = rng.choice([0, 2, 4, 9])  # some clash, some fall into the gaps
        start = base + dt.timedelta(days=day, hours=hour)
        return start, start + dt.timedelta(hours=2)

    check_times, hits, free_times, clash_times = [], 0, [], []
    free_cpu, clash_cpu = [], []
    for _ in range(samples):
        start, end = random_slot()
        workshop = rng.choice(workshops)
        instructor = rng.choice(instructors)
        c0, t0 = time.process_time(), time.perf_counter()
        error = planning.find_conflict(
            start=start, end=end, workshop_id=workshop.pk, instructor_id=instructor.pk
        )
        elapsed = (time.perf_counter() - t0) * 1000
        cpu = (time.process_time() - c0) * 1000
        check_times.append(elapsed)
        (clash_times if error is not None else free_times).append(elapsed)
        (clash_cpu if error is not None else free_cpu).append(cpu)
        hits += error is not None

    # The database's share: the id query alone, as SQL, for the same kind of slots.
    from django.test.utils import CaptureQueriesContext

    sql_times = []
    for _ in range(samples):
        start, end = random_slot()
        with CaptureQueriesContext(connection) as ctx:
            planning.find_conflict(
                start=start,
                end=end,
                workshop_id=rng.choice(workshops).pk,
                instructor_id=rng.choice(instructors).pk,
            )
        sql = ctx.captured_queries[0]["sql"]
        with connection.cursor() as cursor:
            t0 = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            sql_times.append((time.perf_counter() - t0) * 1000)

    class Rollback(Exception):
        pass

    add_times, refused = [], 0
    for _ in range(min(samples, 200)):
        start, end = random_slot()
        run = rng.choice(runs)
        t0 = time.perf_counter()
        try:
            with transaction.atomic():
                planning.add_session(run=run, start=start, end=end, actor=None)
                raise Rollback
        except Rollback:
            pass
        except SessionConflict:
            refused += 1
        add_times.append((time.perf_counter() - t0) * 1000)

    print(
        f"[{connection.vendor}] {total} sessions: find_conflict median "
        f"{statistics.median(check_times):.2f} ms, p95 {_percentile(check_times, 0.95):.2f} ms "
        f"({samples} checks, {hits} clashes; free slot median "
        f"{statistics.median(free_times or [0]):.2f} ms, clash incl. message "
        f"{statistics.median(clash_times or [0]):.2f} ms); add_session median "
        f"{statistics.median(add_times):.2f} ms, p95 {_percentile(add_times, 0.95):.2f} ms "
        f"({len(add_times)} saves, {refused} refused); the check's SQL alone median "
        f"{statistics.median(sql_times):.3f} ms; this process's CPU per check median: free "
        f"slot {statistics.median(free_cpu or [0]):.3f} ms, clash "
        f"{statistics.median(clash_cpu or [0]):.3f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.sessions, args.samples)
        return 0
    kinds = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    status = 0
    for kind in kinds:
        env = dict(os.environ, DEBUG="1", CELERY_BROKER_URL="")
        name = None
        if kind == "postgres":
            name = f"lw_bench_plan_{os.getpid()}"
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
            _pg_admin(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        else:
            tmp = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
            tmp.close()
            env["DATABASE_URL"] = f"sqlite:///{tmp.name}"
        try:
            cmd = [
                sys.executable,
                __file__,
                "--child",
                "--sessions",
                str(args.sessions),
                "--samples",
                str(args.samples),
            ]
            status |= subprocess.run(cmd, env=env, cwd=ROOT, check=False).returncode
        finally:
            if name:
                _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                Path(tmp.name).unlink(missing_ok=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
