"""Where one booking request spends its time, in-process (Django's test client, no HTTP): CPU ms
per request of this process (median over many bookings, measured without a profiler), statements
per request, and optionally a cProfile summary sorted by cumulative time.

    DATABASE_URL=postgres://…/db .venv/bin/python bench/profile_requests.py [--bookings 120]

Needs a migrated PostgreSQL database it may write to (it seeds a run and trainees whose names
carry a random token). Set CELERY_BROKER_URL as production does: without a broker Celery runs
eagerly and the e-mails are rendered inside the request. With --profile, a second run of the
same size is profiled with cProfile."""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def _clients(booking_race, n: int, seats: int):
    from django.test import Client

    run_id, keys = booking_race.seed(n + 2, seats, secrets.token_hex(4))
    clients = []
    for key in keys:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = key
        clients.append(client)
    clients[0].post(f"/runs/{run_id}/book/")  # warm-up: imports, compiled queries
    return run_id, clients[1:]


def _summary(label: str, values: list[float]) -> str:
    values = sorted(values)
    return (
        f"{label} median {statistics.median(values):.2f}, "
        f"p10 {values[len(values) // 10]:.2f}, p90 {values[len(values) * 9 // 10]:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=120)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="also profile with cProfile")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sql", action="store_true", help="print the last booking's statements")
    args = parser.parse_args()

    import booking_race
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    run_id, clients = _clients(booking_race, args.bookings, args.seats)
    cpu, wall, counts, by_status = [], [], [], {"confirmed": [], "waitlisted": []}
    with connection.execute_wrapper(count):
        for i, client in enumerate(clients[:-1]):
            statements = 0
            started, started_wall = time.process_time(), time.perf_counter()
            response = client.post(f"/runs/{run_id}/book/")
            spent = (time.process_time() - started) * 1000
            wall.append((time.perf_counter() - started_wall) * 1000)
            assert response.status_code == 302, response.status_code
            cpu.append(spent)
            counts.append(statements)
            by_status["confirmed" if i < args.seats - 1 else "waitlisted"].append(spent)
    broker = settings.CELERY_BROKER_URL or "none (e-mails rendered in the request)"
    print(f"booking: {len(cpu)} requests, broker {broker}")
    print("  " + _summary("CPU ms per request:", cpu))
    print("  " + _summary("wall ms per request:", wall))
    for status, values in by_status.items():
        if values:
            print("  " + _summary(f"  {status} ({len(values)}):", values))
    print(f"  statements per request: min {min(counts)}, max {max(counts)}")

    if args.sql:
        with CaptureQueriesContext(connection) as queries:
            clients[-1].post(f"/runs/{run_id}/book/")
        print("statements of one more (waitlisted) booking:")
        for sql in queries.captured_queries:
            print("   ", sql["sql"][:200])

    if args.profile:
        run_id, clients = _clients(booking_race, args.bookings, args.seats)
        # CPU time, not wall time: waiting for the database is not what we are cutting here.
        profile = cProfile.Profile(time.process_time)
        for client in clients[:-1]:
            profile.enable()
            client.post(f"/runs/{run_id}/book/")
            profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        # Unlike CPU time, the number of calls does not depend on what else the machine runs.
        print(f"Python function calls per request: {stats.total_calls / (len(clients) - 1):.0f}")
        stats.sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
