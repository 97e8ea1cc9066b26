#!/usr/bin/env python
"""Production smoke journey: the production topology without Docker, checked through HTTP.

Against the PostgreSQL server of DATABASE_URL and the Redis of CELERY_BROKER_URL (defaults:
127.0.0.1) it creates a throw-away database lw_smoke_<pid>, migrates, loads the demo data, collects
static files, starts gunicorn (2 workers), a Celery worker (all queues) and Celery beat with the
production settings (DEBUG off), then walks one journey with a real HTTP client:

health and readiness, the catalogue page, an API key, a webhook registered to a receiver this script
runs on 127.0.0.1, a booking through POST /api/v1/enrolments/, attendance and completion through the
services, certificates issued by the worker (bulk IssueJob task), the PDF fetched through the API,
and the certificate.issued webhook with a valid HMAC signature.

Each check prints ✓ or ✗ with its time. Everything started here is stopped (process groups), and
the database dropped, also on failure. Exit status 0 only if every check passed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x CELERY_BROKER_URL=redis://127.0.0.1:6379/9 \\
        python scripts/prod_smoke.py
"""

import contextlib
import hashlib
import hmac
import http.server
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WEB_PORT = int(os.environ.get("SMOKE_WEB_PORT", "8161"))
HOOK_PORT = int(os.environ.get("SMOKE_HOOK_PORT", "8162"))
QUEUES = "default,mail,pdf,webhooks"  # the same as docker/compose.yaml's worker
CHAMBER = "HWK-HL"  # a chamber of the demo data
COORDINATOR = "koordination@demo.example"
WAIT_SECONDS = float(os.environ.get("SMOKE_WAIT_SECONDS", "90"))


class SmokeFailure(Exception):
    pass


# --- output --------------------------------------------------------------------------------------

results: list[tuple[str, bool, float, str]] = []


@contextlib.contextmanager
def check(name: str):
    started = time.monotonic()
    try:
        yield
    except Exception as exc:
        elapsed = time.monotonic() - started
        detail = f"{type(exc).__name__}: {exc}" if not isinstance(exc, SmokeFailure) else str(exc)
        results.append((name, False, elapsed, detail))
        print(f"✗ {name} ({elapsed:.2f} s): {detail}", flush=True)
        raise SmokeFailure(name) from exc
    elapsed = time.monotonic() - started
    results.append((name, True, elapsed, ""))
    print(f"✓ {name} ({elapsed:.2f} s)", flush=True)


def expect(condition, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


# --- environment ---------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return _with_database(url, "postgres")


def _local_apps() -> list[str]:
    """Our apps as settings list them, without importing the settings (they need Django)."""
    import ast

    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "LOCAL_APPS":
            return ast.literal_eval(node.value)
    raise RuntimeError("config/settings.py has no LOCAL_APPS")


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


class Smoke:
    def __init__(self) -> None:
        self.database = f"lw_smoke_{os.getpid()}"
        self.workdir = Path(tempfile.mkdtemp(prefix="lw_smoke_"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.base = f"http://127.0.0.1:{WEB_PORT}"
        self.worker_name = f"smoke{os.getpid()}@{socket.gethostname()}"
        self.env = {
            k: v for k, v in os.environ.items() if k not in {"TESTING", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="0",
            DATABASE_URL=_with_database(_admin_url(), self.database),
            CELERY_BROKER_URL=os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/9",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.base,
            # No TLS proxy in front here: plain HTTP must not be redirected.
            SECURE_SSL_REDIRECT="false",
            STATIC_ROOT=str(self.workdir / "static"),
            MEDIA_ROOT=str(self.workdir / "media"),
            LOG_LEVEL="INFO",
            # Mail goes nowhere (no SMTP here); the console backend would dump PDFs into the logs.
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            # The smoke webhook receiver listens on 127.0.0.1, which production refuses by default.
            WEBHOOK_ALLOW_PRIVATE_TARGETS="1",
        )
        self.env.pop("EMAIL_HOST", None)
        self.env.pop("ANYMAIL_PROVIDER", None)
        self.env.pop("CELERY_RESULT_BACKEND", None)
        self.env.pop("CACHE_URL", None)

    # processes -----------------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300, env: dict | None = None) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py, arguments from this script
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise SmokeFailure(
                f"manage.py {args[0]} exited {result.returncode}: {result.stderr.strip()[-1500:]}"
            )
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def start(self, name: str, argv: list[str]) -> None:
        log = self.workdir / f"{name}.log"
        self.logs[name] = log
        handle = log.open("wb")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - fixed commands of this script
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stopped with all its children
        )
        handle.close()

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def dump_logs(self) -> None:
        for name, path in self.logs.items():
            if path.exists():
                lines = path.read_text(errors="replace").splitlines()[-40:]
                print(f"--- last lines of {name} ---")
                print("\n".join(lines))

    # http ----------------------------------------------------------------------------------------

    def http(self, method: str, path: str, body=None, headers=None, timeout: float = 30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
            self.base + path, data=data, method=method, headers=dict(headers or {})
        )
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def api(self, method: str, path: str, body=None, headers=None):
        status, response_headers, raw = self.http(
            method, path, body, {"Authorization": f"Bearer {self.key}", **(headers or {})}
        )
        content_type = response_headers.get("Content-Type", "")
        data = json.loads(raw) if raw and "json" in content_type else raw
        return status, data

    def wait_for(self, what: str, probe, timeout: float = WAIT_SECONDS, every: float = 0.5):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise SmokeFailure(f"{name} exited with {process.returncode} while waiting")
            try:
                value = probe()
            except Exception as exc:  # not ready yet; keep the reason for the message
                last = exc
                value = None
            if value:
                return value
            time.sleep(every)
        raise SmokeFailure(f"{what} not within {timeout:.0f} s (last: {last})")


# --- webhook receiver ----------------------------------------------------------------------------


class Receiver:
    """A real HTTP server on 127.0.0.1 that keeps every POST it gets."""

    def __init__(self, port: int) -> None:
        self.requests: list[dict] = []
        received = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                length = int(self.headers.get("Content-Length", "0"))
                received.append({"headers": dict(self.headers), "body": self.rfile.read(length)})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):  # keep the smoke output readable
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def signature_ok(secret: str, request: dict) -> bool:
    headers = {k.lower(): v for k, v in request["headers"].items()}
    message = (
        f"{headers['x-lernwerkstatt-event-id']}.{headers['x-lernwerkstatt-timestamp']}.".encode()
        + request["body"]
    )
    expected = "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("x-lernwerkstatt-signature", ""))


# --- the journey ---------------------------------------------------------------------------------

COMPLETE = """
import datetime as dt
from courses.models import Enrolment
from courses.services.attendance import record_attendance
from courses.services.completion import complete_run, last_session_end
from people.models import User
enrolment = Enrolment.objects.select_related("run").get(pk={enrolment})
actor = User.objects.get(email="{coordinator}")
for session in enrolment.run.sessions.filter(status="scheduled"):
    record_attendance(session=session, enrolment=enrolment, status="present", actor=actor)
# The run's sessions lie ahead in the demo data: complete it as of just after its last session.
after = last_session_end(enrolment.run) + dt.timedelta(minutes=1)
complete_run(run=enrolment.run, actor=actor, now=after)
enrolment.refresh_from_db()
print(enrolment.status)
"""

ISSUE = """
from certificates.services import start_issue_job
from courses.models import CourseRun
from people.models import User
actor = User.objects.get(email="{coordinator}")
job = start_issue_job(run=CourseRun.objects.get(pk={run}), actor=actor)
print(job.pk)
"""

JOB_STATUS = """
from certificates.models import IssueJob
job = IssueJob.objects.get(pk={job})
print(job.status, job.done, job.total, job.error[:200].replace(chr(10), " "))
"""


def journey(smoke: Smoke, receiver: Receiver) -> None:
    with check(f"create database {smoke.database}"):
        _admin_sql(f'DROP DATABASE IF EXISTS "{smoke.database}" WITH (FORCE)')
        _admin_sql(f'CREATE DATABASE "{smoke.database}"')
    with check("check --deploy (production settings)"):
        # As deployed behind the TLS proxy (this run itself serves plain HTTP on 127.0.0.1).
        deployed = {k: v for k, v in smoke.env.items() if k != "SECURE_SSL_REDIRECT"}
        out = smoke.manage("check", "--deploy", "--fail-level", "WARNING", env=deployed)
        expect("no issues" in out, out)
    with check("migrate"):
        smoke.manage("migrate", "--noinput")
    with check("seed_demo"):
        smoke.manage("seed_demo")
    with check("collectstatic"):
        smoke.manage("collectstatic", "--noinput", "-v0")

    smoke.start(
        "web",
        [
            PYTHON, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{WEB_PORT}", "--workers", "2", "--timeout", "60",
            "--access-logfile", "-",
        ],
    )  # fmt: skip
    smoke.start(
        "worker",
        [
            PYTHON, "-m", "celery", "-A", "config", "worker", "-Q", QUEUES,
            "--concurrency", "2", "-n", smoke.worker_name, "--loglevel", "INFO",
            "--without-gossip", "--without-mingle",
        ],
    )  # fmt: skip
    smoke.start(
        "beat",
        [
            PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
            "--pidfile", str(smoke.workdir / "beat.pid"),
        ],
    )  # fmt: skip

    with check("gunicorn answers /healthz"):
        smoke.wait_for("/healthz", lambda: smoke.http("GET", "/healthz", timeout=3)[0] == 200)
    with check("/readyz: database and broker ok"):
        status, _headers, body = smoke.http("GET", "/readyz")
        expect(status == 200, f"HTTP {status}: {body[:300]!r}")
        expect(json.loads(body)["checks"] == {"database": "ok", "broker": "ok"}, body)
    with check("Celery worker answers ping (all queues)"):

        def ping():
            result = subprocess.run(  # noqa: S603 - fixed command
                [PYTHON, "-m", "celery", "-A", "config", "inspect", "ping",
                 "-d", smoke.worker_name, "--timeout", "3"],
                cwd=ROOT, env=smoke.env, capture_output=True, text=True, timeout=30,
            )  # fmt: skip
            return result.returncode == 0 and "pong" in result.stdout

        smoke.wait_for("worker ping", ping, every=1)
    with check("beat is running"):
        time.sleep(1)
        expect(smoke.processes["beat"].poll() is None, "beat exited")
        smoke.wait_for("beat pidfile", lambda: (smoke.workdir / "beat.pid").exists())
    with check("beat installed the apps' periodic tasks"):
        sys.path.insert(0, str(ROOT))
        from config.beat import collect_schedule

        expected = {entry["task"] for entry in collect_schedule(_local_apps()).values()}
        expect(expected, "the apps declare no periodic task")

        def installed():
            import psycopg

            url = smoke.env["DATABASE_URL"]
            with psycopg.connect(url, connect_timeout=10) as conn:
                rows = conn.execute(
                    "SELECT task FROM django_celery_beat_periodictask WHERE enabled"
                ).fetchall()
            return expected <= {task for (task,) in rows}

        smoke.wait_for("periodic tasks in django_celery_beat", installed, every=1)

    with check("catalogue page / (HTML, request id)"):
        status, headers, body = smoke.http("GET", "/", headers={"X-Request-ID": "smoke-1"})
        expect(status == 200, f"HTTP {status}")
        expect(b"<html" in body and b"/runs/" in body, "no run links in the catalogue")
        expect(headers.get("X-Request-ID") == "smoke-1", "request id not echoed")
    with check("static files served by whitenoise"):
        css = next(
            (p for p in (smoke.workdir / "static").rglob("*.css") if "." in p.stem), None
        )  # a hashed name
        expect(css is not None, "no hashed CSS collected")
        rel = css.relative_to(smoke.workdir / "static").as_posix()
        status, headers, _ = smoke.http("GET", f"/static/{rel}")
        expect(status == 200, f"/static/{rel}: HTTP {status}")
        expect("max-age" in headers.get("Cache-Control", ""), "hashed file not cacheable")

    with check("create API key (manage.py create_api_key)"):
        out = smoke.manage(
            "create_api_key", "--chamber", CHAMBER, "--name", "prod smoke",
            "--scopes",
            "courses:read,enrolments:read,enrolments:write,certificates:read,webhooks:manage",
        )  # fmt: skip
        smoke.key = out.strip().splitlines()[-1].strip()
        status, _ = smoke.api("GET", "/api/v1/runs/?page_size=1")
        expect(status == 200, f"key rejected: HTTP {status}")

    with check("register webhook to the local receiver"):
        status, data = smoke.api(
            "POST",
            "/api/v1/webhooks/",
            {
                "url": f"http://127.0.0.1:{HOOK_PORT}/hook",
                "events": ["enrolment.created", "enrolment.confirmed", "certificate.issued"],
            },
        )
        expect(status == 201, f"HTTP {status}: {data}")
        smoke.secret = data["secret"]

    with check("book through the API (POST /api/v1/enrolments/)"):
        status, runs = smoke.api("GET", "/api/v1/runs/?page_size=200")
        expect(status == 200, f"runs: HTTP {status}")
        now = datetime.now(UTC)
        candidates = [
            r
            for r in runs["results"]
            if r["status"] == "published"
            and r["seats_left"] > 0
            and not r["requires_employer_approval"]
            and r["sessions"]
            and datetime.fromisoformat(r["booking_opens_at"])
            <= now
            < datetime.fromisoformat(r["booking_closes_at"]) - timedelta(hours=1)
        ]
        status, trainees = smoke.api("GET", "/api/v1/trainees/?page_size=200")
        expect(status == 200, f"trainees: HTTP {status}")
        numbers = [
            t["lehrlingsrolle_number"] for t in trainees["results"] if t["lehrlingsrolle_number"]
        ]
        expect(candidates and numbers, f"{len(candidates)} bookable runs, {len(numbers)} trainees")
        booked, tried = None, []
        for run in candidates[:5]:
            for number in numbers[:8]:
                status, data = smoke.api(
                    "POST",
                    "/api/v1/enrolments/",
                    {"run": run["id"], "trainee": number},
                    headers={
                        "Idempotency-Key": f"smoke-{run['id']}-{number}",
                        "X-Request-ID": f"smoke-book-{run['id']}-{number}",
                    },
                )
                if status == 201 and data["status"] == "confirmed":
                    booked = data
                    break
                tried.append((run["id"], number, status, str(data)[:120]))
            if booked:
                break
        expect(booked, f"no confirmed booking; tried {tried[:4]}")
        smoke.enrolment = booked
        print(f"    enrolment {booked['id']} on run {booked['run']}: {booked['status']}")

    with check("enrolment webhook delivered by the worker, HMAC valid"):

        def enrolment_hook():
            for request in receiver.requests:
                body = json.loads(request["body"])
                if body["type"] == "enrolment.created" and str(body["data"].get("id")) == str(
                    smoke.enrolment["id"]
                ):
                    return request
            return None

        request = smoke.wait_for("enrolment.created webhook", enrolment_hook)
        expect(signature_ok(smoke.secret, request), "signature does not verify")

    with check("attendance and completion through the services"):
        out = smoke.shell(COMPLETE.format(enrolment=smoke.enrolment["id"], coordinator=COORDINATOR))
        expect(out.splitlines()[-1] == "completed", f"enrolment is {out!r}")

    with check("certificates issued by the worker (IssueJob task)"):
        run_id = smoke.enrolment["run"]
        smoke.job = int(smoke.shell(ISSUE.format(run=run_id, coordinator=COORDINATOR)))

        def job_done():
            state = smoke.shell(JOB_STATUS.format(job=smoke.job)).split(" ", 3)
            if state[0] == "failed":
                raise SmokeFailure(f"job failed: {state}")
            return state if state[0] == "done" else None

        state = smoke.wait_for("IssueJob done", job_done, every=1)
        print(f"    job {smoke.job}: {state[1]}/{state[2]} certificates")

    with check("certificate and PDF through the API"):

        def certificate():
            status, data = smoke.api(
                "GET", f"/api/v1/certificates/?enrolment={smoke.enrolment['id']}"
            )
            found = [c for c in data.get("results", []) if c["pdf_url"]] if status == 200 else []
            return found[0] if found else None

        cert = smoke.wait_for("certificate with PDF", certificate)
        status, pdf = smoke.api("GET", f"/api/v1/certificates/{cert['id']}/pdf/")
        expect(status == 200 and pdf[:5] == b"%PDF-", f"HTTP {status}, {pdf[:20]!r}")
        expect(hashlib.sha256(pdf).hexdigest() == cert["sha256"], "PDF does not match its sha256")
        smoke.certificate = cert
        print(f"    {cert['number']}: {len(pdf)} bytes, sha256 ok")

    with check("public verification page"):
        path = urllib.parse.urlsplit(smoke.certificate["verification_url"]).path
        status, _headers, body = smoke.http("GET", path)
        expect(status == 200 and smoke.certificate["number"].encode() in body, f"HTTP {status}")

    with check("certificate.issued webhook received, HMAC valid"):

        def certificate_hook():
            for request in receiver.requests:
                body = json.loads(request["body"])
                if body["type"] == "certificate.issued" and str(body["data"].get("id")) == str(
                    smoke.certificate["id"]
                ):
                    return request
            return None

        request = smoke.wait_for("certificate.issued webhook", certificate_hook)
        expect(signature_ok(smoke.secret, request), "signature does not verify")

    with check("JSON log lines carry the request id (web and worker)"):
        status, _headers, _body = smoke.http(
            "GET", "/no-such-page/", headers={"X-Request-ID": "smoke-404"}
        )
        expect(status == 404, f"HTTP {status}")

        def json_records(name: str) -> list[dict]:
            lines = smoke.logs[name].read_text(errors="replace").splitlines()
            return [json.loads(line) for line in lines if line.startswith('{"ts"')]

        def logged_404():
            return [r for r in json_records("web") if r.get("request_id") == "smoke-404"]

        line = smoke.wait_for("JSON line of the 404", logged_404, timeout=10)[0]
        expect(line["path"] == "/no-such-page/" and line["level"] == "WARNING", str(line))
        # The webhook task enqueued by the booking request logs with that request's id.
        booking_id = (
            f"smoke-book-{smoke.enrolment['run']}-{smoke.enrolment['lehrlingsrolle_number']}"
        )
        worker = [r for r in json_records("worker") if r.get("request_id") == booking_id]
        expect(worker, f"no JSON line of the worker with request id {booking_id}")


def main() -> int:
    started = time.monotonic()
    smoke = Smoke()
    print(f"production smoke: database {smoke.database}, broker {smoke.env['CELERY_BROKER_URL']}")
    failed = False

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        with Receiver(HOOK_PORT) as receiver:
            journey(smoke, receiver)
    except (SmokeFailure, KeyboardInterrupt):
        failed = True
    except Exception as exc:  # an unexpected error is a failed smoke, with its reason
        failed = True
        print(f"✗ unexpected: {type(exc).__name__}: {exc}")
    finally:
        smoke.stop_all()
        if failed:
            smoke.dump_logs()
        with check_quietly():
            _admin_sql(f'DROP DATABASE IF EXISTS "{smoke.database}" WITH (FORCE)')
        import shutil

        shutil.rmtree(smoke.workdir, ignore_errors=True)
    passed = sum(1 for r in results if r[1])
    print(
        f"{'FAILED' if failed else 'passed'}: {passed}/{len(results)} checks "
        f"in {time.monotonic() - started:.1f} s; stopped web, worker, beat; dropped the database"
    )
    return 1 if failed else 0


@contextlib.contextmanager
def check_quietly():
    try:
        yield
    except Exception as exc:  # cleanup must not hide the journey's result
        print(f"  (cleanup: {exc})")


if __name__ == "__main__":
    sys.exit(main())
