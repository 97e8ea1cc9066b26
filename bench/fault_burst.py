"""Faults during a booking burst: 300 logged-in trainees book one run through gunicorn while a real
Celery worker and beat run; Redis is restarted (down for 10 s) and PostgreSQL stopped for 10 s in
the middle of it.

    .venv/bin/python bench/fault_burst.py [--bookings 300] [--seats 50] [--outage 10]

Nothing shared is stopped: the app, the worker and beat reach PostgreSQL and Redis through TCP
proxies in this script, which it cuts (every open connection dropped, new ones refused) for the
outage, as a stopped server or a restarting Redis looks from the app. Private database (created
and dropped), private Redis database (FAULT_REDIS_URL, default db 8, flushed before and after).

A client whose request fails (503, connection error) retries like a person would, after
Retry-After (capped at --retry-cap seconds to keep the run short). Prints the responses by status,
503s with and without Retry-After, errors answered after the booking had committed, bookings
lost, duplicated and overbooked, the e-mails in the outbox (all sent once beat's sweep has run),
and worker restarts. Exit status 1 when anything is lost, duplicated, overbooked, a 500 was
answered, or an error came after a commit."""

import argparse
import collections
import datetime as dt
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from booking_race import (  # noqa: E402 - the sibling benchmark's helpers
    PY,
    ROOT,
    create_database,
    drop_database,
    port_is_free,
    seed,
    server_env,
    stop,
    wait_for_own_server,
)

REDIS_URL = os.environ.get("FAULT_REDIS_URL", "redis://127.0.0.1:6379/8")
PORTS = range(8110, 8113)  # web port first free one; the proxies take ephemeral ports


class CuttableProxy:
    """A TCP proxy whose line can be cut: `cut()` drops every open connection and refuses new
    ones (they are accepted and closed at once, like a port nobody answers on); `restore()`."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _addr = self.listener.accept()
            if not self.up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with self.lock:
                    self.open.discard(sock)
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def cut(self):
        self.up = False
        with self.lock:
            victims = list(self.open)
        for sock in victims:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def restore(self):
        self.up = True


def start(name: str, argv: list[str], env: dict, logs: Path) -> subprocess.Popen:
    log = (logs / f"{name}.log").open("a")
    return subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)  # noqa: S603


def main() -> int:  # noqa: C901, PLR0915 - one journey, told in order
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--clients", type=int, default=20, help="concurrent HTTP clients")
    parser.add_argument("--rate", type=float, default=8.0, help="new bookings started per second")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds each outage lasts")
    parser.add_argument("--retry-cap", type=float, default=2.0, help="longest wait before a retry")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args()

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import redis

    redis_client = redis.Redis.from_url(REDIS_URL)
    redis_client.flushdb()
    own_db, database_url = create_database()
    logs = Path(tempfile.mkdtemp(prefix="lw-fault-burst-"))
    token = secrets.token_hex(4)
    env = server_env(database_url, str(logs / "static"))
    os.environ.update(env)
    pg = CuttableProxy(("127.0.0.1", 5432))
    rd = CuttableProxy(("127.0.0.1", int(REDIS_URL.split(":")[2].split("/")[0])))
    db_name = database_url.rsplit("/", 1)[1]
    redis_db = REDIS_URL.rsplit("/", 1)[1]
    app_env = dict(env)
    app_env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{pg.port}/{db_name}",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{rd.port}/{redis_db}",
        CACHE_URL=f"redis://127.0.0.1:{rd.port}/{redis_db}",
        CELERY_BEAT_EVERY_SECONDS="5",
        LOG_LEVEL="INFO",
        MEDIA_ROOT=str(logs / "media"),
    )
    processes: dict[str, subprocess.Popen] = {}
    worker_restarts = 0
    try:
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True)
        run_id, keys = seed(args.bookings, args.seats, token)
        print(f"seeded run {run_id}: {args.seats} seats, {len(keys)} trainees", flush=True)
        base = ""
        for port in PORTS:
            if not port_is_free(port):
                continue
            app_env["SITE_URL"] = f"http://127.0.0.1:{port}"
            gunicorn = str(Path(PY).with_name("gunicorn"))
            processes["web"] = start(
                "web",
                [
                    gunicorn,
                    "config.wsgi",
                    f"--bind=127.0.0.1:{port}",
                    "--workers=2",
                    "--threads=4",
                    "--worker-class=gthread",
                    "--timeout=60",
                ],
                app_env,
                logs,
            )
            if wait_for_own_server(processes["web"], f"http://127.0.0.1:{port}", run_id, token):
                base = f"http://127.0.0.1:{port}"
                break
            stop(processes.pop("web"))
        if not base:
            raise SystemExit(f"gunicorn did not come up on {list(PORTS)}; see {logs}")
        worker_argv = [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "default,mail,pdf,webhooks",
            "--concurrency=2",
            "-l",
            "info",
            "-n",
            f"fault{os.getpid()}@%h",
        ]
        processes["worker"] = start("worker", worker_argv, app_env, logs)
        processes["beat"] = start(
            "beat",
            [
                PY,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "-l",
                "info",
                "-s",
                str(logs / "beat-schedule"),
            ],
            app_env,
            logs,
        )

        def prepare(key: str):
            client = requests.Session()
            client.cookies.set("sessionid", key, domain="127.0.0.1")
            page = client.get(f"{base}/runs/{run_id}/", timeout=30)
            page.raise_for_status()
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            return client, csrf, key

        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            clients = list(pool.map(prepare, keys))
        time.sleep(5)  # the worker is up

        statuses = collections.Counter()
        retry_after = collections.Counter()
        details = collections.Counter()
        failures = []  # (session key, started, ended, status) of every answer >= 500
        lock = threading.Lock()
        t0 = time.monotonic()

        def book(item):
            client, csrf, key = item
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                started = dt.datetime.now(dt.UTC)
                try:
                    response = client.post(
                        f"{base}/runs/{run_id}/book/",
                        data={"csrfmiddlewaretoken": csrf},
                        # A new connection each time: a browser silently repeats a request whose
                        # reused keep-alive connection the server had just closed; this does not.
                        headers={"Referer": f"{base}/runs/{run_id}/", "Connection": "close"},
                        allow_redirects=False,
                        timeout=30,
                    )
                    status = str(response.status_code)
                except requests.RequestException as exc:
                    response, status = None, type(exc).__name__
                    with lock:
                        details[f"{status}: {str(exc)[-90:]}"] += 1
                ended = dt.datetime.now(dt.UTC)
                with lock:
                    statuses[status] += 1
                    if response is not None and response.status_code == 503:
                        retry_after["with" if "Retry-After" in response.headers else "without"] += 1
                    if response is None or response.status_code >= 500:
                        failures.append((key, started, ended, status))
                if response is not None and response.status_code == 302:
                    return "booked"
                wait = args.retry_cap
                if response is not None and response.headers.get("Retry-After", "").isdigit():
                    wait = min(float(response.headers["Retry-After"]), args.retry_cap)
                time.sleep(wait)
            return "gave up"

        def outages():
            # Redis restart first, then PostgreSQL stopped, both inside the burst.
            for name, proxy, at in (("Redis", rd, 3.0), ("PostgreSQL", pg, 3.0 + args.outage + 6)):
                time.sleep(max(0.0, t0 + at - time.monotonic()))
                proxy.cut()
                print(f"{time.monotonic() - t0:5.1f}s {name} down", flush=True)
                time.sleep(args.outage)
                proxy.restore()
                print(f"{time.monotonic() - t0:5.1f}s {name} back", flush=True)

        fault_thread = threading.Thread(target=outages)
        fault_thread.start()
        outcomes = []
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            futures = []
            for item in clients:
                futures.append(pool.submit(book, item))
                time.sleep(1 / args.rate)
                if processes["worker"].poll() is not None:  # compose / systemd restart it
                    worker_restarts += 1
                    processes["worker"] = start("worker", worker_argv, app_env, logs)
            outcomes = [f.result() for f in futures]
        fault_thread.join()
        burst = time.monotonic() - t0

        # Let beat's outbox sweep (every 5 s here) send what was left during the outages.
        import django

        django.setup()
        from django.db import connection

        from core.models import OutboxEmail
        from courses.models import Enrolment

        settle = time.monotonic() + 90
        while time.monotonic() < settle:
            if processes["worker"].poll() is not None:
                worker_restarts += 1
                processes["worker"] = start("worker", worker_argv, app_env, logs)
            pending = OutboxEmail.objects.filter(status="pending").count()
            if not pending:
                break
            time.sleep(2)
        connection.close()

        rows = Enrolment.objects.filter(run_id=run_id)
        from django.contrib.sessions.models import Session

        user_of = {
            s.session_key: s.get_decoded().get("_auth_user_id") for s in Session.objects.all()
        }
        per_user = collections.Counter(
            str(u) for u in rows.values_list("participant_id", flat=True)
        )
        booked_users = {
            user_of[key]
            for (_c, _t, key), out in zip(clients, outcomes, strict=True)
            if out == "booked"
        }
        lost = sum(1 for u in booked_users if per_user[u] == 0)
        gave_up = outcomes.count("gave up")
        duplicated = sum(n - 1 for n in per_user.values() if n > 1)
        confirmed = rows.filter(status="confirmed").count()
        from courses.models import CourseRun

        run = CourseRun.objects.select_related("workshop").get(pk=run_id)
        seats = min(run.capacity, run.workshop.seats)  # no equipment needed by this course
        overbooked = max(0, confirmed - seats)
        created = {str(u): c for u, c in rows.values_list("participant_id", "created_at")}
        after_commit = [
            f
            for f in failures
            if user_of[f[0]] in created
            and created[user_of[f[0]]] <= f[2]
            and created[user_of[f[0]]] >= f[1] - dt.timedelta(seconds=1)
        ]
        outbox = collections.Counter(OutboxEmail.objects.values_list("status", flat=True))
        print(
            f"burst: {len(outcomes)} bookings in {burst:.1f} s, {args.clients} clients, "
            f"outages {args.outage:.0f} s each; load average {os.getloadavg()[0]:.1f}"
        )
        print("responses by status:", dict(sorted(statuses.items())))
        print(f"503 with Retry-After: {retry_after['with']}, without: {retry_after['without']}")
        print(f"errors answered after the booking had committed: {len(after_commit)}")
        for key, started, ended, status in after_commit:
            user = user_of[key]
            print(
                f"  user {user}: {status} {started:%H:%M:%S.%f}-{ended:%H:%M:%S.%f}, "
                f"booked {created[user]:%H:%M:%S.%f}"
            )
        for detail, count in details.most_common():
            print(f"  {count} × {detail}")
        print(
            f"bookings: {rows.count()} written, confirmed {confirmed} of {seats} seats, "
            f"waitlisted {rows.filter(status='waitlisted').count()}"
        )
        print(
            f"lost: {lost}, duplicated: {duplicated}, overbooked: {overbooked}, "
            f"clients that gave up: {gave_up}"
        )
        print("outbox e-mails by status:", dict(outbox))
        print(f"worker restarts: {worker_restarts}")
        good = (
            not lost
            and not duplicated
            and not overbooked
            and not gave_up
            and statuses.get("500", 0) == 0
            and not after_commit
            and not retry_after["without"]
            and rows.count() == args.bookings
            and set(outbox) <= {"sent"}
        )
        print("RESULT:", "OK" if good else "FAILED", f"(logs: {logs})")
        return 0 if good else 1
    finally:
        for process in processes.values():
            stop(process)
        from django.db import connections

        connections.close_all()
        redis_client.flushdb()
        if not args.keep:
            drop_database(own_db)


if __name__ == "__main__":
    sys.exit(main())
