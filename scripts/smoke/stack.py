"""The processes of the production topology (manage.py, gunicorn, Celery worker and beat) on a
throw-away database, and the HTTP client that talks to them."""

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .report import SmokeFailure

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
WEB_PORT = int(os.environ.get("SMOKE_WEB_PORT", "8161"))
HOOK_PORT = int(os.environ.get("SMOKE_HOOK_PORT", "8162"))
FLAKY_HOOK_PORT = int(os.environ.get("SMOKE_FLAKY_HOOK_PORT", "8163"))
QUEUES = "default,mail,pdf,webhooks"  # the same as docker/compose.yaml's worker
CHAMBER = "HWK-HL"  # a chamber of the demo data
COORDINATOR = "koordination@demo.example"
WAIT_SECONDS = float(os.environ.get("SMOKE_WAIT_SECONDS", "90"))


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return _with_database(url, "postgres")


def admin_sql(sql: str) -> None:
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
            # Beat on a short schedule: the journey watches due work happen within seconds.
            CELERY_BEAT_EVERY_SECONDS="5",
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
