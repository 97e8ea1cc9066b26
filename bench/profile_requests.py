"""Where one booking request and one run-list API request spend their time, in-process (Django's
test client, no HTTP): statements per request and a cProfile summary sorted by cumulative time.

    DATABASE_URL=postgres://…/db .venv/bin/python bench/profile_requests.py [--bookings 40]

Needs a migrated PostgreSQL database it may write to (it seeds a run, trainees and an API key
whose names carry a random token)."""

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=40)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="measure CPU time per request (time.process_time) without cProfile's overhead",
    )
    args = parser.parse_args()

    import booking_race
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    token = secrets.token_hex(4)
    run_id, keys = booking_race.seed(args.bookings + 1, args.seats, token)
    clients = []
    for key in keys:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = key
        clients.append(client)
    clients[0].post(f"/runs/{run_id}/book/")  # warm-up: imports, compiled queries
    profile = cProfile.Profile()
    counts, cpu = [], []
    started = time.perf_counter()
    for client in clients[1:]:
        with CaptureQueriesContext(connection) as queries:
            if not args.no_profile:
                profile.enable()
            cpu_started = time.process_time()
            response = client.post(f"/runs/{run_id}/book/")
            cpu.append(time.process_time() - cpu_started)
            if not args.no_profile:
                profile.disable()
        assert response.status_code == 302, response.status_code
        counts.append(len(queries))
        if len(counts) == 1:
            first = queries.captured_queries  # a confirmed booking; the last one waits
    elapsed = time.perf_counter() - started
    seats = min(args.seats - 1, len(cpu))
    print(
        f"booking: {len(counts)} requests, {elapsed / len(counts) * 1000:.1f} ms each "
        f"({'not ' if args.no_profile else ''}profiled), statements per request "
        f"min {min(counts)} max {max(counts)}; CPU ms median "
        f"{statistics.median(cpu) * 1000:.2f} (confirmed "
        f"{statistics.median(cpu[:seats]) * 1000:.2f}, waitlisted "
        f"{statistics.median(cpu[seats:] or [0]) * 1000:.2f}), lower quartile "
        f"{statistics.quantiles(cpu, n=4)[0] * 1000:.2f} (the least disturbed by a busy machine)"
    )
    for label, captured in (("confirmed", first), ("waitlisted", queries.captured_queries)):
        print(f"  statements of a {label} booking: {len(captured)}")
        for sql in captured:
            print("   ", sql["sql"][:150])
    if args.no_profile:
        return 0
    calls = pstats.Stats(profile).total_calls
    print(f"Python function calls per request (deterministic): {calls / len(counts):.0f}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
