"""Bring the production topology up on a fresh database and check each part answers: the
deployment checks, migrations, demo data, static files, gunicorn, the worker and beat with the
apps' periodic tasks."""

import json
import subprocess
import sys
import time

from .report import check, expect
from .stack import PYTHON, QUEUES, ROOT, WEB_PORT, Smoke, admin_sql


def _local_apps() -> list[str]:
    """Our apps as settings list them, without importing the settings (they need Django)."""
    import ast

    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "LOCAL_APPS":
            return ast.literal_eval(node.value)
    raise RuntimeError("config/settings.py has no LOCAL_APPS")


def bring_up(smoke: Smoke) -> None:
    with check(f"create database {smoke.database}"):
        admin_sql(f'DROP DATABASE IF EXISTS "{smoke.database}" WITH (FORCE)')
        admin_sql(f'CREATE DATABASE "{smoke.database}"')
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
        checks = json.loads(body)["checks"]
        expect(checks == {"database": "ok", "broker": "ok", "worker": "ok"}, body)
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
