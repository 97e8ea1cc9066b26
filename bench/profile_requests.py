"""Where one booking request spends its time, in-process (Django's test client, no HTTP): CPU ms
per request of this process (median over many bookings, measured without a profiler), of it the
CPU outside the view (session, user, middleware, URL resolving, the response), statements per
request, and optionally a cProfile summary sorted by cumulative time.

    DATABASE_URL=postgres://…/db .venv/bin/python bench/profile_requests.py [--bookings 120]
        [--get /my/]

Every booking is posted as a browser posts it (bench/booking_race.post_booking: a form with the
CSRF token, checked), each trainee with its own session cookie, through one request handler whose
middleware is loaded once, as in a gunicorn worker. `--get PATH` also measures a signed-in GET.

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


CSRF = "bench" * 6 + "ok"  # a CSRF secret as the cookie carries it (32 characters)


class Browser:
    """One trainee's browser: its session cookie and CSRF cookie, sent through `handler`."""

    def __init__(self, handler, session_key: str):
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
        self.client.handler = handler  # one handler, middleware loaded once (a gunicorn worker)
        self.client.cookies["sessionid"] = session_key
        self.client.cookies["csrftoken"] = CSRF

    def book(self, run_id: int):
        response = self.client.post(
            f"/runs/{run_id}/book/",
            f"csrfmiddlewaretoken={CSRF}",
            content_type="application/x-www-form-urlencoded",
            headers={"Referer": f"http://127.0.0.1/runs/{run_id}/"},
        )
        assert response.status_code == 302 and f"/runs/{run_id}/" in response["Location"], (
            response.status_code
        )
        return response

    def get(self, path: str):
        response = self.client.get(path)
        assert response.status_code == 200, response.status_code
        return response


def _clients(booking_race, n: int, seats: int):
    from django.test.client import ClientHandler

    run_id, keys = booking_race.seed(n + 2, seats, secrets.token_hex(4))
    handler = ClientHandler(enforce_csrf_checks=True)
    clients = [Browser(handler, key) for key in keys]
    clients[0].book(run_id)  # warm-up: imports, compiled queries
    return run_id, clients[1:]


class ViewClock:
    """CPU spent inside the view of `path` (its decorators included), per request."""

    def __init__(self, path: str):
        import functools

        from django.urls import get_resolver, resolve

        view = resolve(path).func
        self.spent: list[float] = []

        @functools.wraps(view)
        def timed(*args, **kwargs):
            started = time.process_time()
            try:
                return view(*args, **kwargs)
            finally:
                self.spent.append((time.process_time() - started) * 1000)

        self._swap = lambda old, new: _swap(get_resolver().url_patterns, old, new)
        self._views = (view, timed)
        self._swap(view, timed)

    def restore(self) -> None:
        self._swap(*reversed(self._views))


def _swap(patterns, old, new) -> None:
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _swap(pattern.url_patterns, old, new)
        elif pattern.callback is old:
            pattern.callback = new


def _summary(label: str, values: list[float]) -> str:
    values = sorted(values)
    return (
        f"{label} median {statistics.median(values):.2f}, "
        f"p10 {values[len(values) // 10]:.2f}, p90 {values[len(values) * 9 // 10]:.2f}"
    )


def _measure(clients, send, path: str):
    """Each client sends one request: CPU ms, wall ms, statements, CPU ms outside the view."""
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    in_view = ViewClock(path)
    cpu, wall, counts = [], [], []
    with connection.execute_wrapper(count):
        for client in clients:
            statements = 0
            started, started_wall = time.process_time(), time.perf_counter()
            send(client)
            cpu.append((time.process_time() - started) * 1000)
            wall.append((time.perf_counter() - started_wall) * 1000)
            counts.append(statements)
    in_view.restore()
    outside = [total - view for total, view in zip(cpu, in_view.spent, strict=True)]
    return cpu, wall, counts, outside


def _report(cpu, wall, counts, outside) -> None:
    print("  " + _summary("CPU ms per request:", cpu))
    print("  " + _summary("wall ms per request:", wall))
    print("  " + _summary("CPU ms outside the view:", outside))
    print(f"  statements per request: min {min(counts)}, max {max(counts)}")


def _profile(clients, send, out=None):
    # CPU time, not wall time: waiting for the database is not what we are cutting here.
    profile = cProfile.Profile(time.process_time)
    for client in clients:
        profile.enable()
        send(client)
        profile.disable()
    stats = pstats.Stats(profile, stream=out)
    return stats if out is not None else stats.total_calls / len(clients)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=120)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="also profile with cProfile")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--get", metavar="PATH", help="also measure a signed-in GET of PATH")
    parser.add_argument("--sql", action="store_true", help="print the last booking's statements")
    args = parser.parse_args()

    import booking_race
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run_id, clients = _clients(booking_race, args.bookings, args.seats)
    cpu, wall, counts, outside = _measure(
        clients[:-1], lambda client: client.book(run_id), f"/runs/{run_id}/book/"
    )
    broker = settings.CELERY_BROKER_URL or "none (e-mails rendered in the request)"
    print(f"booking: {len(cpu)} requests, broker {broker}")
    _report(cpu, wall, counts, outside)
    confirmed = args.seats - 1  # the warm-up booked the first seat
    for status, values in (("confirmed", cpu[:confirmed]), ("waitlisted", cpu[confirmed:])):
        if values:
            print("  " + _summary(f"  {status} ({len(values)}):", values))

    if args.get:
        clients[0].get(args.get)  # warm-up
        measured = _measure(clients[:-1], lambda client: client.get(args.get), args.get)
        print(f"GET {args.get}: {len(measured[0])} requests by signed-in trainees")
        _report(*measured)

    if args.sql:
        with CaptureQueriesContext(connection) as queries:
            clients[-1].book(run_id)
        print("statements of one more (waitlisted) booking:")
        for sql in queries.captured_queries:
            print("   ", sql["sql"][:200])

    if args.profile:
        if args.get:
            stats = _profile(clients[:-1], lambda client: client.get(args.get))
            print(f"GET {args.get}: Python function calls per request: {stats:.0f}")
        run_id, clients = _clients(booking_race, args.bookings, args.seats)
        out = io.StringIO()
        stats = _profile(clients[:-1], lambda client: client.book(run_id), out)
        # Unlike CPU time, the number of calls does not depend on what else the machine runs.
        print(f"Python function calls per request: {stats.total_calls / (len(clients) - 1):.0f}")
        stats.sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
