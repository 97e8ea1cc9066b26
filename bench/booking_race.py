"""Booking race through HTTP: 200 logged-in trainees book a run with 20 seats at the same moment,
through gunicorn on PostgreSQL, exactly as browsers would (session cookie, CSRF token from the
run page, POST /runs/<id>/book/).

    .venv/bin/python bench/booking_race.py [--workers 4] [--clients 50] [--bookings 200]

Uses DATABASE_URL when it points at PostgreSQL, otherwise a throwaway database on 127.0.0.1:5432.
Prints bookings per second, latency, confirmed and waiting counts, errors, and checks that the
waiting list is numbered 1..N without gaps or repeats; exit status 1 when the counts are wrong."""

import argparse
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset  # noqa: E402
import lean_http  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORTS = range(8120, 8130)
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_for_own_server(server, base: str, run_id: int, token: str) -> bool:
    """True once our gunicorn answers with our run; False if it died (port taken meanwhile)
    or another server answers on that port."""
    for _ in range(120):
        if server.poll() is not None:
            return False
        try:
            page = requests.get(f"{base}/runs/{run_id}/", timeout=5)
            if page.ok:
                return token in page.text
        except requests.RequestException:
            pass
        time.sleep(0.5)
    return False


def stop(server) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def create_database() -> tuple[str, str]:
    import psycopg

    name = f"lw_bench_book_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_ROOT": static_root,
            "LOG_LEVEL": "WARNING",
            # Mails are rendered (with their .ics) but not delivered: we measure booking, not SMTP.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    env.pop("TESTING", None)
    return env


def signed_in_trainees(token: str, n_trainees: int, prefix: str):
    """A chamber, a business and `n_trainees` verified apprentices it employs (confirmed), each
    with a browser session (its key is the cookie a load client sends). Returns (chamber, session
    keys). Call after django.setup()."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.timezone import now

    from people.models import Business, Chamber, Employment, TraineeProfile, User

    chamber = Chamber.objects.create(name=f"HWK {token}", code=f"HWK-{token}", kind="hwk")
    business = Business.objects.create(name="Tischlerei Bench", chamber=chamber)
    password = make_password("lernwerkstatt")
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{i}-{token}@bench.example",
                first_name="Azubi",
                last_name=str(i),
                password=password,
            )
            for i in range(n_trainees)
        ]
    )
    TraineeProfile.objects.bulk_create([TraineeProfile(user=u, business=business) for u in users])
    link = {"status": "confirmed", "source": "chamber", "decided_at": now()}
    Employment.objects.bulk_create([Employment(user=u, business=business, **link) for u in users])
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    keys = []
    for user in users:
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return chamber, keys


def bench_course(token: str, name: str, *, seats: int):
    """A district, school, workshop (`seats` places), topic and course whose names carry `token`
    and `name`. Returns (now, school, workshop, course). Sets Django up."""
    import django

    django.setup()
    from django.utils import timezone

    from courses.models import Course, Topic
    from people.models import District, School
    from workshops.models import Workshop

    slug = f"{name.lower()}-{token}"
    district = District.objects.create(name="Bench-Kreis", code=slug)
    school = School.objects.create(
        district=district, name=f"BBS {name} {token}", code=f"{name[0]}{token}"[:16], city="Celle"
    )
    workshop = Workshop.objects.create(school=school, name="Lernwerkstatt", room="A1", seats=seats)
    topic = Topic.objects.create(name=f"{name} {token}", slug=slug)
    course = Course.objects.create(
        school=school, topic=topic, title=f"3D-Druck kompakt {token}", hours=8
    )
    return timezone.now(), school, workshop, course


def post_booking(client, base: str, run: int, csrf: str, *, timeout: float) -> str:
    """One web booking as a browser sends it, with the cookies of `client` (the requests session
    that opened the run page): "ok" when it redirects back to the run's page."""
    page = f"{base}/runs/{run}/"
    form = {"csrfmiddlewaretoken": csrf}
    status, headers, _ = lean_http.post_form(f"{page}book/", form, client, page, timeout=timeout)
    ok = status == 302 and f"/runs/{run}/" in headers.get("location", "")
    return "ok" if ok else f"HTTP {status}"


def seed(n_trainees: int, seats: int, token: str) -> tuple[int, list[str]]:
    """A published run with `seats` seats and `n_trainees` verified trainees. Every name carries
    `token`, so the script also runs on a database that already holds data, and so that it can
    tell its own server from another one on the same port."""
    import datetime as dt

    now, school, workshop, course = bench_course(token, "Bench", seats=40)
    from courses.models import CourseRun, Session

    start = (now + dt.timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    end = start + dt.timedelta(hours=8)
    run = CourseRun.objects.create(
        course=course,
        school=school,
        workshop=workshop,
        capacity=seats,
        booking_opens_at=now - dt.timedelta(days=1),
        booking_closes_at=now + dt.timedelta(days=20),
        cancellation_deadline=now + dt.timedelta(days=19),
        status=CourseRun.Status.PUBLISHED,
        starts_at=start,
        ends_at=end,
    )
    Session.objects.create(run=run, workshop=workshop, start=start, end=end)
    _chamber, keys = signed_in_trainees(token, n_trainees, "azubi")
    return run.pk, keys


def results(run_id: int) -> dict:
    from django.db.models import Max, Min

    from courses.models import Enrolment

    rows = Enrolment.objects.filter(run_id=run_id)
    seqs = sorted(rows.filter(status="waitlisted").values_list("waitlist_seq", flat=True))
    span = rows.aggregate(first=Min("created_at"), last=Max("created_at"))
    return {
        "insert_span": (span["last"] - span["first"]).total_seconds() if span["first"] else 0.0,
        "confirmed": rows.filter(status="confirmed").count(),
        "waitlisted": rows.filter(status="waitlisted").count(),
        "other": rows.exclude(status__in=["confirmed", "waitlisted"]).count(),
        "seqs": seqs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--clients", type=int, default=50, help="concurrent HTTP clients")
    parser.add_argument("--bookings", type=int, default=200)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument(
        "--port", type=int, default=PORTS[0], help="first of ten ports to try for gunicorn"
    )
    parser.add_argument(
        "--broker",
        default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/3"),
        help="Celery broker the e-mails are queued to, as in production (no worker runs; the "
        "queue's database is emptied afterwards); '' sends them in the request",
    )
    args = parser.parse_args()

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    own_db = None
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        own_db, database_url = create_database()
    token = secrets.token_hex(4)
    static_root = tempfile.mkdtemp(prefix="lw-bench-static-")
    env = server_env(database_url, static_root)
    if args.broker and not dataset.broker_answers(args.broker):
        print(f"broker {args.broker} does not answer: e-mails are sent in the request")
        args.broker = ""
    env["CELERY_BROKER_URL"] = args.broker
    os.environ.update(env)
    server = None
    log = open(Path(tempfile.gettempdir()) / f"lw-bench-booking-{token}.log", "w")  # noqa: SIM115
    try:
        print(f"database: {database_url}", flush=True)
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env, check=True)
        collected = subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            capture_output=True,
            text=True,
        )
        if collected.returncode != 0:
            # Production static files (manifest) could not be built; pages would fail to render.
            # Fall back to DEBUG mode so the run page renders; the figures say so.
            print("WARNING: collectstatic failed, serving with DEBUG=1:", flush=True)
            print("  " + collected.stderr.strip().splitlines()[-1][:300], flush=True)
            env["DEBUG"] = "1"
            os.environ["DEBUG"] = "1"
        run_id, keys = seed(args.bookings, args.seats, token)
        print(f"seeded run {run_id}: {args.seats} seats, {len(keys)} trainees", flush=True)

        base = ""
        for port in range(args.port, args.port + len(PORTS)):
            if not port_is_free(port):
                continue
            env["SITE_URL"] = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [
                    str(Path(PY).with_name("gunicorn")),
                    "config.wsgi",
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={args.workers}",
                    f"--threads={args.threads}",
                    "--worker-class=gthread",
                    "--log-level=warning",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            if wait_for_own_server(server, f"http://127.0.0.1:{port}", run_id, token):
                base = f"http://127.0.0.1:{port}"
                break
            stop(server)
            server = None
        if not base:
            raise SystemExit(
                f"gunicorn did not come up on a free port from {args.port}; see " + log.name
            )

        # Each client opens the run page like a browser: that sets the CSRF cookie and gives the
        # token in the form. Done before the clock starts: the race is the POSTs.
        def prepare(key: str) -> tuple[requests.Session, str]:
            client = requests.Session()
            client.cookies.set("sessionid", key, domain="127.0.0.1")
            page = client.get(f"{base}/runs/{run_id}/", timeout=30)
            page.raise_for_status()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if token is None:
                raise RuntimeError("no booking form on the run page (not logged in?)")
            client.close()  # gunicorn drops kept-alive connections after 2 s: POST on a new one
            return client, token.group(1)

        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            clients = list(pool.map(prepare, keys))

        def fire(item) -> tuple[float, str]:
            client, token = item
            started = time.perf_counter()
            try:
                outcome = post_booking(client, base, run_id, token, timeout=60)
            except lean_http.ERRORS as exc:
                outcome = type(exc).__name__
            return time.perf_counter() - started, outcome

        load_before = f"{os.getloadavg()[0]:.1f}"
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            outcomes = list(pool.map(fire, clients))
        elapsed = time.perf_counter() - started

        latencies = sorted(t for t, _ in outcomes)
        errors = [o for _, o in outcomes if o != "ok"]
        counts = results(run_id)
        expected_waiting = max(args.bookings - args.seats, 0)
        gapless = counts["seqs"] == list(range(1, counts["waitlisted"] + 1))
        print(
            f"gunicorn: {args.workers} workers × {args.threads} threads, "
            f"{args.clients} concurrent clients, DEBUG={env['DEBUG']}, "
            f"e-mails {'queued to ' + args.broker if args.broker else 'sent in the request'}"
        )
        rate = len(outcomes) / elapsed
        print(f"bookings: {len(outcomes)} in {elapsed:.2f} s = {rate:.1f} bookings/s")
        print(
            f"latency: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms"
        )
        print(
            f"confirmed: {counts['confirmed']} (expected {min(args.seats, args.bookings)}), "
            f"waitlisted: {counts['waitlisted']} (expected {expected_waiting}), "
            f"other: {counts['other']}"
        )
        apart = counts["insert_span"] / max(len(outcomes) - 1, 1) * 1000
        print(
            f"inserts under the run lock spread over {counts['insert_span']:.2f} s "
            f"({apart:.0f} ms apart on average); "
            f"load average before/after: {load_before} / {os.getloadavg()[0]:.1f}"
        )
        # A refused booking also answers with a redirect (and a message): count what was written.
        written = counts["confirmed"] + counts["waitlisted"] + counts["other"]
        if written < len(outcomes):
            errors += ["no enrolment written"] * (len(outcomes) - written)
        print(f"errors: {len(errors)}" + (f" {sorted(set(errors))}" if errors else ""))
        print(f"waiting list positions 1..{counts['waitlisted']} gapless, no repeats: {gapless}")
        good = (
            not errors
            and gapless
            and counts["confirmed"] == min(args.seats, args.bookings)
            and counts["waitlisted"] == expected_waiting
        )
        print("RESULT:", "OK" if good else "FAILED")
        return 0 if good else 1
    finally:
        if server is not None:
            stop(server)
        log.close()
        from django.db import connections

        connections.close_all()
        if args.broker:
            dataset.empty_queue(args.broker)
        if own_db and not args.keep:
            drop_database(own_db)


if __name__ == "__main__":
    sys.exit(main())
